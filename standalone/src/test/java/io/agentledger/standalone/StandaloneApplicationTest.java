package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneLaunch.arguments;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static io.agentledger.standalone.StandaloneHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The standalone application as a user runs it: one process, one port, its own PostgreSQL under the data
 * directory (or the server named by AGENTLEDGER_DB_URL), surviving a restart.
 */
@ExtendWith(OutputCaptureExtension.class)
class StandaloneApplicationTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String EXTERNAL_DB = System.getenv("AGENTLEDGER_DB_URL");

    private final List<ConfigurableApplicationContext> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConfigurableApplicationContext::close);
    }

    @Test
    void createsAProjectReadsItBackAndStillHasItAfterARestart(CapturedOutput output) throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-standalone",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> args = arguments(dataDir);

        ConfigurableApplicationContext first = start(args);
        String base = "http://localhost:" + first.getEnvironment().getProperty("local.server.port");
        assertThat(output.getOut()).contains("AgentLedger ready at " + base);
        String adminKey = Files.readString(dataDir.resolve("bootstrap-admin-key")).strip();
        assertThat(output.getOut()).contains(adminKey);
        String token = accessToken(base, adminKey);

        HttpResponse<String> created = send(HttpRequest.newBuilder(URI.create(base + "/v1/projects"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Survivor\",\"description\":\"kept\"}")));
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode project = MAPPER.readTree(created.body());
        String id = project.get("id").asText();
        long version = project.get("version").asLong();

        JsonNode read = getJson(base + "/v1/projects/" + id + "?minVersion=" + version, token);
        assertThat(read.get("name").asText()).isEqualTo("Survivor");
        assertThat(read.get("createdAt").asText()).isEqualTo(project.get("createdAt").asText());
        assertThat(read.get("taskCounts").get("READY").asLong()).isZero();
        assertThat(getJson(base + "/actuator/health/readiness", null).get("status").asText()).isEqualTo("UP");
        if (EXTERNAL_DB == null) {
            JdbcTemplate jdbc = new JdbcTemplate(first.getBean(javax.sql.DataSource.class));
            assertThat(jdbc.queryForObject("SHOW fsync", String.class)).isEqualTo("on");
            assertThat(jdbc.queryForObject("SHOW synchronous_commit", String.class)).isEqualTo("on");
        }

        first.close();
        if (EXTERNAL_DB == null) {
            assertThat(dataDir.resolve("postgres/postmaster.pid")).doesNotExist();
        }

        int printedBefore = output.getOut().split(adminKey, -1).length;
        ConfigurableApplicationContext second = start(args);
        String restartedBase = "http://localhost:" + second.getEnvironment().getProperty("local.server.port");
        assertThat(output.getOut().split(adminKey, -1).length).as("the key is printed once only")
                .isEqualTo(printedBefore);
        JsonNode again = getJson(restartedBase + "/v1/projects/" + id + "?minVersion=" + version,
                accessToken(restartedBase, adminKey));
        assertThat(again.get("name").asText()).isEqualTo("Survivor");
        assertThat(again.get("description").asText()).isEqualTo("kept");
        assertThat(again.get("version").asLong()).isEqualTo(version);
    }

    @Test
    void servesTheOpenApiDocumentAndHealthWithoutAuthenticationButNotTheRest() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-standalone",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        ConfigurableApplicationContext app = start(arguments(dataDir));
        String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");

        JsonNode openApi = getJson(base + "/v3/api-docs", null);
        assertThat(openApi.get("paths").has("/v1/projects")).isTrue();
        assertThat(openApi.get("paths").has("/v1/projects/{id}/archive")).isTrue();
        assertThat(openApi.get("paths").has("/v1/auth/token")).isTrue();
        assertThat(send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))).statusCode()).isEqualTo(401);

        String token = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        HttpResponse<String> metrics = send(HttpRequest.newBuilder(URI.create(base + "/actuator/prometheus"))
                .header("Authorization", "Bearer " + token));
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("jvm_memory_used_bytes");

        HttpResponse<String> unknown = send(HttpRequest.newBuilder(URI.create(base + "/v1/projects/" + UUID.randomUUID()))
                .header("Authorization", "Bearer " + token));
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(MAPPER.readTree(unknown.body()).get("code").asText()).isEqualTo("NOT_FOUND");
        HttpResponse<String> badLimit = send(HttpRequest.newBuilder(URI.create(base + "/v1/projects?limit=0"))
                .header("Authorization", "Bearer " + token));
        assertThat(badLimit.statusCode()).isEqualTo(400);
        assertThat(MAPPER.readTree(badLimit.body()).get("code").asText()).isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aLeaseThatExpiresWhileTheApplicationIsDownIsHandledAfterRestart() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-standalone",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> args = arguments(dataDir);
        ConfigurableApplicationContext first = start(args);
        String base = "http://localhost:" + first.getEnvironment().getProperty("local.server.port");
        String admin = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Downtime\"}").get("id").asText();
        String agentKey = postJson(base + "/v1/principals", admin, "{\"name\":\"worker\",\"role\":\"agent\"}")
                .get("apiKey").asText();
        String task = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"Interrupted\",\"leaseSeconds\":10}").get("id").asText();
        JsonNode claimed = postJson(base + "/v1/tasks/" + task + "/claim", accessToken(base, agentKey), "{}");
        Instant expires = Instant.parse(claimed.get("claim").get("leaseExpiresAt").asText());
        first.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> Instant.now().isAfter(expires.plusSeconds(1)));
        ConfigurableApplicationContext second = start(args);
        String restarted = "http://localhost:" + second.getEnvironment().getProperty("local.server.port");
        String token = accessToken(restarted, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(250)).until(() -> {
            JsonNode current = getJson(restarted + "/v1/tasks/" + task, token);
            return current.get("status").asText().equals("READY")
                    && "LEASE_EXPIRED".equals(current.path("failureReason").asText(null));
        });
        assertThat(getJson(restarted + "/v1/tasks/" + task, token).get("attempts").asInt()).isEqualTo(1);
    }

    @Test
    void aClaimShowsRelatedKnowledgeAndLearningsBecomeSearchableOnce() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-standalone",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        ConfigurableApplicationContext app = start(arguments(dataDir));
        String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
        String admin = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Knowledge\"}").get("id").asText();
        String agent = accessToken(base, postJson(base + "/v1/principals", admin,
                "{\"name\":\"learner\",\"role\":\"agent\"}").get("apiKey").asText());
        String entry = postJson(base + "/v1/knowledge", admin, "{\"title\":\"Flyway migrations need rollback"
                + " scripts\",\"body\":\"Write the rollback beside the migration.\",\"projectId\":\"" + project
                + "\"}").get("id").asText();
        postJson(base + "/v1/knowledge", admin, "{\"title\":\"Unrelated\",\"body\":\"Kubernetes probes\"}");
        await().atMost(Duration.ofSeconds(10)).until(() -> getJson(base + "/v1/knowledge/search?q=rollback", admin)
                .get("items").size() == 1);

        String task = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"Write a Flyway migration for users\"}").get("id").asText();
        JsonNode claimed = postJson(base + "/v1/tasks/" + task + "/claim", agent, "{}");
        JsonNode related = claimed.get("relatedKnowledge");
        assertThat(related.size()).isBetween(1, 3);
        assertThat(related.get(0).get("id").asText()).isEqualTo(entry);
        assertThat(related.get(0).get("snippet").asText()).isNotBlank();
        assertThat(related.toString()).doesNotContain("Kubernetes");

        postJson(base + "/v1/tasks/" + task + "/complete", agent, "{\"leaseId\":\""
                + claimed.get("claim").get("leaseId").asText() + "\",\"learnings\":[{\"title\":\"Users table needs an"
                + " index on email\",\"body\":\"Lookups by email were slow\",\"tags\":[\"db\"]}]}");
        await().atMost(Duration.ofSeconds(10)).until(() -> getJson(base + "/v1/knowledge/search?q=email", admin)
                .get("items").size() == 1);
        JsonNode learned = getJson(base + "/v1/knowledge/search?q=email", admin).get("items").get(0);
        JsonNode detail = getJson(base + "/v1/knowledge/" + learned.get("id").asText(), admin);
        assertThat(detail.get("sourceTaskId").asText()).isEqualTo(task);
        assertThat(detail.get("projectId").asText()).isEqualTo(project);
    }

    private ConfigurableApplicationContext start(List<String> args) {
        ConfigurableApplicationContext context = StandaloneApplication.application().run(args.toArray(String[]::new));
        running.add(context);
        return context;
    }

}
