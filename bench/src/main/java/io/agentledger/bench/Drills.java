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
            ApiClient operator = ApiClient.login(server.baseUrl(), Servers.OPERATOR_KEY);
            long missing = acknowledged.missingFrom(database, db);
            long twice = Fixture.completedTwice(database, db);
            Fixture.awaitCaughtUp(operator, Duration.ofMinutes(5));
            List<String> differing = replayDiffers(operator, db);
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

    /** The outcome of a request sent while PostgreSQL was down that is the only acceptable one. */
    static final String UNAVAILABLE = "503 UNAVAILABLE";

    Result databaseOutage() throws Exception {
        String db = database.create("drill_outage");
        Path dataDir = work.resolve("outage");
        int port = ServerProcess.freePort();
        ServerProcess server = start(db, dataDir, port);
        // a request without an answer within this time hangs; the prober gives up after it
        Duration hang = options.duration("hang", Duration.ofSeconds(15));
        ExecutorService load = Executors.newFixedThreadPool(4);
        try {
            String readiness = server.baseUrl() + "/actuator/health/readiness";
            ApiClient admin = ApiClient.login(server.baseUrl(), Servers.ADMIN_KEY);
            String project = Fixture.project(admin, "outage");
            List<ApiClient> agents = Fixture.agents(admin, "outage-agent", options.integer("agents", 32), 8);
            Fixture.tasks(admin, project, options.integer("drill-tasks", 3_000), 16);
            ApiClient leaseAgent = Fixture.agents(admin, "outage-lease-agent", 1, 1).get(0);
            String leased = Fixture.project(admin, "outage-lease");
            String leasedTask = admin.post("/v1/projects/" + leased + "/tasks", "{\"title\":\"lease over outage\"}")
                    .json().get("id").asText();
            // the prober: a query and a small command (a task in a project of its own), each back to back
            String probes = Fixture.project(admin, "outage-probes");
            String probeTask = admin.post("/v1/projects/" + probes + "/tasks", "{\"title\":\"probed\"}")
                    .json().get("id").asText();
            ApiClient prober = admin.withTimeout(hang);

            Exchanges exchanges = new Exchanges();
            Acknowledged acknowledged = new Acknowledged().recordingInto(exchanges);
            Duration outage = options.duration("outage", Duration.ofSeconds(10));
            Duration loadFor = outage.plusSeconds(40);
            long loadEnd = System.nanoTime() + loadFor.toNanos();
            Future<ClaimLoad.Outcome> running = load.submit(() -> ClaimLoad.run(agents, project, loadFor,
                    acknowledged));
            Future<?> queries = load.submit(() -> probe(loadEnd, "GET task", () -> prober.get("/v1/tasks/" + probeTask),
                    exchanges, null));
            Future<?> commands = load.submit(() -> probe(loadEnd, "create task", () -> prober.post("/v1/projects/"
                    + probes + "/tasks", "{\"title\":\"probe\"}"), exchanges, acknowledged));
            Thread.sleep(2_000);
            // claimed 3 s before the stop, the 10 s lease runs out in the middle of the outage
            Fixture.require(leaseAgent.post("/v1/tasks/" + leasedTask + "/claim", "{\"leaseSeconds\":10}"), 200,
                    "claim with a short lease");
            long leaseExpires = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            Thread.sleep(3_000);
            long stopBegan = System.nanoTime();
            postgres().close();
            long stopped = System.nanoTime();
            long readinessDownAt = awaitStatus(readiness, 503, Duration.ofSeconds(30));
            Thread.sleep(Math.max(0, outage.toMillis() - (System.nanoTime() - stopBegan) / 1_000_000));
            long startBegan = System.nanoTime();
            current = EmbeddedPostgresServer.start(work.resolve("postgres"), true, pgPort);
            Runtime.getRuntime().addShutdownHook(new Thread(current::close));
            long started = System.nanoTime();
            // the task whose lease ran out during the outage, watched while the load goes on
            ApiClient watcher = admin.withTimeout(hang);
            Future<long[]> leaseWatch = load.submit(() -> watchUntilReady(watcher, leasedTask,
                    started + TimeUnit.MINUTES.toNanos(2)));
            long readyAt = awaitStatus(readiness, 200, Duration.ofSeconds(120));
            ClaimLoad.Outcome outcome = running.get(5, TimeUnit.MINUTES);
            long loadEnded = System.nanoTime();
            queries.get(5, TimeUnit.MINUTES);
            commands.get(5, TimeUnit.MINUTES);
            long[] leaseReady = leaseWatch.get(5, TimeUnit.MINUTES);
            String leaseText = leaseReady[0] > 0 ? String.format(Locale.ROOT, "READY %.1f s after the start, %s",
                    (leaseReady[0] - started) / 1e9, leaseReady[0] < loadEnded ? "while the load ran"
                            : "after the load had ended")
                    : "not READY within 2 min of the start";

            long missing = acknowledged.missingFrom(database, db);
            Path requests = dataDir.resolve("requests.csv");
            exchanges.write(requests, stopBegan);
            // the requests sent while PostgreSQL was down, by whether their answer came before or after the start
            List<Exchange> whileDown = exchanges.sentBetween(stopped, startBegan);
            Map<String, Long> answeredDown = Exchanges.count(whileDown.stream()
                    .filter(e -> e.sentAt() + e.took() < startBegan).toList());
            Map<String, Long> answeredAfter = Exchanges.count(whileDown.stream()
                    .filter(e -> e.sentAt() + e.took() >= startBegan).toList());
            Exchange slowest = whileDown.stream().max(java.util.Comparator.comparingLong(Exchange::took)).orElse(null);
            long byProber = whileDown.stream().filter(e -> e.who().equals("prober")).count();
            long hangs = whileDown.stream().filter(e -> e.took() >= hang.toNanos()).count();
            Map<String, Long> otherFailures = Exchanges.count(exchanges.all().stream()
                    .filter(e -> !e.outcome().equals(UNAVAILABLE) && !e.outcome().matches("[234]\\d\\d")).toList());
            long completionsAfter = acknowledged.completionsAfter(started);
            boolean passed = missing == 0 && !answeredDown.isEmpty()
                    && answeredDown.keySet().stream().allMatch(UNAVAILABLE::equals)
                    && answeredAfter.keySet().stream().allMatch(o -> o.equals(UNAVAILABLE) || o.matches("2\\d\\d"))
                    && hangs == 0 && otherFailures.isEmpty() && completionsAfter > 0
                    && leaseReady[0] > 0 && leaseReady[0] - Math.max(started, readyAt) <= TimeUnit.SECONDS.toNanos(10);
            return report(new Result("PostgreSQL stopped for " + outage.toSeconds() + " s during the "
                    + agents.size() + "-agent claim load, then started", passed, String.format(Locale.ROOT,
                    "%d requests sent while it was down (%d by the load, %d by the prober): answered while down %s, "
                            + "after the start %s; slowest %s; %d without an answer within %d s; over the whole run "
                            + "%s other than 2xx–4xx and 503 UNAVAILABLE; readiness DOWN %.1f s after the stop, UP "
                            + "%.1f s after the start; %d commands acknowledged, %d of their events missing; %d "
                            + "completions after the start; the task whose 10 s lease ran out %.1f s into the outage: "
                            + "%s",
                    whileDown.size(), whileDown.size() - byProber, byProber, answeredDown, answeredAfter,
                    slowest == null ? "-" : slowest.took() / 1_000_000 + " ms (" + slowest.outcome() + ", "
                            + slowest.request() + ")", hangs, hang.toSeconds(),
                    otherFailures.isEmpty() ? "no answers" : otherFailures,
                    (readinessDownAt - stopBegan) / 1e9, (readyAt - started) / 1e9, acknowledged.count(), missing,
                    completionsAfter, (leaseExpires - stopBegan) / 1e9, leaseText)));
        } finally {
            load.shutdownNow();
            server.close();
        }
    }

    /** Sends one request after the other until {@code end}, each recorded; acknowledged task creations are noted. */
    private static Void probe(long end, String name, java.util.function.Supplier<ApiClient.Response> request,
                              Exchanges exchanges, Acknowledged acknowledged) throws InterruptedException {
        while (System.nanoTime() < end) {
            long sent = System.nanoTime();
            try {
                ApiClient.Response response = request.get();
                exchanges.record("prober", name, sent, System.nanoTime() - sent, response, null);
                if (acknowledged != null && response.status() == 201) {
                    acknowledged.created(response.json().get("id").asText());
                }
            } catch (RuntimeException e) {
                exchanges.record("prober", name, sent, System.nanoTime() - sent, null, e);
                Thread.sleep(20); // no connection at all: do not spin
            }
        }
        return null;
    }

    /** Polls a task until it is READY or FAILED; answers {nanoTime it was, or -1}. */
    private static long[] watchUntilReady(ApiClient client, String taskId, long deadline) throws InterruptedException {
        while (System.nanoTime() < deadline) {
            try {
                ApiClient.Response task = client.get("/v1/tasks/" + taskId);
                String status = task.status() == 200 ? task.json().path("status").asText() : "";
                if (status.equals("READY") || status.equals("FAILED")) {
                    return new long[] {System.nanoTime()};
                }
            } catch (RuntimeException notYet) {
                // no answer: the server is still recovering
            }
            Thread.sleep(200);
        }
        return new long[] {-1};
    }

    /** One request of the outage drill: who sent it, when ({@code nanoTime}), how long it took, what came back. */
    record Exchange(String who, String request, long sentAt, long took, String outcome) {
    }

    /** Every request of the load and the prober, with its outcome. */
    static final class Exchanges {

        private final java.util.Queue<Exchange> all = new java.util.concurrent.ConcurrentLinkedQueue<>();

        void record(String who, String request, long sentAt, long took, ApiClient.Response response,
                    RuntimeException failure) {
            all.add(new Exchange(who, request, sentAt, took, outcome(response, failure)));
        }

        List<Exchange> all() {
            return List.copyOf(all);
        }

        List<Exchange> sentBetween(long from, long to) {
            return all.stream().filter(e -> e.sentAt() >= from && e.sentAt() < to).toList();
        }

        static Map<String, Long> count(List<Exchange> exchanges) {
            return exchanges.stream().collect(java.util.stream.Collectors.groupingBy(Exchange::outcome,
                    java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        }

        /** "503 UNAVAILABLE" for a 503 problem+json with code UNAVAILABLE, else the status, or why none came. */
        static String outcome(ApiClient.Response response, RuntimeException failure) {
            if (response == null) {
                Throwable cause = failure.getCause() == null ? failure : failure.getCause();
                return cause instanceof java.net.http.HttpTimeoutException ? "timeout"
                        : "no answer (" + cause.getClass().getSimpleName() + ")";
            }
            if (response.status() == 503) {
                boolean problem = response.contentType().startsWith("application/problem+json");
                String code;
                try {
                    code = response.json().path("code").asText();
                } catch (RuntimeException notJson) {
                    code = "";
                }
                return problem && code.equals("UNAVAILABLE") ? UNAVAILABLE
                        : "503 " + (problem ? code : response.contentType());
            }
            return Integer.toString(response.status());
        }

        /** Every request as CSV, its send time in ms from {@code origin} (the stop of PostgreSQL). */
        void write(Path file, long origin) throws java.io.IOException {
            List<String> lines = new ArrayList<>(List.of("who,request,sent_ms_from_stop,took_ms,outcome"));
            all.stream().sorted(java.util.Comparator.comparingLong(Exchange::sentAt)).forEach(e -> lines.add(
                    e.who() + "," + e.request() + "," + (e.sentAt() - origin) / 1_000_000 + ","
                            + e.took() / 1_000_000 + "," + e.outcome()));
            Files.write(file, lines);
            System.out.println("outage drill: " + (lines.size() - 1) + " requests recorded in " + file);
        }
    }

    // ---------------------------------------------------------------- checks

    /** Every acknowledged command with the version it answered: its event must be in the store. */
    static final class Acknowledged implements ClaimLoad.Listener {

        private final Map<String, Long> versions = new ConcurrentHashMap<>();
        private final Map<String, Long> claims = new ConcurrentHashMap<>();
        private final Map<String, Long> created = new ConcurrentHashMap<>();
        private final Map<String, Long> at = new ConcurrentHashMap<>();
        private volatile Exchanges exchanges;

        /** Records every request of the load into {@code into} as well. */
        Acknowledged recordingInto(Exchanges into) {
            this.exchanges = into;
            return this;
        }

        @Override
        public void exchanged(String request, long sentAtNanos, long tookNanos, ApiClient.Response response,
                              RuntimeException failure) {
            if (exchanges != null) {
                exchanges.record("load", request, sentAtNanos, tookNanos, response, failure);
            }
        }

        /** An acknowledged task creation: its first event (sequence 0). */
        void created(String taskId) {
            created.put(taskId, 0L);
        }

        @Override
        public void claimed(String taskId, long version) {
            claims.put(taskId, version);
        }

        @Override
        public void completed(String taskId, long version, long acknowledgedAtNanos) {
            versions.put(taskId, version);
            at.put(taskId, acknowledgedAtNanos);
        }

        /** Acknowledged claims, completions and task creations. */
        long count() {
            return versions.size() + claims.size() + created.size();
        }

        long completionsAfter(long nanos) {
            return at.values().stream().filter(t -> t >= nanos).count();
        }

        /** Acknowledged commands whose event (at the answered version) is not in the store. */
        long missingFrom(Database database, String url) throws Exception {
            try (Connection connection = database.connect(url);
                 PreparedStatement find = connection.prepareStatement("SELECT payload_type FROM domain_event_entry "
                         + "WHERE aggregate_identifier = ? AND sequence_number = ?")) {
                return missing(find, claims, "TaskClaimedEvent") + missing(find, versions, "TaskCompletedEvent")
                        + missing(find, created, "TaskCreatedEvent");
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
    private List<String> replayDiffers(ApiClient operator, String url) throws Exception {
        Map<String, String> before = fingerprints(url);
        for (String projection : READ_MODELS.keySet()) {
            Fixture.require(operator.post("/v1/admin/projections/" + projection + "/replay", ""), 202,
                    "replay " + projection);
        }
        // "converges": a replay restarts asynchronously, so the tables are compared until they agree or time runs out
        Map<String, String> after = Map.of();
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
        while (System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            Fixture.awaitCaughtUp(operator, Duration.ofMinutes(10));
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
        String text = Files.exists(docs) ? Files.readString(docs) : "# Reliability\n\n";
        String start = Report.START.replace("bench", "drills");
        String end = Report.END.replace("bench", "drills");
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        // a run of some of the drills keeps the rows of the others (told by the drill's first word)
        List<String> rows = new ArrayList<>();
        boolean kept = false;
        if (from >= 0 && to > from) {
            for (String line : text.substring(from, to).split("\n")) {
                if (line.startsWith("| ") && !line.startsWith("| drill |")) {
                    String key = line.substring(2).split(" ")[0];
                    Result again = results.stream().filter(r -> r.drill().split(" ")[0].equals(key)).findFirst()
                            .orElse(null);
                    kept |= again == null;
                    rows.add(again == null ? line : again.markdown());
                }
            }
        }
        results.stream().map(Result::markdown).filter(row -> !rows.contains(row)).forEach(rows::add);
        StringBuilder section = new StringBuilder(start).append('\n');
        section.append("Last run ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC), `scripts/drills.sh`, on ")
                .append(Report.machine()).append(kept ? "; the rows of drills not run that time are from the run "
                        + "before" : "").append(".\n\n| drill | result | figures |\n|---|---|---|\n");
        rows.forEach(r -> section.append(r).append('\n'));
        section.append(end).append('\n');
        Files.writeString(docs, from >= 0 && to > from
                ? text.substring(0, from) + section + text.substring(to + end.length() + 1) : text + "\n" + section);
        System.out.println("wrote the drill results into " + docs);
    }
}
