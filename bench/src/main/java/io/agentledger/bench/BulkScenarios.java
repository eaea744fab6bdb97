package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.HdrHistogram.Histogram;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.UUID;

/**
 * The two scenarios that need a million of something: the events are appended with JDBC in the stored format (each a
 * copy of a TaskCreatedEvent that AgentLedger itself wrote, with a new task id, title, priority and label), the
 * projections build their read models from them, and then:
 * <ul>
 *   <li>task list, 1 000 000 tasks: keyset pages 500 deep under a filter, p95 ≤ 20 ms;</li>
 *   <li>projection replay of the task list: rate against a plain sequential JDBC read of the event table, ≥ 50 %.</li>
 * </ul>
 * These tasks exist for the read side only: the command side's registry never saw them, so nobody can claim them.
 */
final class BulkScenarios {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String[] PRIORITIES = {"CRITICAL", "HIGH", "MEDIUM", "LOW"};
    private static final int LABELS = 10;

    private final Options options;
    private final Report report;
    private final Database database;
    private final String url;
    private final ApiClient admin;
    /** Projection status and replay belong to the platform's operator, not to a tenant's admin. */
    private final ApiClient operator;

    /** When the replay ran, for {@code --profile}. */
    private Profile.Window replayWindow;

    BulkScenarios(Options options, Report report, Database database, String url, ApiClient admin,
                  ApiClient operator) {
        this.options = options;
        this.report = report;
        this.database = database;
        this.url = url;
        this.admin = admin;
        this.operator = operator;
    }

    void run(boolean replay, boolean list) throws Exception {
        int events = options.integer("bulk-events", 1_000_000);
        String project = Fixture.project(admin, "bulk");
        ApiClient.Response template = admin.post("/v1/projects/" + project + "/tasks",
                "{\"title\":\"bulk template\",\"labels\":[\"l0\"]}");
        Fixture.require(template, 201, "create the template task");
        long began = System.nanoTime();
        append(template.json().get("id").asText(), events);
        double appendSeconds = (System.nanoTime() - began) / 1e9;
        began = System.nanoTime();
        Fixture.awaitCaughtUp(operator, Duration.ofHours(2));
        double catchUpSeconds = (System.nanoTime() - began) / 1e9;
        report.note(String.format(Locale.ROOT, "%d TaskCreatedEvents appended with JDBC in %.0f s; every projection "
                + "had processed them %.0f s later (%.0f events/s, all projections at once)", events, appendSeconds,
                catchUpSeconds, events / catchUpSeconds));
        if (list) {
            taskList(project, events);
        }
        if (replay) {
            replay();
        }
    }

    private void append(String templateTaskId, int count) throws Exception {
        try (Connection connection = database.connect(url)) {
            String type;
            String payloadType;
            String revision;
            byte[] metaData;
            ObjectNode payload;
            try (PreparedStatement read = connection.prepareStatement("SELECT type, payload_type, payload_revision, "
                    + "payload, meta_data FROM domain_event_entry WHERE aggregate_identifier = ? AND sequence_number = 0")) {
                read.setString(1, templateTaskId);
                try (ResultSet rs = read.executeQuery()) {
                    if (!rs.next()) {
                        throw new IllegalStateException("no TaskCreatedEvent for " + templateTaskId);
                    }
                    type = rs.getString(1);
                    payloadType = rs.getString(2);
                    revision = rs.getString(3);
                    payload = (ObjectNode) MAPPER.readTree(rs.getBytes(4));
                    metaData = rs.getBytes(5);
                }
            }
            connection.setAutoCommit(false);
            Instant base = Instant.now();
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO domain_event_entry "
                    + "(event_identifier, aggregate_identifier, sequence_number, type, time_stamp, payload_type, "
                    + "payload_revision, payload, meta_data) VALUES (?, ?, 0, ?, ?, ?, ?, ?, ?)")) {
                for (int i = 0; i < count; i++) {
                    String taskId = UUID.randomUUID().toString();
                    payload.put("taskId", taskId);
                    payload.put("title", "bulk task " + i);
                    payload.put("priority", PRIORITIES[i % PRIORITIES.length]);
                    payload.putArray("labels").add("l" + (i % LABELS));
                    insert.setString(1, UUID.randomUUID().toString());
                    insert.setString(2, taskId);
                    insert.setString(3, type);
                    insert.setString(4, base.plusMillis(i / 10).toString());
                    insert.setString(5, payloadType);
                    insert.setString(6, revision);
                    insert.setBytes(7, MAPPER.writeValueAsString(payload).getBytes(StandardCharsets.UTF_8));
                    insert.setBytes(8, metaData);
                    insert.addBatch();
                    if (i % 2_000 == 1_999 || i == count - 1) {
                        insert.executeBatch();
                        connection.commit();
                    }
                }
            }
        }
    }

    private void taskList(String project, int tasks) throws Exception {
        int pages = options.integer("list-pages", 500);
        Histogram micros = ClaimLoad.histogram();
        long errors = 0;
        long began = System.nanoTime();
        for (String filter : List.of("status=READY", "label=l3", "status=READY&priority=HIGH")) {
            String cursor = null;
            for (int page = 0; page < pages; page++) {
                String path = "/v1/projects/" + project + "/tasks?limit=50&" + filter
                        + (cursor == null ? "" : "&cursor=" + ApiClient.encode(cursor));
                long start = System.nanoTime();
                ApiClient.Response response = admin.get(path);
                ClaimLoad.record(micros, System.nanoTime() - start);
                if (response.status() != 200) {
                    errors++;
                    break;
                }
                JsonNode next = response.json().get("nextCursor");
                if (next == null || next.isNull()) {
                    break;
                }
                cursor = next.asText();
            }
        }
        double rate = micros.getTotalCount() / ((System.nanoTime() - began) / 1e9);
        double p95 = Report.ms(micros, 95);
        report.row("task list, " + tasks + " tasks, filter + keyset pages " + pages + " deep (status, label, "
                        + "status+priority)", "AgentLedger", micros, String.format(Locale.ROOT, "%.1f/s", rate), errors,
                "—", "p95 ≤ 20 ms", p95 <= 20 && errors == 0 ? "met" : "missed");
    }

    Optional<Profile.Window> replayWindow() {
        return Optional.ofNullable(replayWindow);
    }

    private void replay() throws Exception {
        long events;
        long began = System.nanoTime();
        try (Connection connection = database.connect(url)) {
            connection.setAutoCommit(false);
            try (Statement read = connection.createStatement()) {
                read.setFetchSize(1_000);
                long bytes = 0;
                events = 0;
                try (ResultSet rs = read.executeQuery("SELECT global_index, event_identifier, aggregate_identifier, "
                        + "sequence_number, type, time_stamp, payload_type, payload_revision, payload, meta_data "
                        + "FROM domain_event_entry ORDER BY global_index")) {
                    while (rs.next()) {
                        events++;
                        bytes += rs.getBytes(9).length + rs.getString(3).length();
                    }
                }
                if (bytes == 0) {
                    throw new IllegalStateException("read nothing");
                }
            }
        }
        double readRate = events / ((System.nanoTime() - began) / 1e9);
        Histogram readMicros = ClaimLoad.histogram();
        report.add(new Report.Row("plain sequential JDBC read of the event table, " + events + " events",
                "PostgreSQL", events, String.format(Locale.ROOT, "%.0f events/s", readRate), 0, 0, 0,
                (System.nanoTime() - began) / 1e6, 0, "1.00×", "—", "—"));
        readMicros.reset();

        began = System.nanoTime();
        Instant from = Instant.now();
        Fixture.require(operator.post("/v1/admin/projections/tasks/replay", ""), 202, "replay tasks");
        awaitReplayed("tasks", Duration.ofHours(2));
        double seconds = (System.nanoTime() - began) / 1e9;
        replayWindow = new Profile.Window(from, Instant.now());
        double replayRate = events / seconds;
        double ratio = replayRate / readRate;
        report.add(new Report.Row("projection replay of the task list, " + events + " events", "AgentLedger", events,
                String.format(Locale.ROOT, "%.0f events/s", replayRate), 0, 0, 0, seconds * 1000, 0,
                Benchmark.ratio(ratio) + " of the plain read", "≥ 0.50× the plain read",
                ratio >= 0.5 ? "met" : "missed"));
    }

    private void awaitReplayed(String name, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        long startedBy = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        boolean started = false;
        while (System.nanoTime() < deadline) {
            for (JsonNode projection : operator.get("/v1/admin/projections").json().get("items")) {
                if (projection.path("name").asText().equals(name)) {
                    boolean done = projection.path("state").asText().equals("RUNNING")
                            && projection.path("lag").asLong(-1) == 0;
                    if (done && (started || System.nanoTime() > startedBy)) {
                        return;
                    }
                    started |= !done;
                }
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("the replay of " + name + " did not finish within " + timeout);
    }
}
