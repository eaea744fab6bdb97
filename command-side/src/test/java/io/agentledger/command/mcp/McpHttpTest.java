package io.agentledger.command.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.UncheckedIOException;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MCP server of a command node on its own, driven by the MCP SDK's client over Streamable HTTP: the same bearer
 * tokens, role rules, tenant isolation and error codes as the REST API.
 */
class McpHttpTest extends CommandSideTest {

    private final List<McpSyncClient> clients = new ArrayList<>();
    private String project;
    private String agent;

    @BeforeEach
    void project() {
        project = post("/v1/projects", "{\"name\":\"Mcp " + System.nanoTime() + "\"}").body().get("id").asText();
        agent = registerPrincipal(ADMIN_KEY, "agent", "java");
    }

    @AfterEach
    void close() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    @Test
    void listsTheToolsWithSchemasThatNameTheirRequiredArguments() {
        McpSchema.ListToolsResult tools = client(agent).listTools();
        assertThat(tools.tools()).extracting(McpSchema.Tool::name).containsExactlyInAnyOrder(
                "claim_next_task", "claim_task", "heartbeat", "complete_task", "fail_task", "release_task",
                "create_task", "list_tasks", "get_task", "search_knowledge", "record_knowledge");
        McpSchema.Tool heartbeat = tools.tools().stream().filter(t -> t.name().equals("heartbeat")).findFirst()
                .orElseThrow();
        assertThat(heartbeat.inputSchema().required()).containsExactly("taskId", "leaseId");
        assertThat(heartbeat.inputSchema().additionalProperties()).isFalse();
        assertThat(tools.tools()).allSatisfy(tool -> assertThat(tool.description()).hasSizeLessThan(120));
    }

    @Test
    void anAgentClaimsHeartbeatsAndCompletesWithLearnings() {
        McpSyncClient admin = client(ADMIN_KEY);
        JsonNode created = ok(admin.callTool(call("create_task", Map.of("projectId", project, "title",
                "Wire the MCP server", "priority", "HIGH", "requiredCapabilities", List.of("java")))));
        String task = created.get("id").asText();
        assertThat(created.get("status").asText()).isEqualTo("READY");

        McpSyncClient worker = client(agent);
        JsonNode claimed = ok(worker.callTool(call("claim_next_task", Map.of("projectId", project))));
        assertThat(claimed.get("id").asText()).isEqualTo(task);
        assertThat(claimed.has("relatedKnowledge")).isTrue();
        String lease = claimed.get("claim").get("leaseId").asText();

        JsonNode beaten = ok(worker.callTool(call("heartbeat", Map.of("taskId", task, "leaseId", lease))));
        assertThat(beaten.get("claim").get("leaseId").asText()).isEqualTo(lease);

        JsonNode completed = ok(worker.callTool(call("complete_task", Map.of("taskId", task, "leaseId", lease,
                "result", "done", "learnings", List.of(Map.of("title", "Stateless MCP", "body",
                        "Any node answers any call.", "tags", List.of("mcp")))))));
        assertThat(completed.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(completed.get("version").asLong()).isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
                + " AND payload_type LIKE '%TaskCompletedEvent' AND convert_from(meta_data, 'UTF8') LIKE ?",
                Integer.class, task, "%requestId%")).as("events carry the request id").isEqualTo(1);

        JsonNode nothing = ok(worker.callTool(call("claim_next_task", Map.of("projectId", project))));
        assertThat(nothing.get("claimed").asBoolean()).isFalse();
    }

    @Test
    void failsReleasesAndClaimsAGivenTaskAndRecordsKnowledge() {
        String task = createTask();
        McpSyncClient worker = client(agent);
        String lease = ok(worker.callTool(call("claim_task", Map.of("taskId", task, "leaseSeconds", 60))))
                .get("claim").get("leaseId").asText();
        JsonNode released = ok(worker.callTool(call("release_task", Map.of("taskId", task, "leaseId", lease))));
        assertThat(released.get("status").asText()).isEqualTo("READY");

        lease = ok(worker.callTool(call("claim_task", Map.of("taskId", task)))).get("claim").get("leaseId").asText();
        JsonNode failed = ok(worker.callTool(call("fail_task", Map.of("taskId", task, "leaseId", lease,
                "reason", "flaky", "retryable", false))));
        assertThat(failed.get("status").asText()).isEqualTo("FAILED");
        assertThat(failed.get("failureReason").asText()).isEqualTo("flaky");

        JsonNode entry = ok(worker.callTool(call("record_knowledge", Map.of("title", "Retries", "body",
                "Flaky tests fail tasks.", "tags", List.of("ci"), "projectId", project, "sourceTaskId", task))));
        assertThat(entry.get("revision").asInt()).isEqualTo(1);
        assertThat(entry.get("sourceTaskId").asText()).isEqualTo(task);
    }

    @Test
    void refusalsComeBackAsToolErrorsWithTheRestCodes() {
        String task = createTask();
        McpSyncClient worker = client(agent);

        assertError(client(ADMIN_KEY).callTool(call("claim_task", Map.of("taskId", task))), "FORBIDDEN");
        assertError(worker.callTool(call("heartbeat", Map.of("taskId", task, "leaseId", "nope"))), "LEASE_NOT_HELD");
        JsonNode invalid = assertError(worker.callTool(call("heartbeat", Map.of("taskId", task))),
                "VALIDATION_FAILED");
        assertThat(invalid.get("errors").get(0).get("field").asText()).isEqualTo("leaseId");
        assertThat(invalid.get("status").asInt()).isEqualTo(400);
        assertError(worker.callTool(call("claim_task", Map.of("leaseSeconds", 60))), "VALIDATION_FAILED");
        assertError(worker.callTool(call("claim_task", Map.of("taskId", task, "leaseSeconds", "long"))),
                "MALFORMED_REQUEST");
        assertError(worker.callTool(call("claim_task", Map.of("taskId", task, "leaseSeconds", 5))),
                "VALIDATION_FAILED");
        assertError(worker.callTool(call("claim_task", Map.of("taskId", UUID.randomUUID().toString()))),
                "NOT_FOUND");
        assertError(worker.callTool(call("claim_next_task", Map.of("projectId", UUID.randomUUID().toString()))),
                "NOT_FOUND");
        assertError(worker.callTool(call("create_task", Map.of("projectId", project, "title", "Depends",
                "dependsOn", List.of(UUID.randomUUID().toString())))), "UNKNOWN_DEPENDENCY");
        assertError(worker.callTool(call("claim_next_task", Map.of("projectId", project, "waitSeconds", 31))),
                "VALIDATION_FAILED");
    }

    @Test
    void anotherTenantsTokenNeverReachesTheTask() {
        String task = createTask();
        String otherAdmin = postAs(OPERATOR_KEY, "/v1/tenants", "{\"name\":\"Mcp tenant " + UUID.randomUUID()
                + "\"}").body().get("adminApiKey").asText();
        String stranger = registerPrincipal(otherAdmin, "agent", "java");
        McpSyncClient foreign = client(stranger);

        assertError(foreign.callTool(call("claim_task", Map.of("taskId", task))), "NOT_FOUND");
        assertError(foreign.callTool(call("claim_next_task", Map.of("projectId", project))), "NOT_FOUND");
        assertError(foreign.callTool(call("record_knowledge", Map.of("title", "Leak", "body", "no",
                "sourceTaskId", task))), "NOT_FOUND");
        // the task is still there, unclaimed, for its own tenant
        assertThat(ok(client(agent).callTool(call("claim_task", Map.of("taskId", task)))).get("status").asText())
                .isEqualTo("IN_PROGRESS");
    }

    @Test
    void readToolsNeedTheQuerySideWhichACommandNodeAloneLacks() {
        McpSyncClient worker = client(agent);
        assertError(worker.callTool(call("list_tasks", Map.of("projectId", project))), "UNAVAILABLE");
        assertError(worker.callTool(call("get_task", Map.of("taskId", createTask()))), "UNAVAILABLE");
        assertError(worker.callTool(call("search_knowledge", Map.of("q", "anything"))), "UNAVAILABLE");
        assertError(worker.callTool(call("list_tasks", Map.of("projectId", project, "limit", 500))),
                "VALIDATION_FAILED");
        assertError(worker.callTool(call("list_tasks", Map.of("projectId", project, "status", List.of("DONE")))),
                "VALIDATION_FAILED");
        assertError(worker.callTool(call("search_knowledge", Map.of("q", "x", "limit", 0))), "VALIDATION_FAILED");
        assertError(worker.callTool(call("search_knowledge", Map.of("q", "x".repeat(1001)))), "VALIDATION_FAILED");
    }

    @Test
    void theEndpointWantsABearerTokenLikeEveryOther() {
        Response anonymous = send(anonymous("/mcp").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}")));
        assertThat(anonymous.status()).isEqualTo(401);
        assertThat(anonymous.code()).isEqualTo("UNAUTHENTICATED");

        Response forged = send(anonymous("/mcp").header("Authorization", "Bearer not-a-token")
                .header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}")));
        assertThat(forged.status()).isEqualTo(401);

        Response listed = send(request("/mcp").header("Accept", "application/json, text/event-stream")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"tools/list\",\"params\":{}}")));
        assertThat(listed.status()).isEqualTo(200);
        assertThat(listed.body().get("result").get("tools").size()).isEqualTo(11);
    }

    private String createTask() {
        return post("/v1/projects/" + project + "/tasks", "{\"title\":\"Task " + System.nanoTime()
                + "\",\"requiredCapabilities\":[\"java\"]}").body().get("id").asText();
    }

    private McpSyncClient client(String apiKey) {
        String token = accessToken(apiKey);
        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport
                .builder("http://localhost:" + port)
                .endpoint("/mcp")
                .customizeRequest(request -> request.header("Authorization", "Bearer " + token))
                .build();
        McpSyncClient client = McpClient.sync(transport).requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return new McpSchema.CallToolRequest(tool, arguments);
    }

    private JsonNode ok(CallToolResult result) {
        assertThat(result.isError()).as(text(result)).isFalse();
        return json(result);
    }

    private JsonNode assertError(CallToolResult result, String code) {
        assertThat(result.isError()).as(text(result)).isTrue();
        JsonNode error = json(result);
        assertThat(error.get("code").asText()).as(text(result)).isEqualTo(code);
        assertThat(error.get("detail").asText()).isNotBlank();
        return error;
    }

    private JsonNode json(CallToolResult result) {
        try {
            return mapper.readTree(text(result));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }
}
