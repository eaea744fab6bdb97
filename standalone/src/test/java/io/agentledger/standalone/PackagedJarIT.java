package io.agentledger.standalone;

import agentledger.faults.HoldAnswerFilter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static io.agentledger.standalone.StandaloneHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged jar as users run it, in a JVM of its own (one for the class, restarted where a test needs it), with
 * the test-only fault injection of {@code agentledger.faults} on its loader path. Behaviour that depends on the
 * application's wiring is proven here: in-process tests have test libraries (Axon's fixtures) on the class path that
 * the jar does not.
 */
class PackagedJarIT {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static PackagedJar app;

    @BeforeAll
    static void start() throws Exception {
        app = PackagedJar.onNewDataDirectory(List.of()).withFaults().start();
    }

    @AfterAll
    static void stop() throws Exception {
        app.close();
    }

    /**
     * Time travel: the aggregates are inspected with the application's own wiring (a defect once answered 500 there
     * for every task while every in-process test passed): each aggregate type's state at its creation, by version
     * and by instant, and after its last event.
     */
    @Test
    void everyAggregateTypeShowsItsPastStatesByVersionAndByInstant() throws Exception {
        String base = app.baseUrl();
        String admin = accessToken(base, PackagedJar.ADMIN_KEY);

        String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Before\"}").get("id").asText();
        HttpRequest.Builder rename = HttpRequest.newBuilder(URI.create(base + "/v1/projects/" + project))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"name\":\"After\"}"));
        assertThat(send(rename).statusCode()).isEqualTo(200);

        JsonNode worker = postJson(base + "/v1/principals", admin,
                "{\"name\":\"worker\",\"role\":\"agent\",\"capabilities\":[\"java\"]}");
        String agent = accessToken(base, worker.get("apiKey").asText());
        String task = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"Travel\",\"requiredCapabilities\":[\"java\"]}").get("id").asText();
        String lease = postJson(base + "/v1/tasks/" + task + "/claim", agent, "{}")
                .get("claim").get("leaseId").asText();
        postJson(base + "/v1/tasks/" + task + "/complete", agent,
                "{\"leaseId\":\"" + lease + "\",\"result\":\"done\"}");
        postJson(base + "/v1/principals/" + worker.get("id").asText() + "/revoke", admin, "{}");

        String entry = postJson(base + "/v1/knowledge", admin, "{\"title\":\"First\",\"body\":\"one\"}")
                .get("id").asText();
        HttpRequest.Builder revise = HttpRequest.newBuilder(URI.create(base + "/v1/knowledge/" + entry))
                .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"title\":\"Second\",\"body\":\"two\",\"tags\":[]}"));
        assertThat(send(revise).statusCode()).isEqualTo(200);

        JsonNode tenant = postJson(base + "/v1/tenants", accessToken(base, PackagedJar.OPERATOR_KEY),
                "{\"name\":\"Elsewhere\"}");
        String tenantAdmin = accessToken(base, tenant.get("adminApiKey").asText());

        assertPastStates(base, admin, "Project", project, s -> s.get("name").asText(), "Before", "After");
        assertPastStates(base, admin, "Task", task, s -> s.get("status").asText(), "READY", "COMPLETED");
        assertPastStates(base, admin, "Principal", worker.get("id").asText(),
                s -> s.get("revoked").asText(), "false", "true");
        assertPastStates(base, admin, "KnowledgeEntry", entry, s -> s.get("title").asText(), "First", "Second");
        assertPastStates(base, tenantAdmin, "Tenant", tenant.get("id").asText(),
                s -> s.get("name").asText(), "Elsewhere", "Elsewhere");
    }

    /** By version 0 and by its creation's instant: the first state; by the last event's instant and by default: the last. */
    private static void assertPastStates(String base, String token, String type, String id,
                                         Function<JsonNode, String> feature, String first, String last)
            throws Exception {
        String path = base + "/v1/audit/aggregates/" + id;
        JsonNode events = getJson(path + "/events", token).get("items");
        String created = events.get(0).get("occurredAt").asText();
        JsonNode lastEvent = events.get(events.size() - 1);

        JsonNode byVersion = getJson(path + "/state?version=0", token);
        assertThat(byVersion.get("aggregateType").asText()).isEqualTo(type);
        assertThat(byVersion.get("version").asLong()).isZero();
        assertThat(feature.apply(byVersion.get("state"))).as(type + " at version 0").isEqualTo(first);

        JsonNode atCreation = getJson(path + "/state?asOf=" + created, token);
        assertThat(feature.apply(atCreation.get("state"))).as(type + " as of its creation").isEqualTo(first);

        JsonNode atLastEvent = getJson(path + "/state?asOf=" + lastEvent.get("occurredAt").asText(), token);
        assertThat(atLastEvent.get("version").asLong()).isEqualTo(lastEvent.get("version").asLong());
        assertThat(feature.apply(atLastEvent.get("state"))).as(type + " as of its last event").isEqualTo(last);
        assertThat(feature.apply(getJson(path + "/state", token).get("state"))).isEqualTo(last);
    }

    /**
     * The JVM dies (SIGKILL) after a command with an Idempotency-Key committed and before its answer left: after a
     * restart, the retry with the same key gets the first answer and the command is not executed again.
     */
    @Test
    void aRetryAfterTheJvmDiedBetweenCommitAndAnswerGetsTheFirstAnswer() throws Exception {
        String token = accessToken(app.baseUrl(), PackagedJar.ADMIN_KEY);
        String name = "Crash " + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"name\":\"" + name + "\"}";

        CompletableFuture<HttpResponse<String>> lost = HttpClient.newHttpClient().sendAsync(
                create(app.baseUrl(), token, key, body).header(HoldAnswerFilter.HEADER, "true").build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(30)).until(() -> projectsNamed(app.baseUrl(), token, name) == 1);
        app.kill();
        assertThat(lost).failsWithin(Duration.ofSeconds(30));

        app.start();
        String restartedToken = accessToken(app.baseUrl(), PackagedJar.ADMIN_KEY);
        HttpResponse<String> retry = send(create(app.baseUrl(), restartedToken, key, body));

        assertThat(retry.statusCode()).isEqualTo(201);
        assertThat(retry.headers().firstValue("Idempotent-Replayed")).hasValue("true");
        JsonNode project = MAPPER.readTree(retry.body());
        assertThat(project.get("name").asText()).isEqualTo(name);
        assertThat(projectsNamed(app.baseUrl(), restartedToken, name)).isEqualTo(1);
        assertThat(getJson(app.baseUrl() + "/v1/audit/aggregates/" + project.get("id").asText() + "/events",
                restartedToken).get("items")).hasSize(1);
    }

    private static HttpRequest.Builder create(String base, String token, String key, String body) {
        return HttpRequest.newBuilder(URI.create(base + "/v1/projects"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .header("Idempotency-Key", key).POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private static long projectsNamed(String base, String token, String name) throws Exception {
        JsonNode items = getJson(base + "/v1/projects?limit=200", token).get("items");
        long count = 0;
        for (JsonNode project : items) {
            if (project.get("name").asText().equals(name)) {
                count++;
            }
        }
        return count;
    }
}
