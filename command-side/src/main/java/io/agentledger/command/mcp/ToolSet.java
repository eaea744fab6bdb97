package io.agentledger.command.mcp;

import java.util.List;

/** The tools a feature offers over MCP; each feature package declares its own beside its controller. */
public interface ToolSet {

    List<McpTool> tools();
}
