package io.agentledger.query.projection;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.query.PoisonedHandler;
import io.agentledger.query.QuerySideTest;
import io.agentledger.query.task.TaskEvents;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.StreamSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** GET /v1/admin/projections, replay, dead letters and their retry, as an admin drives them over HTTP. */
class ProjectionAdminHttpTest extends QuerySideTest {

    private static final List<String> READ_MODELS = List.of("projects", "project_task_counts", "tasks",
            "audit_log");

    private final String tenant = "ops-" + UUID.randomUUID();
    private final String admin = token(tenant, UUID.randomUUID().toString(), "admin");

    @Test
    void listsEveryProjectionWithItsStatePositionAndLag() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Listed", null));
        assertThat(get("/v1/projects/" + project + "?minVersion=0", admin).status()).isEqualTo(200);

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            JsonNode projects = projection("projects");
            assertThat(projects.get("state").asText()).isEqualTo("RUNNING");
            assertThat(projects.get("headPosition").asLong())
                    .isEqualTo(jdbc.queryForObject("SELECT MAX(global_index) FROM domain_event_entry", Long.class));
            assertThat(projects.get("position").asLong()).isEqualTo(projects.get("headPosition").asLong());
            assertThat(projects.get("lag").asLong()).isZero();
            assertThat(projects.get("replayProgress").isNull()).isTrue();
            assertThat(projects.get("deadLetters").asLong()).isZero();
        });
        List<String> names = StreamSupport.stream(
                get("/v1/admin/projections", admin).body().get("items").spliterator(), false)
                .map(item -> item.get("name").asText()).toList();
        assertThat(names).contains("projects", "principals", "tasks", "knowledge", "audit-log", "analytics").isSorted();
    }

    @Test
    void onlyAnAdminMayOperateTheProjections() {
        for (String role : List.of("agent", "auditor", "analyst")) {
            String token = token(tenant, UUID.randomUUID().toString(), role);
            assertThat(get("/v1/admin/projections", token).code()).isEqualTo("FORBIDDEN");
            assertThat(post("/v1/admin/projections/projects/replay", token).status()).isEqualTo(403);
            assertThat(get("/v1/admin/projections/projects/dead-letters", token).status()).isEqualTo(403);
            assertThat(post("/v1/admin/projections/projects/dead-letters/retry", token).status()).isEqualTo(403);
        }
        assertThat(get("/v1/admin/projections", null).status()).isEqualTo(401);
        assertThat(get("/v1/admin/projections/nope/dead-letters", admin).code()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1/admin/projections/nope/replay", admin).code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/admin/projections/projects/dead-letters?limit=0", admin).code())
                .isEqualTo("VALIDATION_FAILED");
    }

    @Test
    void aReplayRebuildsEveryReadModelIdenticalToTheOneBuiltLive() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Replayed", "before"));
        append("Project", project, 1, new ProjectDetailsChangedEvent(project, tenant, "Replayed", "after"));
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            String task = UUID.randomUUID().toString();
            tasks.add(task);
            append("Task", task, 0, TaskEvents.created(tenant, project, task, "task " + i, TaskPriority.HIGH,
                    List.of("replay")));
            if (i % 2 == 0) {
                append("Task", task, 1, TaskEvents.claimed(tenant, project, task, "agent-" + i, 1));
            }
        }
        String last = tasks.get(tasks.size() - 1);
        assertThat(get("/v1/tasks/" + last + "?minVersion=0", admin).status()).isEqualTo(200);
        awaitCaughtUp();
        Map<String, List<Map<String, String>>> live = readModels();

        for (String name : List.of("projects", "tasks", "audit-log")) {
            Response replay = post("/v1/admin/projections/" + name + "/replay", admin);
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body().get("name").asText()).isEqualTo(name);
        }
        awaitCaughtUp();
        assertThat(readModels()).isEqualTo(live);
        assertThat(get("/v1/projects/" + project, admin).body().get("description").asText()).isEqualTo("after");
    }

    @Test
    void aPoisonEventIsParkedWithItsErrorAndRetriedAfterTheFix() {
        String poison = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        append("Project", poison, 0, new ProjectCreatedEvent(poison, tenant, PoisonedHandler.POISON, null));
        append("Project", poison, 1, new ProjectDetailsChangedEvent(poison, tenant, "later", null));
        append("Project", healthy, 0, new ProjectCreatedEvent(healthy, tenant, "Healthy", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> PoisonedHandler.HANDLED.contains(healthy));

        String group = PoisonedHandler.GROUP;
        JsonNode letters = await().atMost(Duration.ofSeconds(10)).until(
                () -> get("/v1/admin/projections/" + group + "/dead-letters", admin).body(),
                body -> body.get("items").size() == 2);
        JsonNode first = letters.get("items").get(0);
        assertThat(first.get("eventType").asText()).isEqualTo("ProjectCreatedEvent");
        assertThat(first.get("aggregateId").asText()).isEqualTo(poison);
        assertThat(first.get("sequenceNumber").asLong()).isZero();
        assertThat(first.get("cause").get("type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.get("cause").get("message").asText()).isEqualTo("cannot digest " + poison);
        assertThat(first.get("payload").get("projectId").asText()).isEqualTo(poison);
        // the later event of the same aggregate waits behind it, in order
        assertThat(letters.get("items").get(1).get("eventType").asText()).isEqualTo("ProjectDetailsChangedEvent");
        assertThat(projection(group).get("deadLetters").asLong()).isEqualTo(2);
        assertThat(projection(group).get("state").asText()).isEqualTo("RUNNING");
        assertThat(get("/v1/admin/projections/" + group + "/dead-letters?limit=1", admin).body()
                .get("nextCursor").isNull()).isFalse();
        String otherTenant = token("other-" + UUID.randomUUID(), UUID.randomUUID().toString(), "admin");
        assertThat(get("/v1/admin/projections/" + group + "/dead-letters", otherTenant).body().get("items"))
                .isEmpty();

        Response stillBroken = post("/v1/admin/projections/" + group + "/dead-letters/retry", admin);
        assertThat(stillBroken.status()).isEqualTo(202);
        assertThat(stillBroken.body().get("succeeded").asInt()).isZero();
        assertThat(stillBroken.body().get("remaining").asLong()).isEqualTo(2);

        PoisonedHandler.CURED_TENANTS.add(tenant);
        Response retried = post("/v1/admin/projections/" + group + "/dead-letters/retry", admin);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.body().get("attempted").asInt()).isEqualTo(1);
        assertThat(retried.body().get("succeeded").asInt()).isEqualTo(1);
        assertThat(retried.body().get("remaining").asLong()).isZero();
        assertThat(PoisonedHandler.HANDLED).contains(poison, poison + ":later");
        assertThat(get("/v1/admin/projections/" + group + "/dead-letters", admin).body().get("items")).isEmpty();
    }

    @Test
    void prometheusShowsTheProjectionLagAxonMessageMetricsAndHttpMetrics() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Measured", null));
        assertThat(get("/v1/projects/" + project + "?minVersion=0", admin).status()).isEqualTo(200);

        String metrics = get("/actuator/prometheus", admin).raw().body();
        assertThat(metrics).contains("agentledger_projection_lag_events{projection=\"projects\"}")
                .contains("http_server_requests_seconds_count")
                .contains("eventProcessor_processedCounter_total{payloadType=\"ProjectCreatedEvent\","
                        + "processorName=\"projects\"}")
                .contains("queryBus_successCounter_total{");
    }

    private JsonNode projection(String name) {
        for (JsonNode item : get("/v1/admin/projections", admin).body().get("items")) {
            if (item.get("name").asText().equals(name)) {
                return item;
            }
        }
        throw new AssertionError("no projection " + name);
    }

    private void awaitCaughtUp() {
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            for (String name : List.of("projects", "tasks", "audit-log")) {
                JsonNode projection = projection(name);
                assertThat(projection.get("state").asText()).isEqualTo("RUNNING");
                assertThat(projection.get("lag").asLong()).isZero();
            }
        });
    }

    /** Every row of every read model as text (JDBC arrays have no value equality), in a total order of the rows. */
    private Map<String, List<Map<String, String>>> readModels() {
        Map<String, List<Map<String, String>>> tables = new TreeMap<>();
        for (String table : READ_MODELS) {
            tables.put(table, jdbc.queryForList("SELECT * FROM " + table).stream()
                    .map(row -> {
                        Map<String, String> text = new TreeMap<>();
                        row.forEach((column, value) -> text.put(column, String.valueOf(value)));
                        return text;
                    })
                    .sorted(Comparator.comparing(Map::toString))
                    .toList());
        }
        return tables;
    }
}
