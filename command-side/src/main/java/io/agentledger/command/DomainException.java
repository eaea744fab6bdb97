package io.agentledger.command;

import io.agentledger.api.common.ErrorCode;
import org.axonframework.common.AxonNonTransientException;

/**
 * A business rule said no. The code travels to the client unchanged; the message is the problem's detail. It is
 * non-transient, so the command gateway's retry of concurrency conflicts never repeats a refused command.
 */
public class DomainException extends AxonNonTransientException {

    private final ErrorCode code;
    private final String field;

    public DomainException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    private DomainException(ErrorCode code, String detail, String field) {
        super(detail);
        this.code = code;
        this.field = field;
    }

    /** A field of the command is invalid: answered VALIDATION_FAILED naming it. */
    public static DomainException invalid(String field, String message) {
        return new DomainException(ErrorCode.VALIDATION_FAILED, field + " " + message, field);
    }

    public ErrorCode code() {
        return code;
    }

    /** The invalid field, for VALIDATION_FAILED; null otherwise. */
    public String field() {
        return field;
    }
}
