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

/**
 * GET /v1/admin/projections, replay, dead letters and their retry, as the platform's operator drives them over HTTP;
 * the projections are shared by every tenant, so no tenant's admin may touch them.
 */
class ProjectionAdminHttpTest extends QuerySideTest {

    private static final List<String> READ_MODELS = List.of("projects", "project_task_counts", "tasks",
            "audit_log");

    private final String tenant = "ops-" + UUID.randomUUID();
    private final String admin = token(tenant, UUID.randomUUID().toString(), "admin");
    /** The bootstrap operator belongs to tenant default; its tenant plays no part in what it sees. */
    private final String operator = token("default", UUID.randomUUID().toString(), "operator");

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
                get("/v1/admin/projections", operator).body().get("items").spliterator(), false)
                .map(item -> item.get("name").asText()).toList();
        assertThat(names).contains("projects", "principals", "tasks", "knowledge", "audit-log", "analytics").isSorted();
    }

    @Test
    void onlyTheOperatorMayOperateTheProjections() {
        List<String> forbidden = new ArrayList<>();
        for (String role : List.of("agent", "auditor", "analyst", "admin")) {
            forbidden.add(token(tenant, UUID.randomUUID().toString(), role));
        }
        // the admin of tenant default (the operator's own tenant) and the admin of a tenant created a moment ago
        forbidden.add(token("default", ADMIN, "admin"));
        forbidden.add(token("fresh-" + UUID.randomUUID(), UUID.randomUUID().toString(), "admin"));
        // a row no event made: the projection's reset handler empties the table, and a replay would not bring it back
        String sentinel = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO projects (id, tenant_id, name, status, created_at, updated_at, version) "
                + "VALUES (?, ?, 'sentinel', 'ACTIVE', now(), now(), 0)", sentinel, tenant);
        try {
            for (String token : forbidden) {
                for (Response refused : List.of(get("/v1/admin/projections", token),
                        post("/v1/admin/projections/projects/replay", token),
                        get("/v1/admin/projections/projects/dead-letters", token),
                        post("/v1/admin/projections/projects/dead-letters/retry", token))) {
                    assertThat(refused.status()).isEqualTo(403);
                    assertThat(refused.code()).isEqualTo("FORBIDDEN");
                    assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
                }
            }
            assertThat(jdbc.queryForObject("SELECT count(*) FROM projects WHERE id = ?", Long.class, sentinel))
                    .as("no refused replay reset the projection").isOne();
            assertThat(get("/v1/admin/projections", null).status()).isEqualTo(401);

            assertThat(get("/v1/admin/projections", operator).status()).isEqualTo(200);
            assertThat(get("/v1/admin/projections/projects/dead-letters", operator).status()).isEqualTo(200);
            assertThat(post("/v1/admin/projections/projects/dead-letters/retry?tenantId=" + tenant, operator)
                    .status()).isEqualTo(202);
            assertThat(post("/v1/admin/projections/projects/replay", operator).status()).isEqualTo(202);
            assertThat(jdbc.queryForObject("SELECT count(*) FROM projects WHERE id = ?", Long.class, sentinel))
                    .as("the operator's replay reset the projection").isZero();
            awaitCaughtUp();
        } finally {
            jdbc.update("DELETE FROM projects WHERE id = ?", sentinel);
        }
        assertThat(get("/v1/admin/projections/nope/dead-letters", operator).code()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1/admin/projections/nope/replay", operator).code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/admin/projections/projects/dead-letters?limit=0", operator).code())
                .isEqualTo("VALIDATION_FAILED");
        assertThat(get("/v1/admin/projections/projects/dead-letters?tenantId=%20", operator).code())
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
            Response replay = post("/v1/admin/projections/" + name + "/replay", operator);
            assertThat(replay.status()).isEqualTo(202);
            assertThat(replay.body().get("name").asText()).isEqualTo(name);
        }
        awaitCaughtUp();
        assertThat(readModels()).isEqualTo(live);
        assertThat(get("/v1/projects/" + project, admin).body().get("description").asText()).isEqualTo("after");
    }

    @Test
    void aPoisonEventIsParkedWithItsErrorAndRetriedAfterTheFix() {
        String group = PoisonedHandler.GROUP;
        String path = "/v1/admin/projections/" + group + "/dead-letters";
        String poison = UUID.randomUUID().toString();
        String healthy = UUID.randomUUID().toString();
        String otherTenant = "other-" + UUID.randomUUID();
        String othersPoison = UUID.randomUUID().toString();
        append("Project", poison, 0, new ProjectCreatedEvent(poison, tenant, PoisonedHandler.POISON, null));
        append("Project", poison, 1, new ProjectDetailsChangedEvent(poison, tenant, "later", null));
        append("Project", othersPoison, 0, new ProjectCreatedEvent(othersPoison, otherTenant, PoisonedHandler.POISON,
                null));
        append("Project", healthy, 0, new ProjectCreatedEvent(healthy, tenant, "Healthy", null));
        await().atMost(Duration.ofSeconds(10)).until(() -> PoisonedHandler.HANDLED.contains(healthy));

        JsonNode letters = await().atMost(Duration.ofSeconds(10)).until(
                () -> get(path + "?tenantId=" + tenant, operator).body(), body -> body.get("items").size() == 2);
        JsonNode first = letters.get("items").get(0);
        assertThat(first.get("eventType").asText()).isEqualTo("ProjectCreatedEvent");
        assertThat(first.get("tenantId").asText()).isEqualTo(tenant);
        assertThat(first.get("aggregateId").asText()).isEqualTo(poison);
        assertThat(first.get("sequenceNumber").asLong()).isZero();
        assertThat(first.get("cause").get("type").asText()).isEqualTo(IllegalStateException.class.getName());
        assertThat(first.get("cause").get("message").asText()).isEqualTo("cannot digest " + poison);
        assertThat(first.get("payload").get("projectId").asText()).isEqualTo(poison);
        // the later event of the same aggregate waits behind it, in order
        assertThat(letters.get("items").get(1).get("eventType").asText()).isEqualTo("ProjectDetailsChangedEvent");
        assertThat(projection(group).get("state").asText()).isEqualTo("RUNNING");
        assertThat(get(path + "?tenantId=" + tenant + "&limit=1", operator).body()
                .get("nextCursor").isNull()).isFalse();
        JsonNode othersLetters = await().atMost(Duration.ofSeconds(10)).until(
                () -> get(path + "?tenantId=" + otherTenant, operator).body(), body -> body.get("items").size() == 1);
        assertThat(othersLetters.get("items").get(0).get("aggregateId").asText()).isEqualTo(othersPoison);
        // without tenantId the operator sees every tenant's parked events (other tests may have parked some too)
        JsonNode everyTenants = get(path + "?limit=200", operator).body().get("items");
        assertThat(everyTenants).extracting(letter -> letter.get("aggregateId").asText())
                .contains(poison, othersPoison);
        assertThat(everyTenants).extracting(letter -> letter.get("tenantId").asText()).contains(tenant, otherTenant);
        assertThat(projection(group).get("deadLetters").asLong()).isEqualTo(everyTenants.size());

        // neither tenant's admin may read or retry them, not even its own tenant's
        for (String tenantAdmin : List.of(admin, token(otherTenant, UUID.randomUUID().toString(), "admin"))) {
            assertThat(get(path + "?tenantId=" + tenant, tenantAdmin).code()).isEqualTo("FORBIDDEN");
            assertThat(post(path + "/retry", tenantAdmin).code()).isEqualTo("FORBIDDEN");
        }
        assertThat(get(path + "?tenantId=" + tenant, operator).body().get("items")).hasSize(2);
        assertThat(get(path + "?tenantId=" + otherTenant, operator).body().get("items")).hasSize(1);

        Response stillBroken = post(path + "/retry?tenantId=" + tenant, operator);
        assertThat(stillBroken.status()).isEqualTo(202);
        assertThat(stillBroken.body().get("succeeded").asInt()).isZero();
        assertThat(stillBroken.body().get("remaining").asLong()).isEqualTo(2);

        PoisonedHandler.CURED_TENANTS.add(tenant);
        Response retried = post(path + "/retry?tenantId=" + tenant, operator);
        assertThat(retried.status()).isEqualTo(202);
        assertThat(retried.body().get("attempted").asInt()).isEqualTo(1);
        assertThat(retried.body().get("succeeded").asInt()).isEqualTo(1);
        assertThat(retried.body().get("remaining").asLong()).isZero();
        assertThat(PoisonedHandler.HANDLED).contains(poison, poison + ":later").doesNotContain(othersPoison);
        assertThat(get(path + "?tenantId=" + tenant, operator).body().get("items")).isEmpty();
        assertThat(get(path + "?tenantId=" + otherTenant, operator).body().get("items")).hasSize(1);

        // without tenantId a retry hands back every tenant's parked sequences
        PoisonedHandler.CURED_TENANTS.add(otherTenant);
        JsonNode parked = get(path + "?limit=200", operator).body().get("items");
        long sequences = StreamSupport.stream(parked.spliterator(), false)
                .map(letter -> letter.get("aggregateId").asText()).distinct().count();
        Response everyTenantsRetried = post(path + "/retry", operator);
        assertThat(everyTenantsRetried.status()).isEqualTo(202);
        assertThat(everyTenantsRetried.body().get("attempted").asLong()).isEqualTo(sequences);
        assertThat(everyTenantsRetried.body().get("succeeded").asInt()).isEqualTo(1);
        assertThat(everyTenantsRetried.body().get("remaining").asLong()).isEqualTo(parked.size() - 1);
        assertThat(PoisonedHandler.HANDLED).contains(othersPoison);
        assertThat(get(path + "?tenantId=" + otherTenant, operator).body().get("items")).isEmpty();
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
        for (JsonNode item : get("/v1/admin/projections", operator).body().get("items")) {
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
