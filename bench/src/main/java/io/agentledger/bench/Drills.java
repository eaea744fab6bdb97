package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.embedded.EmbeddedPostgresServer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The slow reliability checks of quality.md, run against the real standalone jar in its own JVM, on a PostgreSQL
 * server of the drill's own (started from the embedded binaries in a work directory, so stopping it disturbs nobody
 * else's database). Each prints PASS or FAIL with its figures; {@code scripts/drills.sh} runs them all.
 * <ul>
 *   <li>{@code kill}: SIGKILL of the server under the claim load, then a restart;</li>
 *   <li>{@code outage}: PostgreSQL stopped for 10 s under the claim load, then started again;</li>
 *   <li>{@code lease}: a lease that expires while the server is down.</li>
 * </ul>
 */
public final class Drills {

    /** Tables each projection owns, compared before and after a fresh replay. */
    private static final Map<String, List<String>> READ_MODELS = Map.of(
            "projects", List.of("projects", "project_task_counts"),
            "principals", List.of("principals"),
            "tasks", List.of("tasks"),
            "knowledge", List.of("knowledge_entries", "knowledge_revisions"),
            "audit-log", List.of("audit_log"));

    public record Result(String drill, boolean passed, String figures) {

        String markdown() {
            return "| " + drill + " | " + (passed ? "PASS" : "FAIL") + " | " + figures + " |";
        }
    }

    private final Options options;
    private final Path work;
    private final EmbeddedPostgresServer postgres;
    private final int pgPort;
    private final Database database;

    private Drills(Options options, Path work, EmbeddedPostgresServer postgres, Database database) {
        this.options = options;
        this.work = work;
        this.postgres = postgres;
        this.pgPort = postgres.port();
        this.database = database;
    }

    public static List<Result> run(Options options) throws Exception {
        Path work = Files.createTempDirectory("agentledger-drills",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        System.out.println("work directory (server logs): " + work);
        EmbeddedPostgresServer postgres = EmbeddedPostgresServer.start(work.resolve("postgres"), true);
        Runtime.getRuntime().addShutdownHook(new Thread(postgres::close));
        Options external = Options.parse("--pg-url", postgres.jdbcUrl("postgres"), "--pg-user", postgres.user());
        List<Result> results = new ArrayList<>();
        Drills drills = new Drills(options, work, postgres, Database.start(external, work));
        try {
            String which = options.get("drill", "all");
            if (which.equals("all") || which.contains("kill")) {
                results.add(drills.killDuringLoad());
            }
            if (which.equals("all") || which.contains("lease")) {
                results.add(drills.leaseExpiresWhileDown());
            }
            if (which.equals("all") || which.contains("outage")) {
                results.add(drills.databaseOutage());
            }
        } finally {
            drills.postgres().close();
        }
        System.out.println();
        System.out.println("| drill | result | figures |\n|---|---|---|");
        results.forEach(r -> System.out.println(r.markdown()));
        if (!options.get("write", "docs/reliability.md").equals("none")) {
            write(Path.of(options.get("write", "docs/reliability.md")), results);
        }
        return results;
    }

    private EmbeddedPostgresServer current;

    private EmbeddedPostgresServer postgres() {
        return current == null ? postgres : current;
    }

    private ServerProcess start(String db, Path dataDir, int port) throws Exception {
        return Servers.agentLedger(options, database, db, dataDir, port);
    }

    // ---------------------------------------------------------------- kill -9 under load

    Result killDuringLoad() throws Exception {
        String db = database.create("drill_kill");
        Path dataDir = work.resolve("kill");
        int port = ServerProcess.freePort();
        ServerProcess server = start(db, dataDir, port);
        ApiClient admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
        String project = Fixture.project(admin, "kill");
        List<ApiClient> agents = Fixture.agents(admin, "kill-agent", options.integer("agents", 32), 8);
        Fixture.tasks(admin, project, options.integer("drill-tasks", 3_000), 16);
        Acknowledged acknowledged = new Acknowledged();
        Duration before = options.duration("kill-after", Duration.ofSeconds(10));
        ExecutorService load = Executors.newSingleThreadExecutor();
        Future<ClaimLoad.Outcome> running = load.submit(() -> ClaimLoad.run(agents, project,
                before.plusSeconds(5), acknowledged));
        Thread.sleep(before.toMillis());
        long ackedAtKill = acknowledged.count();
        server.kill();
        ClaimLoad.Outcome outcome = running.get(5, TimeUnit.MINUTES);
        load.shutdown();

        long restart = System.nanoTime();
        server = start(db, dataDir, port);
        double restartSeconds = (System.nanoTime() - restart) / 1e9;
        try {
            admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
            long missing = acknowledged.missingFrom(database, db);
            long twice = Fixture.completedTwice(database, db);
            Fixture.awaitCaughtUp(admin, Duration.ofMinutes(5));
            List<String> differing = replayDiffers(admin, db);
            boolean passed = missing == 0 && twice == 0 && differing.isEmpty() && outcome.cycles() > 0;
            return report(new Result("kill -9 of the server during the " + agents.size() + "-agent claim load, then restart",
                    passed, String.format(Locale.ROOT, "%d commands acknowledged (%d before the kill), %d of their "
                                    + "events missing; %d tasks completed twice; %d of %d read models equal to a fresh "
                                    + "replay%s; restart to ready %.1f s; %d requests failed while the server was down",
                            acknowledged.count(), ackedAtKill, missing, twice,
                            READ_MODELS.size() - (int) READ_MODELS.keySet().stream()
                                    .filter(p -> differing.stream().anyMatch(d -> READ_MODELS.get(p).stream()
                                            .anyMatch(t -> d.startsWith(t + ":")))).count(),
                            READ_MODELS.size(), differing.isEmpty() ? "" : " (differ: " + differing + ")",
                            restartSeconds, outcome.errors())));
        } finally {
            server.close();
        }
    }

    // ---------------------------------------------------------------- lease expiry across a restart

    Result leaseExpiresWhileDown() throws Exception {
        String db = database.create("drill_lease");
        Path dataDir = work.resolve("lease");
        int port = ServerProcess.freePort();
        ServerProcess server = start(db, dataDir, port);
        ApiClient admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
        String project = Fixture.project(admin, "lease");
        ApiClient agent = Fixture.agents(admin, "lease-agent", 1, 1).get(0);
        ApiClient.Response created = admin.post("/v1/projects/" + project + "/tasks", "{\"title\":\"short lease\"}");
        String taskId = created.json().get("id").asText();
        Fixture.require(agent.post("/v1/tasks/" + taskId + "/claim", "{\"leaseSeconds\":10}"), 200, "claim");
        server.kill();
        Thread.sleep(15_000); // the lease expires while nothing runs
        long restart = System.nanoTime();
        server = start(db, dataDir, port);
        long ready = System.nanoTime();
        try {
            admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
            String status = "";
            long deadline = ready + TimeUnit.SECONDS.toNanos(60);
            JsonNode task = null;
            while (System.nanoTime() < deadline) {
                task = admin.get("/v1/tasks/" + taskId).json();
                status = task.path("status").asText();
                if (status.equals("READY") || status.equals("FAILED")) {
                    break;
                }
                Thread.sleep(100);
            }
            double afterReady = (System.nanoTime() - ready) / 1e9;
            boolean passed = (status.equals("READY") || status.equals("FAILED")) && afterReady <= 10;
            return report(new Result("lease expiry across a restart (10 s lease, server down 15 s)", passed,
                    String.format(Locale.ROOT, "task %s %.1f s after the restarted server was ready (restart took "
                                    + "%.1f s); attempts %s", status, afterReady, (ready - restart) / 1e9,
                            task == null ? "?" : task.path("attempts").asText())));
        } finally {
            server.close();
        }
    }

    // ---------------------------------------------------------------- PostgreSQL stopped for 10 s

    Result databaseOutage() throws Exception {
        String db = database.create("drill_outage");
        Path dataDir = work.resolve("outage");
        int port = ServerProcess.freePort();
        ServerProcess server = start(db, dataDir, port);
        try {
            ApiClient admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
            String project = Fixture.project(admin, "outage");
            List<ApiClient> agents = Fixture.agents(admin, "outage-agent", options.integer("agents", 32), 8);
            Fixture.tasks(admin, project, options.integer("drill-tasks", 3_000), 16);
            ApiClient leaseAgent = agents.get(0);
            String leased = Fixture.project(admin, "outage-lease");
            String leasedTask = admin.post("/v1/projects/" + leased + "/tasks", "{\"title\":\"lease over outage\"}")
                    .json().get("id").asText();

            Acknowledged acknowledged = new Acknowledged();
            Map<Integer, AtomicLong> statusesDuringOutage = new ConcurrentHashMap<>();
            AtomicLong slowestFailureMillis = new AtomicLong();
            AtomicBoolean down = new AtomicBoolean();
            Duration outage = options.duration("outage", Duration.ofSeconds(10));
            ExecutorService load = Executors.newFixedThreadPool(2);
            Future<ClaimLoad.Outcome> running = load.submit(() -> ClaimLoad.run(agents, project,
                    outage.plusSeconds(40), acknowledged));
            // a prober of its own, for the answers while the database is away
            Future<?> probing = load.submit(() -> {
                long end = System.nanoTime() + outage.plusSeconds(35).toNanos();
                while (System.nanoTime() < end) {
                    long began = System.nanoTime();
                    ApiClient.Response response;
                    try {
                        response = agents.get(1).post("/v1/projects/" + project + "/tasks/claim-next", "{}");
                    } catch (RuntimeException e) {
                        statusesDuringOutage.computeIfAbsent(-1, k -> new AtomicLong()).incrementAndGet();
                        continue;
                    }
                    long took = (System.nanoTime() - began) / 1_000_000;
                    if (down.get()) {
                        statusesDuringOutage.computeIfAbsent(response.status(), k -> new AtomicLong()).incrementAndGet();
                        if (response.status() >= 500) {
                            slowestFailureMillis.accumulateAndGet(took, Math::max);
                        }
                    } else if (response.status() == 200) {
                        JsonNode task = response.json();
                        agents.get(1).post("/v1/tasks/" + task.get("id").asText() + "/complete",
                                "{\"leaseId\":\"" + task.get("claim").get("leaseId").asText() + "\"}");
                    }
                    Thread.sleep(50);
                }
                return null;
            });
            Thread.sleep(5_000);
            Fixture.require(leaseAgent.post("/v1/tasks/" + leasedTask + "/claim", "{\"leaseSeconds\":10}"), 200,
                    "claim with a short lease");
            down.set(true);
            long stopped = System.nanoTime();
            postgres().close();
            long readinessDownAt = awaitStatus(server.baseUrl() + "/actuator/health/readiness", 503,
                    Duration.ofSeconds(30));
            double readinessDown = (readinessDownAt - stopped) / 1e9;
            Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - stopped) / 1_000_000));
            current = EmbeddedPostgresServer.start(work.resolve("postgres"), true, pgPort);
            Runtime.getRuntime().addShutdownHook(new Thread(current::close));
            long started = System.nanoTime();
            down.set(false);
            long readyAt = awaitStatus(server.baseUrl() + "/actuator/health/readiness", 200, Duration.ofSeconds(120));
            double recovered = (readyAt - started) / 1e9;
            ClaimLoad.Outcome outcome = running.get(5, TimeUnit.MINUTES);
            probing.get(5, TimeUnit.MINUTES);
            load.shutdown();

            String leaseStatus = "";
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (System.nanoTime() < deadline && !leaseStatus.equals("READY")) {
                leaseStatus = admin.get("/v1/tasks/" + leasedTask).json().path("status").asText();
                Thread.sleep(200);
            }
            double leaseAfterRestart = (System.nanoTime() - started) / 1e9;
            long missing = acknowledged.missingFrom(database, db);
            long fiveHundreds = statusesDuringOutage.entrySet().stream()
                    .filter(e -> e.getKey() >= 500 && e.getKey() != 503 || e.getKey() == -1)
                    .mapToLong(e -> e.getValue().get()).sum();
            long unavailable = statusesDuringOutage.getOrDefault(503, new AtomicLong()).get();
            boolean passed = missing == 0 && fiveHundreds == 0 && unavailable > 0 && slowestFailureMillis.get() < 10_000
                    && readinessDown < 30 && recovered < 120 && leaseStatus.equals("READY")
                    && outcome.cycles() > acknowledged.completionsBefore(stopped);
            return report(new Result("PostgreSQL stopped for " + outage.toSeconds() + " s during the "
                    + agents.size() + "-agent claim load, then started", passed, String.format(Locale.ROOT,
                    "answers while down: %s (slowest 503 %d ms); readiness DOWN %.1f s after the stop, UP %.1f s after "
                            + "the start; %d commands acknowledged, %d of their events missing; %d completions "
                            + "after the restart; lease that expired during the outage: %s %.1f s after the start",
                    statusesDuringOutage, slowestFailureMillis.get(), readinessDown, recovered, acknowledged.count(),
                    missing, outcome.cycles() - acknowledged.completionsBefore(stopped), leaseStatus,
                    leaseAfterRestart)));
        } finally {
            server.close();
        }
    }

    // ---------------------------------------------------------------- checks

    /** Every acknowledged command with the version it answered: its event must be in the store. */
    static final class Acknowledged implements ClaimLoad.Listener {

        private final Map<String, Long> versions = new ConcurrentHashMap<>();
        private final Map<String, Long> claims = new ConcurrentHashMap<>();
        private final Map<String, Long> at = new ConcurrentHashMap<>();

        @Override
        public void claimed(String taskId, long version) {
            claims.put(taskId, version);
        }

        @Override
        public void completed(String taskId, long version, long acknowledgedAtNanos) {
            versions.put(taskId, version);
            at.put(taskId, acknowledgedAtNanos);
        }

        /** Acknowledged claims and completions. */
        long count() {
            return versions.size() + claims.size();
        }

        long completionsBefore(long nanos) {
            return at.values().stream().filter(t -> t < nanos).count();
        }

        /** Acknowledged claims and completions whose event (at the answered version) is not in the store. */
        long missingFrom(Database database, String url) throws Exception {
            try (Connection connection = database.connect(url);
                 PreparedStatement find = connection.prepareStatement("SELECT payload_type FROM domain_event_entry "
                         + "WHERE aggregate_identifier = ? AND sequence_number = ?")) {
                return missing(find, claims, "TaskClaimedEvent") + missing(find, versions, "TaskCompletedEvent");
            }
        }

        private static long missing(PreparedStatement find, Map<String, Long> acknowledged, String type)
                throws Exception {
            long missing = 0;
            for (Map.Entry<String, Long> ack : acknowledged.entrySet()) {
                find.setString(1, ack.getKey());
                find.setLong(2, ack.getValue());
                try (ResultSet rs = find.executeQuery()) {
                    if (!rs.next() || !rs.getString(1).endsWith(type)) {
                        missing++;
                    }
                }
            }
            return missing;
        }
    }

    /** Replays every projection and answers the tables that do not converge to what they held before. */
    private List<String> replayDiffers(ApiClient admin, String url) throws Exception {
        Map<String, String> before = fingerprints(url);
        for (String projection : READ_MODELS.keySet()) {
            Fixture.require(admin.post("/v1/admin/projections/" + projection + "/replay", ""), 202,
                    "replay " + projection);
        }
        // "converges": a replay restarts asynchronously, so the tables are compared until they agree or time runs out
        Map<String, String> after = Map.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            Fixture.awaitCaughtUp(admin, Duration.ofMinutes(10));
            after = fingerprints(url);
            if (after.equals(before)) {
                break;
            }
        }
        Map<String, String> replayed = after;
        List<String> differing = new ArrayList<>();
        READ_MODELS.forEach((projection, tables) -> tables.stream()
                .filter(t -> !before.get(t).equals(replayed.get(t)))
                .forEach(t -> differing.add(t + ": " + before.get(t).split(":")[0] + " rows live, "
                        + replayed.get(t).split(":")[0] + " after the replay")));
        return differing;
    }

    private Map<String, String> fingerprints(String url) throws Exception {
        Map<String, String> tables = new LinkedHashMap<>();
        try (Connection connection = database.connect(url); Statement statement = connection.createStatement()) {
            for (List<String> names : READ_MODELS.values()) {
                for (String table : names) {
                    try (ResultSet rs = statement.executeQuery("SELECT count(*) || ':' || coalesce(md5(string_agg("
                            + "t::text, '|' ORDER BY t::text)), '') FROM " + table + " t")) {
                        rs.next();
                        tables.put(table, rs.getString(1));
                    }
                }
            }
        }
        return tables;
    }

    /** Polls until the URL answers {@code status}; answers the nanoTime it did. */
    private static long awaitStatus(String url, int status, Duration timeout) throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newBuilder()
                .version(java.net.http.HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                int answered = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                                .timeout(Duration.ofSeconds(10)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode();
                if (answered == status) {
                    return System.nanoTime();
                }
            } catch (java.io.IOException e) {
                // not answering at all is not the status we wait for
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(url + " did not answer " + status + " within " + timeout);
    }

    private static Result report(Result result) {
        System.out.println((result.passed() ? "PASS " : "FAIL ") + result.drill() + ": " + result.figures());
        return result;
    }

    private static void write(Path docs, List<Result> results) throws Exception {
        StringBuilder section = new StringBuilder(Report.START.replace("bench", "drills")).append('\n');
        section.append("Last run ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC), `scripts/drills.sh`, on ")
                .append(Report.machine()).append(".\n\n| drill | result | figures |\n|---|---|---|\n");
        results.forEach(r -> section.append(r.markdown()).append('\n'));
        section.append(Report.END.replace("bench", "drills")).append('\n');
        String text = Files.exists(docs) ? Files.readString(docs) : "# Reliability\n\n";
        String start = Report.START.replace("bench", "drills");
        String end = Report.END.replace("bench", "drills");
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        Files.writeString(docs, from >= 0 && to > from
                ? text.substring(0, from) + section + text.substring(to + end.length() + 1) : text + "\n" + section);
        System.out.println("wrote the drill results into " + docs);
    }
}
