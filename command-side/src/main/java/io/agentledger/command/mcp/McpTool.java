package io.agentledger.command.mcp;

import io.agentledger.api.common.Caller;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * One tool of the MCP server: its name, a short description (agents pay for every token of it), its JSON Schema and
 * what it does for a caller. The handler's answer is sent back as JSON, exactly as the REST API would render it.
 */
public record McpTool(String name, String description, String inputSchema, Handler handler) {

    /** A JSON Schema of an object with these properties (JSON text), these required, and no others. */
    public static String schema(String properties, String... required) {
        return "{\"type\":\"object\",\"properties\":{" + properties + "},\"required\":["
                + Arrays.stream(required).map(name -> "\"" + name + "\"").collect(Collectors.joining(","))
                + "],\"additionalProperties\":false}";
    }

    @FunctionalInterface
    public interface Handler {
        Object call(ToolArguments arguments, Caller caller) throws Exception;
    }
}
