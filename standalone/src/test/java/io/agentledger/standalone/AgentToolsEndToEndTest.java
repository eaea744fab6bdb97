package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.agentledger.cli.AgentLedgerCli;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Agents as they connect to the running standalone application: an MCP client (the SDK's) and the
 * {@code agentledger} CLI each claim, heartbeat and complete a task, read the task list and the knowledge base, and
 * see nothing of another tenant.
 */
class AgentToolsEndToEndTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String ADMIN_KEY = "alk_agent-tools-admin-key-0123456789abcdefghij";
    private static final String OPERATOR_KEY = "alk_agent-tools-operator-key-0123456789abcdef";
    private static final Duration READ_MODEL = Duration.ofSeconds(30);

    private static ConfigurableApplicationContext application;
    private static String base;
    private static Path home;

    private final List<McpSyncClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws IOException {
        home = Files.createTempDirectory("agentledger-agents",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--agentledger.data-dir=" + home.resolve("data"),
                "--agentledger.bootstrap.admin-key=" + ADMIN_KEY,
                "--agentledger.bootstrap.operator-key=" + OPERATOR_KEY));
        if (System.getenv("AGENTLEDGER_DB_URL") != null) {
            TestDatabase database = TestDatabases.create();
            args.add("--agentledger.db.url=" + database.jdbcUrl());
            args.add("--spring.datasource.url=" + database.jdbcUrl());
            args.add("--spring.datasource.username=" + database.user());
            args.add("--spring.datasource.password=" + database.password());
        }
        application = StandaloneApplication.application().run(args.toArray(String[]::new));
        base = "http://localhost:" + application.getEnvironment().getProperty("local.server.port");
    }

    @AfterAll
    static void stop() {
        application.close();
    }

    @AfterEach
    void closeClients() {
        clients.forEach(McpSyncClient::closeGracefully);
    }

    @Test
    void anMcpAgentClaimsHeartbeatsCompletesAndFindsWhatItLearned() throws Exception {
        String admin = accessToken(base, ADMIN_KEY);
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Mcp " + UUID.randomUUID() + "\"}")
                .get("id").asText();
        String agentKey = register(admin, "agent");

        McpSchema.ListToolsResult tools = mcp(ADMIN_KEY).listTools();
        assertThat(tools.tools()).hasSize(11);
        String task = ok(mcp(ADMIN_KEY).callTool(call("create_task", Map.of("projectId", project,
                "title", "Index the ledger", "labels", List.of("search"))))).get("id").asText();

        McpSyncClient agent = mcp(agentKey);
        JsonNode claimed = ok(agent.callTool(call("claim_next_task", Map.of("projectId", project, "waitSeconds", 5))));
        assertThat(claimed.get("id").asText()).isEqualTo(task);
        String lease = claimed.get("claim").get("leaseId").asText();
        ok(agent.callTool(call("heartbeat", Map.of("taskId", task, "leaseId", lease))));
        ok(agent.callTool(call("complete_task", Map.of("taskId", task, "leaseId", lease, "result", "indexed",
                "learnings", List.of(Map.of("title", "Ledger indexing", "body", "Quokka tables want a GIN index.",
                        "tags", List.of("db")))))));

        await().atMost(READ_MODEL).untilAsserted(() -> assertThat(ok(agent.callTool(call("get_task",
                Map.of("taskId", task)))).get("status").asText()).isEqualTo("COMPLETED"));
        JsonNode listed = ok(agent.callTool(call("list_tasks", Map.of("projectId", project, "status",
                List.of("COMPLETED")))));
        assertThat(listed.get("items")).extracting(t -> t.get("id").asText()).containsExactly(task);
        await().atMost(READ_MODEL).untilAsserted(() -> assertThat(ok(agent.callTool(call("search_knowledge",
                Map.of("q", "quokka")))).get("items")).extracting(h -> h.get("title").asText())
                .containsExactly("Ledger indexing"));
        assertError(agent.callTool(call("list_tasks", Map.of("projectId", project, "cursor", "garbage"))),
                "VALIDATION_FAILED");

        // another tenant's agent sees none of it
        McpSyncClient stranger = mcp(foreignAgentKey());
        assertError(stranger.callTool(call("get_task", Map.of("taskId", task))), "NOT_FOUND");
        assertError(stranger.callTool(call("heartbeat", Map.of("taskId", task, "leaseId", lease))), "NOT_FOUND");
        assertThat(ok(stranger.callTool(call("list_tasks", Map.of("projectId", project)))).get("items")).isEmpty();
        assertThat(ok(stranger.callTool(call("search_knowledge", Map.of("q", "quokka")))).get("items")).isEmpty();
    }

    @Test
    void aShellAgentDrivesTheSameFlowThroughTheCli() throws Exception {
        String admin = accessToken(base, ADMIN_KEY);
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Cli " + UUID.randomUUID() + "\"}")
                .get("id").asText();
        Path adminConfig = home.resolve("admin/config.json");
        Path agentConfig = home.resolve("agent/config.json");

        assertThat(cli(adminConfig, "login", "--api-key", ADMIN_KEY).exit()).isZero();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(adminConfig))).isEqualTo("rw-------");
        Path tasksMd = home.resolve("tasks.md");
        Files.writeString(tasksMd, "# Tasks\n\n## Phase 1: Setup\n\n- [ ] T001 Lay the wombat tracks\n");
        Run imported = cli(adminConfig, "import-spec-kit", project, tasksMd.toString());
        assertThat(imported.out()).contains("created 1");
        await().atMost(READ_MODEL).untilAsserted(() -> assertThat(cli(adminConfig, "projects").out())
                .contains(project));

        Run login = cli(agentConfig, "--json", "login", "--api-key", register(admin, "agent"));
        assertThat(login.json().get("url").asText()).isEqualTo(base);
        assertThat(cli(agentConfig, "token").out().strip()).isEqualTo(config(agentConfig).get("accessToken").asText());
        Run claimed = cli(agentConfig, "claim-next", project, "--wait", "5", "--json");
        assertThat(claimed.exit()).as(claimed.err()).isZero();
        String task = claimed.json().get("id").asText();
        String lease = claimed.json().get("claim").get("leaseId").asText();
        assertThat(claimed.json().get("externalRef").asText()).isEqualTo("T001");

        Run wrongLease = cli(agentConfig, "heartbeat", task, "--lease", "not-mine");
        assertThat(wrongLease.exit()).isEqualTo(AgentLedgerCli.API_ERROR);
        assertThat(wrongLease.err()).contains("LEASE_NOT_HELD");

        expireAccessToken(agentConfig);
        String staleToken = config(agentConfig).get("accessToken").asText();
        Run heartbeat = cli(agentConfig, "heartbeat", task, "--lease", lease);
        assertThat(heartbeat.exit()).as(heartbeat.err()).isZero();
        assertThat(heartbeat.out()).contains("IN_PROGRESS").contains(lease);
        assertThat(config(agentConfig).get("accessToken").asText()).as("refreshed").isNotEqualTo(staleToken);

        Run completed = cli(agentConfig, "complete", task, "--lease", lease, "--result", "tracks laid",
                "--learning", "Wombat tracks=Lay them before the numbat rails.", "--tag", "rails", "--json");
        assertThat(completed.exit()).as(completed.err()).isZero();
        assertThat(completed.json().get("status").asText()).isEqualTo("COMPLETED");

        Run nothing = cli(agentConfig, "claim-next", project);
        assertThat(nothing.exit()).isEqualTo(AgentLedgerCli.NOTHING_TO_CLAIM);
        assertThat(nothing.out()).contains("Nothing to claim");

        await().atMost(READ_MODEL).untilAsserted(() -> assertThat(cli(agentConfig, "kb-search", "numbat").out())
                .contains("Wombat tracks"));
        await().atMost(READ_MODEL).untilAsserted(() -> assertThat(cli(agentConfig, "tasks", project,
                "--status", "COMPLETED").out()).contains(task).contains("T001"));
        assertThat(cli(agentConfig, "export-spec-kit", project).out()).contains("- [X] T001 Lay the wombat tracks");
        Run added = cli(agentConfig, "kb-add", "--title", "Rails", "--body", "Numbats prefer narrow gauge.",
                "--tag", "rails", "--project", project, "--json");
        assertThat(added.json().get("projectId").asText()).isEqualTo(project);

        // another tenant's agent, with its own config, sees none of it
        Path strangerConfig = home.resolve("stranger/config.json");
        assertThat(cli(strangerConfig, "login", "--api-key", foreignAgentKey()).exit()).isZero();
        Run foreign = cli(strangerConfig, "heartbeat", task, "--lease", lease);
        assertThat(foreign.exit()).isEqualTo(AgentLedgerCli.API_ERROR);
        assertThat(foreign.err()).contains("NOT_FOUND");
        assertThat(cli(strangerConfig, "--json", "tasks", project).json().get("items")).isEmpty();
        assertThat(cli(strangerConfig, "--json", "kb-search", "numbat").json().get("items")).isEmpty();

        assertThat(cli(agentConfig, "heartbeat", task).exit()).as("no --lease").isEqualTo(AgentLedgerCli.USAGE);
        assertThat(cli(home.resolve("nobody/config.json"), "projects").err()).contains("agentledger login");
    }

    /** One request per task: complete_task with next (MCP) and complete --next (CLI) hand the next task over. */
    @Test
    void agentsCompleteAndClaimTheNextTaskInOneCallThroughMcpAndTheCli() throws Exception {
        String admin = accessToken(base, ADMIN_KEY);
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Next " + UUID.randomUUID() + "\"}")
                .get("id").asText();
        List<String> tasks = new ArrayList<>();
        for (String title : List.of("First", "Second", "Third")) {
            tasks.add(postJson(base + "/v1/projects/" + project + "/tasks", admin,
                    "{\"title\":\"" + title + "\",\"priority\":\"" + (tasks.isEmpty() ? "HIGH" : "MEDIUM") + "\"}")
                    .get("id").asText());
        }
        String agentKey = register(admin, "agent");
        McpSyncClient agent = mcp(agentKey);
        JsonNode first = ok(agent.callTool(call("claim_next_task", Map.of("projectId", project))));
        assertThat(first.get("id").asText()).isEqualTo(tasks.get(0));

        JsonNode viaMcp = ok(agent.callTool(call("complete_task", Map.of("taskId", tasks.get(0), "leaseId",
                first.get("claim").get("leaseId").asText(), "next", Map.of("waitSeconds", 1)))));
        assertThat(viaMcp.get("completed").get("status").asText()).isEqualTo("COMPLETED");
        JsonNode second = viaMcp.get("next");
        assertThat(second.get("id").asText()).isEqualTo(tasks.get(1));

        Path agentConfig = home.resolve("next-agent/config.json");
        assertThat(cli(agentConfig, "login", "--api-key", agentKey).exit()).isZero();
        Run viaCli = cli(agentConfig, "--json", "complete", second.get("id").asText(), "--lease",
                second.get("claim").get("leaseId").asText(), "--next");
        assertThat(viaCli.exit()).as(viaCli.err()).isZero();
        assertThat(viaCli.json().get("completed").get("id").asText()).isEqualTo(tasks.get(1));
        JsonNode third = viaCli.json().get("next");
        assertThat(third.get("id").asText()).isEqualTo(tasks.get(2));

        Run last = cli(agentConfig, "complete", third.get("id").asText(), "--lease",
                third.get("claim").get("leaseId").asText(), "--next");
        assertThat(last.exit()).as("completed, nothing left to claim").isEqualTo(AgentLedgerCli.NOTHING_TO_CLAIM);
        assertThat(last.out()).contains("COMPLETED").contains("Nothing to claim");
    }

    private static String register(String adminToken, String role) throws Exception {
        return postJson(base + "/v1/principals", adminToken, "{\"name\":\"" + role + " " + UUID.randomUUID()
                + "\",\"role\":\"" + role + "\",\"capabilities\":[]}").get("apiKey").asText();
    }

    /** An agent of a tenant of its own. */
    private static String foreignAgentKey() throws Exception {
        String otherAdmin = postJson(base + "/v1/tenants", accessToken(base, OPERATOR_KEY),
                "{\"name\":\"Other " + UUID.randomUUID() + "\"}").get("adminApiKey").asText();
        return register(accessToken(base, otherAdmin), "agent");
    }

    private McpSyncClient mcp(String apiKey) throws Exception {
        String token = accessToken(base, apiKey);
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(base).endpoint("/mcp")
                        .customizeRequest(request -> request.header("Authorization", "Bearer " + token)).build())
                .requestTimeout(Duration.ofSeconds(60)).build();
        clients.add(client);
        client.initialize();
        return client;
    }

    private static McpSchema.CallToolRequest call(String tool, Map<String, Object> arguments) {
        return new McpSchema.CallToolRequest(tool, arguments);
    }

    private static JsonNode ok(CallToolResult result) throws IOException {
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertThat(result.isError()).as(text).isFalse();
        return MAPPER.readTree(text);
    }

    private static void assertError(CallToolResult result, String code) throws IOException {
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        assertThat(result.isError()).as(text).isTrue();
        assertThat(MAPPER.readTree(text).get("code").asText()).as(text).isEqualTo(code);
    }

    record Run(int exit, String out, String err) {

        JsonNode json() {
            try {
                return MAPPER.readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException(out + err, e);
            }
        }
    }

    private static Run cli(Path config, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine command = AgentLedgerCli.commandLine(Map.of("AGENTLEDGER_URL", base,
                "AGENTLEDGER_CONFIG", config.toString(), "HOME", home.toString()));
        AgentLedgerCli.withOut(command, new PrintWriter(out, true));
        command.setErr(new PrintWriter(err, true));
        int exit = command.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    private static JsonNode config(Path file) throws IOException {
        return MAPPER.readTree(file.toFile());
    }

    /** As if the 15 minutes of the access token had passed. */
    private static void expireAccessToken(Path file) throws IOException {
        ObjectNode config = (ObjectNode) config(file);
        config.put("expiresAt", "2000-01-01T00:00:00Z");
        Files.writeString(file, config.toString());
    }
}
