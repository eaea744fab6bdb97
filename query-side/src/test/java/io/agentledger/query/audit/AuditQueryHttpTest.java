package io.agentledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import io.agentledger.api.project.ProjectDetailsChangedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskUnblockedEvent;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class AuditQueryHttpTest extends AuditTestSupport {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");

    private final String tenant = newTenant();
    private final String auditor = auditor(tenant);

    @Test
    void anAggregatesHistoryIsEveryEventFromVersionZeroWithItsStoredPayloadAndMetadata() {
        String project = UUID.randomUUID().toString();
        String principal = UUID.randomUUID().toString();
        MetaData metaData = MetaData.with("tenantId", tenant).and("principalId", principal).and("role", "admin")
                .and("correlationId", "corr-1").and("causationId", "cause-1").and("requestId", "req-1")
                .and("traceId", "trace-1");
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Audited", "first"), metaData, T0);
        for (int version = 1; version <= 3; version++) {
            append("Project", project, version, new ProjectDetailsChangedEvent(project, tenant, "Audited " + version,
                    null), MetaData.emptyInstance(), T0.plusSeconds(version));
        }
        append("Project", project, 4, new ProjectArchivedEvent(project, tenant), MetaData.emptyInstance(),
                T0.plusSeconds(4));
        // a snapshot is another table: the history never starts at it
        jdbc.update("INSERT INTO snapshot_event_entry (aggregate_identifier, sequence_number, type, event_identifier,"
                        + " time_stamp, payload_type, payload_revision, payload) VALUES (?, 3, 'Project', ?, ?, ?, '1', ?)",
                project, UUID.randomUUID().toString(), T0.plusSeconds(3).toString(), "io.agentledger.Snapshot",
                "{}".getBytes());

        Response all = get("/v1/audit/aggregates/" + project + "/events", auditor);
        assertThat(all.status()).as(all.raw().body()).isEqualTo(200);
        JsonNode items = all.body().get("items");
        assertThat(versions(items)).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(all.body().get("nextCursor").isNull()).isTrue();
        assertThat(texts(items, "type")).containsExactly("ProjectCreatedEvent", "ProjectDetailsChangedEvent",
                "ProjectDetailsChangedEvent", "ProjectDetailsChangedEvent", "ProjectArchivedEvent");
        assertThat(positions(items)).isSorted().doesNotHaveDuplicates();

        JsonNode created = items.get(0);
        assertThat(created.get("position").asLong()).isPositive();
        assertThat(created.get("aggregateType").asText()).isEqualTo("Project");
        assertThat(created.get("aggregateId").asText()).isEqualTo(project);
        assertThat(created.get("revision").asText()).isEqualTo("1");
        assertThat(Instant.parse(created.get("occurredAt").asText())).isEqualTo(T0);
        JsonNode payload = created.get("payload");
        assertThat(payload.isObject()).isTrue();
        assertThat(payload.get("projectId").asText()).isEqualTo(project);
        assertThat(payload.get("tenantId").asText()).isEqualTo(tenant);
        assertThat(payload.get("name").asText()).isEqualTo("Audited");
        assertThat(payload.get("description").asText()).isEqualTo("first");
        JsonNode metadata = created.get("metadata");
        assertThat(fieldNames(metadata)).containsExactly("tenantId", "principalId", "role", "correlationId",
                "causationId", "requestId");
        assertThat(metadata.get("tenantId").asText()).isEqualTo(tenant);
        assertThat(metadata.get("principalId").asText()).isEqualTo(principal);
        assertThat(metadata.get("role").asText()).isEqualTo("admin");
        assertThat(metadata.get("correlationId").asText()).isEqualTo("corr-1");
        assertThat(metadata.get("causationId").asText()).isEqualTo("cause-1");
        assertThat(metadata.get("requestId").asText()).isEqualTo("req-1");
        JsonNode changed = items.get(1);
        assertThat(changed.get("payload").get("description").isNull()).isTrue();
        assertThat(fieldNames(changed.get("metadata"))).hasSize(6);
        assertThat(changed.get("metadata").get("principalId").isNull()).isTrue();
        assertThat(Instant.parse(items.get(4).get("occurredAt").asText())).isEqualTo(T0.plusSeconds(4));

        // pages of two, each continuing where the last one stopped
        List<Long> paged = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            Response page = get("/v1/audit/aggregates/" + project + "/events?limit=2"
                    + (cursor == null ? "" : "&cursor=" + cursor), auditor);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            paged.addAll(versions(page.body().get("items")));
            cursor = page.body().get("nextCursor").isNull() ? null : page.body().get("nextCursor").asText();
            pages++;
        } while (cursor != null);
        assertThat(paged).containsExactly(0L, 1L, 2L, 3L, 4L);
        assertThat(pages).isEqualTo(3);

        assertThat(versions(get("/v1/audit/aggregates/" + project + "/events?fromVersion=3", auditor).body()
                .get("items"))).containsExactly(3L, 4L);
        Response beyond = get("/v1/audit/aggregates/" + project + "/events?fromVersion=9", auditor);
        assertThat(beyond.status()).isEqualTo(200);
        assertThat(beyond.body().get("items")).isEmpty();
        assertThat(beyond.body().get("nextCursor").isNull()).isTrue();
        // the admin of the tenant reads it too
        assertThat(versions(get("/v1/audit/aggregates/" + project + "/events",
                token(tenant, UUID.randomUUID().toString(), "admin")).body().get("items"))).hasSize(5);
    }

    @Test
    void anotherTenantsAggregateIsNotFound() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Mine", null),
                MetaData.with("tenantId", tenant), T0);

        Response theirs = get("/v1/audit/aggregates/" + project + "/events", auditor(newTenant()));
        assertThat(theirs.status()).isEqualTo(404);
        assertThat(theirs.code()).isEqualTo("NOT_FOUND");
        Response admin = get("/v1/audit/aggregates/" + project + "/events");
        assertThat(admin.status()).isEqualTo(404);
        Response unknown = get("/v1/audit/aggregates/" + UUID.randomUUID() + "/events", auditor);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("NOT_FOUND");
        assertThat(get("/v1/audit/aggregates/" + project + "/events", auditor).status()).isEqualTo(200);
    }

    @Test
    void theGlobalStreamIsTheTenantsEventsInPositionOrderFilteredAndResumable() {
        String other = newTenant();
        String project = UUID.randomUUID().toString();
        String task = UUID.randomUUID().toString();
        String theirs = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Streamed", null),
                MetaData.emptyInstance(), T0);
        append("Project", theirs, 0, new ProjectCreatedEvent(theirs, other, "Theirs", null),
                MetaData.emptyInstance(), T0);
        append("Task", task, 0, taskCreated(task, tenant, project), MetaData.emptyInstance(), T0.plusSeconds(1));
        append("Project", project, 1, new ProjectDetailsChangedEvent(project, tenant, "Renamed", null),
                MetaData.emptyInstance(), T0.plusSeconds(2));
        append("Project", theirs, 1, new ProjectArchivedEvent(theirs, other), MetaData.emptyInstance(),
                T0.plusSeconds(2));
        append("Task", task, 1, new TaskUnblockedEvent(task, tenant, project), MetaData.emptyInstance(),
                T0.plusSeconds(3));
        append("Project", project, 2, new ProjectArchivedEvent(project, tenant), MetaData.emptyInstance(),
                T0.plusSeconds(4));
        awaitIndexed(tenant, 5);
        awaitIndexed(other, 2);

        Response all = get("/v1/audit/events", auditor);
        assertThat(all.status()).as(all.raw().body()).isEqualTo(200);
        JsonNode items = all.body().get("items");
        assertThat(texts(items, "type")).containsExactly("ProjectCreatedEvent", "TaskCreatedEvent",
                "ProjectDetailsChangedEvent", "TaskUnblockedEvent", "ProjectArchivedEvent");
        assertThat(texts(items, "aggregateId")).containsExactly(project, task, project, task, project);
        assertThat(positions(items)).isSorted().doesNotHaveDuplicates();
        assertThat(all.body().get("nextPosition").asLong()).isEqualTo(positions(items).get(4));
        items.forEach(item -> assertThat(item.get("payload").get("tenantId").asText()).isEqualTo(tenant));
        JsonNode created = items.get(1);
        assertThat(created.get("aggregateType").asText()).isEqualTo("Task");
        assertThat(created.get("version").asLong()).isZero();
        assertThat(created.get("revision").asText()).isEqualTo("1");
        assertThat(created.get("payload").get("title").asText()).isEqualTo("Audit me");
        assertThat(Instant.parse(created.get("occurredAt").asText())).isEqualTo(T0.plusSeconds(1));

        // resumed page by page from afterPosition: the same events, each once
        List<Long> resumed = new ArrayList<>();
        long after = 0;
        while (true) {
            Response page = get("/v1/audit/events?limit=2&afterPosition=" + after, auditor);
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.body().get("items").size()).isLessThanOrEqualTo(2);
            if (page.body().get("items").isEmpty()) {
                assertThat(page.body().get("nextPosition").asLong()).isEqualTo(after);
                break;
            }
            resumed.addAll(positions(page.body().get("items")));
            after = page.body().get("nextPosition").asLong();
        }
        assertThat(resumed).isEqualTo(positions(items));
        assertThat(positions(get("/v1/audit/events?afterPosition=" + positions(items).get(2), auditor).body()
                .get("items"))).isEqualTo(positions(items).subList(3, 5));

        assertThat(types("type=ProjectCreatedEvent")).containsExactly("ProjectCreatedEvent");
        assertThat(types("type=ProjectCreatedEvent&type=TaskUnblockedEvent"))
                .containsExactly("ProjectCreatedEvent", "TaskUnblockedEvent");
        assertThat(types("type=ProjectArchivedEvent,TaskCreatedEvent"))
                .containsExactly("TaskCreatedEvent", "ProjectArchivedEvent");
        assertThat(types("type=NoSuchEvent")).isEmpty();
        assertThat(types("aggregateType=Task")).containsExactly("TaskCreatedEvent", "TaskUnblockedEvent");
        assertThat(types("aggregateType=Project&type=ProjectArchivedEvent&type=TaskCreatedEvent"))
                .containsExactly("ProjectArchivedEvent");
        assertThat(types("aggregateType=&type=")).hasSize(5);

        JsonNode theirStream = get("/v1/audit/events", auditor(other)).body().get("items");
        assertThat(texts(theirStream, "aggregateId")).containsExactly(theirs, theirs);
        assertThat(texts(theirStream, "type")).containsExactly("ProjectCreatedEvent", "ProjectArchivedEvent");
    }

    @Test
    void theExportIsTheTenantsEventsAsNdjsonInPositionOrderWithinTheTimeRange() throws Exception {
        String other = newTenant();
        List<String> projects = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            String project = UUID.randomUUID().toString();
            projects.add(project);
            append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Exported " + i, null),
                    MetaData.with("tenantId", tenant).and("requestId", "req-" + i), T0.plusSeconds(i));
            String theirs = UUID.randomUUID().toString();
            append("Project", theirs, 0, new ProjectCreatedEvent(theirs, other, "Not exported", null),
                    MetaData.emptyInstance(), T0.plusSeconds(i));
        }
        awaitIndexed(tenant, 5);
        awaitIndexed(other, 5);

        HttpResponse<String> export = export("", auditor);
        assertThat(export.statusCode()).isEqualTo(200);
        assertThat(export.headers().firstValue("Content-Type").orElseThrow()).startsWith("application/x-ndjson");
        assertThat(export.headers().firstValue("X-Accel-Buffering")).contains("no");
        assertThat(export.body()).endsWith("\n");
        List<JsonNode> lines = lines(export);
        assertThat(lines).hasSize(5);
        assertThat(lines.stream().map(line -> line.get("aggregateId").asText())).containsExactlyElementsOf(projects);
        assertThat(lines.stream().map(line -> line.get("position").asLong()).toList()).isSorted();
        // each line is the item the stream gives
        JsonNode stream = get("/v1/audit/events", auditor).body().get("items");
        for (int i = 0; i < 5; i++) {
            assertThat(lines.get(i)).isEqualTo(stream.get(i));
        }
        assertThat(lines.get(2).get("metadata").get("requestId").asText()).isEqualTo("req-2");

        assertThat(aggregateIds(export("?from=" + T0.plusSeconds(1) + "&to=" + T0.plusSeconds(3), auditor)))
                .containsExactly(projects.get(1), projects.get(2));
        assertThat(aggregateIds(export("?from=" + T0.plusSeconds(3), auditor)))
                .containsExactly(projects.get(3), projects.get(4));
        assertThat(aggregateIds(export("?to=" + T0.plusSeconds(1), auditor))).containsExactly(projects.get(0));
        assertThat(aggregateIds(export("?from=2030-01-01T00:00:00Z", auditor))).isEmpty();
        assertThat(export("?from=2030-01-01T00:00:00Z", auditor).body()).isEmpty();
        assertThat(lines(export("", auditor(other)))).hasSize(5)
                .allSatisfy(line -> assertThat(line.get("payload").get("tenantId").asText()).isEqualTo(other));

        Response bad = get("/v1/audit/export?from=yesterday", auditor);
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(bad.body().get("errors").get(0).get("field").asText()).isEqualTo("from");
        Response backwards = get("/v1/audit/export?from=" + T0.plusSeconds(1) + "&to=" + T0, auditor);
        assertThat(backwards.status()).isEqualTo(400);
        assertThat(backwards.body().get("errors").get(0).get("field").asText()).isEqualTo("to");
        assertThat(get("/v1/audit/export?to=2025-13-01", auditor).body().get("errors").get(0).get("field")
                .asText()).isEqualTo("to");
    }

    @Test
    void auditorsAndAdminsReadTheAuditLogAgentsAndAnalystsDoNot() throws Exception {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Guarded", null),
                MetaData.emptyInstance(), T0);
        awaitIndexed(tenant, 1);
        List<String> paths = List.of("/v1/audit/aggregates/" + project + "/events", "/v1/audit/events",
                "/v1/audit/export");

        for (String role : List.of("auditor", "admin")) {
            String token = token(tenant, UUID.randomUUID().toString(), role);
            for (String path : paths) {
                assertThat(raw(path, token).statusCode())
                        .as(role + " " + path).isEqualTo(200);
            }
            assertThat(get("/v1/audit/events", token).body().get("items")).hasSize(1);
            assertThat(lines(export("", token))).hasSize(1);
        }
        for (String role : List.of("agent", "analyst")) {
            String token = token(tenant, UUID.randomUUID().toString(), role);
            for (String path : paths) {
                Response denied = get(path, token);
                assertThat(denied.status()).as(role + " " + path).isEqualTo(403);
                assertThat(denied.code()).as(role + " " + path).isEqualTo("FORBIDDEN");
            }
        }
        for (String path : paths) {
            assertThat(get(path, null).status()).as(path).isEqualTo(401);
        }
    }

    @Test
    void badParametersAreValidationProblems() {
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Paged", null),
                MetaData.emptyInstance(), T0);
        append("Project", project, 1, new ProjectArchivedEvent(project, tenant), MetaData.emptyInstance(), T0);
        String history = "/v1/audit/aggregates/" + project + "/events?";
        String cursor = get(history + "limit=1", auditor).body().get("nextCursor").asText();
        String otherCursor = HistoryCursor.encode(UUID.randomUUID().toString(), 1);

        for (String query : List.of(history + "limit=0", history + "limit=201", history + "fromVersion=-1",
                history + "fromVersion=abc", history + "cursor=%25%25", history + "cursor=" + otherCursor,
                history + "cursor=" + cursor + "&fromVersion=1", "/v1/audit/events?afterPosition=-1",
                "/v1/audit/events?limit=0", "/v1/audit/events?limit=201", "/v1/audit/events?afterPosition=x")) {
            Response response = get(query, auditor);
            assertThat(response.status()).as(query).isEqualTo(400);
            assertThat(response.code()).as(query).isIn("VALIDATION_FAILED", "MALFORMED_REQUEST");
        }
        assertThat(field(get(history + "cursor=" + otherCursor, auditor))).isEqualTo("cursor");
        assertThat(field(get(history + "fromVersion=-1", auditor))).isEqualTo("fromVersion");
        assertThat(field(get("/v1/audit/events?afterPosition=-1", auditor))).isEqualTo("afterPosition");
        assertThat(field(get("/v1/audit/events?limit=500", auditor))).isEqualTo("limit");
        assertThat(versions(get(history + "cursor=" + cursor, auditor).body().get("items"))).containsExactly(1L);
    }

    private static TaskCreatedEvent taskCreated(String task, String tenant, String project) {
        return new TaskCreatedEvent(task, tenant, project, "Audit me", null, TaskPriority.HIGH, List.of(),
                List.of(), List.of(), List.of(), null, 3, 900, TaskStatus.READY);
    }

    private List<String> types(String filter) {
        Response response = get("/v1/audit/events?" + filter, auditor);
        assertThat(response.status()).as(filter).isEqualTo(200);
        return texts(response.body().get("items"), "type");
    }

    private HttpResponse<String> export(String query, String token) throws IOException, InterruptedException {
        return raw("/v1/audit/export" + query, token);
    }

    /** A GET of the raw body: the export is not one JSON document. */
    private HttpResponse<String> raw(String path, String token) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", "Bearer " + token).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private List<JsonNode> lines(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        List<JsonNode> lines = new ArrayList<>();
        response.body().lines().forEach(line -> {
            try {
                lines.add(mapper.readTree(line));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        return lines;
    }

    private List<String> aggregateIds(HttpResponse<String> response) {
        return lines(response).stream().map(line -> line.get("aggregateId").asText()).toList();
    }

    private static String field(Response response) {
        assertThat(response.status()).isEqualTo(400);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        return response.body().get("errors").get(0).get("field").asText();
    }

    private static List<Long> versions(JsonNode items) {
        List<Long> versions = new ArrayList<>();
        items.forEach(item -> versions.add(item.get("version").asLong()));
        return versions;
    }

    private static List<Long> positions(JsonNode items) {
        List<Long> positions = new ArrayList<>();
        items.forEach(item -> positions.add(item.get("position").asLong()));
        return positions;
    }

    private static List<String> texts(JsonNode items, String field) {
        List<String> texts = new ArrayList<>();
        items.forEach(item -> texts.add(item.get(field).asText()));
        return texts;
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        Iterator<String> iterator = node.fieldNames();
        iterator.forEachRemaining(names::add);
        return names;
    }
}
