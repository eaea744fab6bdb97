package io.agentledger.command.mcp;

import io.agentledger.api.common.ErrorCode;

import java.util.List;
import java.util.Map;

/** A tool call refused before it reached the application: its arguments, or a side this process lacks. */
public class ToolException extends RuntimeException {

    private final transient ErrorCode code;
    private final transient List<Map<String, String>> errors;

    public ToolException(ErrorCode code, String detail) {
        this(code, detail, List.of());
    }

    public ToolException(ErrorCode code, String detail, List<Map<String, String>> errors) {
        super(detail);
        this.code = code;
        this.errors = errors;
    }

    public static ToolException invalid(String field, String message) {
        return new ToolException(ErrorCode.VALIDATION_FAILED, field + " " + message,
                List.of(Map.of("field", field, "message", message)));
    }

    public ErrorCode code() {
        return code;
    }

    public List<Map<String, String>> errors() {
        return errors;
    }
}
