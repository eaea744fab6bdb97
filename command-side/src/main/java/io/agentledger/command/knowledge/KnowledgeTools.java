package io.agentledger.command.knowledge;

import io.agentledger.api.common.Caller;
import io.agentledger.api.knowledge.KnowledgeHits;
import io.agentledger.api.knowledge.SearchKnowledgeQuery;
import io.agentledger.command.mcp.LocalQueries;
import io.agentledger.command.mcp.McpTool;
import io.agentledger.command.mcp.ToolArguments;
import io.agentledger.command.mcp.ToolException;
import io.agentledger.command.mcp.ToolSet;
import org.springframework.stereotype.Component;

import java.util.List;

import static io.agentledger.command.mcp.McpTool.schema;

/** The knowledge tools of the MCP server: recording through {@link KnowledgeController}, search on the query bus. */
@Component
class KnowledgeTools implements ToolSet {

    /** The bounds of the search endpoint (the query side's). */
    static final int MAX_QUERY_LENGTH = 1000;
    static final int DEFAULT_LIMIT = 10;
    static final int MAX_LIMIT = 50;

    private final KnowledgeController knowledge;
    private final LocalQueries queries;

    KnowledgeTools(KnowledgeController knowledge, LocalQueries queries) {
        this.knowledge = knowledge;
        this.queries = queries;
    }

    @Override
    public List<McpTool> tools() {
        return List.of(
                new McpTool("search_knowledge",
                        "Search the knowledge base. q: words, \"phrases\", -exclusions. Ranked, <mark> snippets.",
                        schema("\"q\":{\"type\":\"string\"},\"projectId\":{\"type\":\"string\"},"
                                + "\"tag\":{\"type\":\"string\"},\"limit\":{\"type\":\"integer\",\"minimum\":1,"
                                + "\"maximum\":" + MAX_LIMIT + "}", "q"),
                        this::search),
                new McpTool("record_knowledge", "Record something worth knowing for later tasks.",
                        schema("\"title\":{\"type\":\"string\"},\"body\":{\"type\":\"string\"},\"tags\":"
                                + "{\"type\":\"array\",\"items\":{\"type\":\"string\"}},\"projectId\":"
                                + "{\"type\":\"string\"},\"sourceTaskId\":{\"type\":\"string\"}", "title", "body"),
                        (args, caller) -> knowledge.record(args.as(KnowledgeController.RecordRequest.class), caller)
                                .getBody()));
    }

    private KnowledgeHits search(ToolArguments args, Caller caller) throws InterruptedException {
        String q = args.text("q");
        if (q.length() > MAX_QUERY_LENGTH) {
            throw ToolException.invalid("q", "must be at most " + MAX_QUERY_LENGTH + " characters");
        }
        int limit = args.integer("limit", DEFAULT_LIMIT);
        if (limit < 1 || limit > MAX_LIMIT) {
            throw ToolException.invalid("limit", "must be between 1 and " + MAX_LIMIT);
        }
        String projectId = args.optionalText("projectId");
        String tag = args.optionalText("tag");
        return queries.ask(new SearchKnowledgeQuery(caller.tenantId(), q.strip(),
                projectId == null || projectId.isBlank() ? null : projectId.strip(), false,
                tag == null || tag.isBlank() ? null : tag.strip(), limit), KnowledgeHits.class);
    }
}
