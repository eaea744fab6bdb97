package io.agentledger.bench;

import io.agentledger.bench.baseline.BaselineSchema;
import org.HdrHistogram.Histogram;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.Set;
import java.util.UUID;

/**
 * The whole benchmark: one PostgreSQL, AgentLedger and the row-lock baseline started side by side, every scenario of
 * quality.md's performance table, one table. Targets are ratios to the baseline measured in the same run, or absolute
 * figures where quality.md says so.
 */
public final class Benchmark {

    static final List<String> ALL = List.of("claim", "race", "handoff", "list", "replay", "knowledge", "analytics");

    private final Options options;
    private final Report report = new Report();
    private final Set<String> scenarios;

    public Benchmark(Options options) {
        this.options = options;
        String chosen = options.get("scenarios", "all");
        this.scenarios = chosen.equals("all") ? Set.copyOf(ALL) : Set.of(chosen.split(","));
    }

    private final List<ServerProcess> moreNodes = new ArrayList<>();
    /** When AgentLedger's claim rounds and the replay ran, for {@code --profile}. */
    private final List<Profile.Window> claimWindows = new ArrayList<>();
    private final List<Profile.Window> replayWindows = new ArrayList<>();

    public Report run() throws Exception {
        Path work = Files.createTempDirectory("agentledger-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        System.out.println("work directory (server logs): " + work);
        try (Database database = Database.start(options, work)) {
            String agentLedgerDb = database.create("agentledger_bench");
            String baselineDb = database.create("baseline_bench");
            try (Connection connection = database.connect(baselineDb)) {
                BaselineSchema.create(connection);
            }
            System.out.println(Report.header());
            try (ServerProcess baseline = Servers.baseline(options, database, baselineDb, work.resolve("baseline.log"),
                    ServerProcess.freePort());
                 ServerProcess agentLedger = Servers.agentLedger(options, database, agentLedgerDb,
                         work.resolve("agentledger"), ServerProcess.freePort())) {
                coldStart(agentLedger, baseline);
                List<String> nodes = startMoreNodes(database, agentLedgerDb, work, agentLedger);
                ApiClient admin = ApiClient.login(agentLedger.baseUrl(), Servers.ADMIN_KEY);
                int agentCount = options.integer("agents", 32);
                List<ApiClient> agents = Fixture.agents(admin, "agent", Math.max(agentCount,
                        scenarios.contains("race") ? options.integer("race-agents", 64) : 0), 8);
                String claimProject = null;
                if (scenarios.contains("claim")) {
                    claimProject = claim(database, agentLedgerDb, baselineDb, agentLedger, baseline, admin,
                            spread(agents.subList(0, agentCount), nodes));
                }
                if (scenarios.contains("race")) {
                    race(admin, agents.subList(0, options.integer("race-agents", 64)));
                }
                if (scenarios.contains("handoff")) {
                    handoff(admin, agents);
                }
                if (scenarios.contains("knowledge") && options.integer("knowledge-entries", 100_000) > 0) {
                    knowledge(admin);
                }
                if (scenarios.contains("list") || scenarios.contains("replay")) {
                    BulkScenarios bulk = new BulkScenarios(options, report, database, agentLedgerDb, admin,
                            ApiClient.login(agentLedger.baseUrl(), Servers.OPERATOR_KEY));
                    bulk.run(scenarios.contains("replay"), scenarios.contains("list"));
                    bulk.replayWindow().ifPresent(replayWindows::add);
                }
                if (scenarios.contains("analytics")) {
                    analytics(admin, claimProject != null ? claimProject : Fixture.project(admin, "analytics"));
                }
            } finally {
                for (ServerProcess node : moreNodes) {
                    node.close();
                }
            }
            if (options.flag("profile", false)) {
                Path recording = Profile.recording(work.resolve("agentledger"));
                Profile.summarize(recording, "claim rounds", claimWindows).forEach(report::note);
                Profile.summarize(recording, "projection replay", replayWindows).forEach(report::note);
            }
            if (!options.get("write", "docs/benchmarks.md").equals("none")) {
                report.writeInto(Path.of(options.get("write", "docs/benchmarks.md")), database.version(),
                        options.commandLine());
            } else {
                System.out.println(report.markdown(database.version(), options.commandLine()));
            }
        }
        return report;
    }

    /**
     * {@code --nodes N}: N-1 more AgentLedger nodes on the same database (each both sides, its own node id), for the
     * claim scenario's agents to be spread over; answers every node's base URL, the first one first.
     */
    private List<String> startMoreNodes(Database database, String agentLedgerDb, Path work, ServerProcess first)
            throws Exception {
        List<String> urls = new ArrayList<>(List.of(first.baseUrl()));
        int count = Math.max(1, options.integer("nodes", 1));
        for (int node = 2; node <= count; node++) {
            ServerProcess more = Servers.agentLedger(options, database, agentLedgerDb,
                    work.resolve("agentledger-" + node), ServerProcess.freePort(), "node-" + node);
            moreNodes.add(more);
            urls.add(more.baseUrl());
        }
        if (count > 1) {
            report.note("AgentLedger ran as " + count + " nodes on one database; the claim scenario's agents were "
                    + "spread over them round robin");
        }
        return urls;
    }

    private static List<ApiClient> spread(List<ApiClient> agents, List<String> nodes) {
        List<ApiClient> spread = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            spread.add(agents.get(i).at(nodes.get(i % nodes.size())));
        }
        return spread;
    }

    private void coldStart(ServerProcess agentLedger, ServerProcess baseline) {
        double al = agentLedger.coldStart().toMillis();
        double bl = baseline.coldStart().toMillis();
        report.add(new Report.Row("cold start to ready", "AgentLedger", 1, "—", al, al, al, al, 0,
                ratio(bl / al), "reported", "—"));
        report.add(new Report.Row("cold start to ready", "row-lock baseline", 1, "—", bl, bl, bl, bl, 0, "1.00×",
                "reported", "—"));
    }

    private String claim(Database database, String agentLedgerDb, String baselineDb, ServerProcess agentLedger,
                         ServerProcess baseline, ApiClient admin, List<ApiClient> agents) throws Exception {
        int tasks = options.integer("tasks", 20_000);
        Duration duration = options.duration("duration", Duration.ofSeconds(60));
        Duration warmup = options.duration("warmup", Duration.ofSeconds(20));
        int warmupTasks = options.integer("warmup-tasks", 3_000);
        List<ApiClient> baselineAgents = new ArrayList<>();
        for (int i = 0; i < agents.size(); i++) {
            baselineAgents.add(ApiClient.withBearer(baseline.baseUrl(), "agent-" + i));
        }
        // The machine is shared and noisy: the measured time is cut into rounds that alternate between the two
        // systems, so a burst of outside load does not fall on one of them only. Each baseline round gets a fresh
        // project of the same size; AgentLedger's project is big enough for all rounds.
        int rounds = Math.max(1, options.integer("rounds", 3));
        Duration slice = duration.dividedBy(rounds);
        String warmBaseline = UUID.randomUUID().toString();
        List<String> baselineProjects = new ArrayList<>();
        try (Connection connection = database.connect(baselineDb)) {
            BaselineSchema.fill(connection, warmBaseline, Math.max(warmupTasks, 50_000));
            for (int r = 0; r < rounds; r++) {
                baselineProjects.add(UUID.randomUUID().toString());
                BaselineSchema.fill(connection, baselineProjects.get(r), tasks);
            }
        }
        String warmProject = Fixture.project(admin, "warm-up");
        String project = Fixture.project(admin, "claim-next");
        long began = System.nanoTime();
        Fixture.tasks(admin, warmProject, warmupTasks, 16);
        Fixture.tasks(admin, project, tasks, 16);
        report.note(String.format(Locale.ROOT, "%d tasks created through the API for the claim scenario at %.0f/s",
                warmupTasks + tasks, (warmupTasks + tasks) / ((System.nanoTime() - began) / 1e9)));

        System.out.println("warming up both systems for " + warmup.toSeconds() + " s each");
        ClaimLoad.run(baselineAgents, warmBaseline, warmup, null);
        ClaimLoad.run(agents, warmProject, warmup, null);

        List<ClaimLoad.Outcome> baseRuns = new ArrayList<>();
        List<ClaimLoad.Outcome> alRuns = new ArrayList<>();
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        LagSampler lag = new LagSampler(admin, options.integer("lag-sample-every", 5));
        CostMeter meter = CostMeter.of(database, baselineDb);
        CostMeter.Reading baseCost = CostMeter.Reading.zero();
        CostMeter.Reading alCost = CostMeter.Reading.zero();
        try (lag) {
            for (int r = 0; r < rounds; r++) {
                CostMeter.Reading before = meter.read(baseline.pid(), baselineDb);
                baseRuns.add(ClaimLoad.run(baselineAgents, baselineProjects.get(r), slice, null));
                baseCost = baseCost.plus(meter.read(baseline.pid(), baselineDb).minus(before));
                before = meter.read(agentLedger.pid(), agentLedgerDb);
                Instant from = Instant.now();
                alRuns.add(ClaimLoad.run(agents, project, slice, lag, claimedBy));
                claimWindows.add(new Profile.Window(from, Instant.now()));
                alCost = alCost.plus(meter.read(agentLedger.pid(), agentLedgerDb).minus(before));
            }
        }
        ClaimLoad.Outcome base = ClaimLoad.sum(baseRuns);
        ClaimLoad.Outcome al = ClaimLoad.sum(alRuns);
        if (rounds > 1) {
            report.note("claim scenario measured in " + rounds + " alternating rounds of " + slice.toSeconds()
                    + " s per system; round ratios " + roundRatios(baseRuns, alRuns));
        }
        report.note("cost of one claim-next → complete, measured around the rounds: AgentLedger "
                + alCost.perCycle(al.cycles()) + "; row-lock baseline " + baseCost.perCycle(base.cycles()));
        long completedTwice = Fixture.completedTwice(database, agentLedgerDb);
        double ratio = al.throughput() / base.throughput();
        double p99 = Report.ms(al.claimMicros(), 99);
        boolean met = ratio >= 0.7 && p99 <= 50 && al.doubleClaims() == 0 && completedTwice == 0;
        String scenario = "claim-next → complete, " + agents.size() + " agents, " + tasks + " READY tasks "
                + "(latency: claim-next)";
        report.row(scenario, "AgentLedger", al.claimMicros(), perSecond(al.throughput()), al.errors(), ratio(ratio),
                "≥ 0.7× baseline, p99 ≤ 50 ms, 0 double claims", (met ? "met" : "missed") + "; double claims "
                        + al.doubleClaims() + ", completed twice " + completedTwice);
        report.row(scenario, "row-lock baseline", base.claimMicros(), perSecond(base.throughput()), base.errors(),
                "1.00×", "—", "double claims " + base.doubleClaims());
        report.row("claim-next + complete round trip", "AgentLedger", al.cycleMicros(), perSecond(al.throughput()),
                al.errors(), ratio(ratio), "API p95 < 500 ms", Report.ms(al.cycleMicros(), 95) < 500 ? "met" : "missed");
        report.row("claim-next + complete round trip", "row-lock baseline", base.cycleMicros(),
                perSecond(base.throughput()), base.errors(), "1.00×", "—", "—");
        Histogram lagMicros = lag.micros();
        boolean lagMet = Report.ms(lagMicros, 95) <= 100 && Report.ms(lagMicros, 99) <= 250 && lag.errors() == 0;
        report.row("command acknowledged → visible in the task list read model (under the claim load)",
                "AgentLedger", lagMicros, "—", lag.errors(), "—", "p95 ≤ 100 ms, p99 ≤ 250 ms",
                lagMet ? "met" : "missed");
        return project;
    }

    private void race(ApiClient admin, List<ApiClient> agents) throws Exception {
        String project = Fixture.project(admin, "race");
        RaceScenario.Outcome race = RaceScenario.run(admin, project, agents, options.integer("race-rounds", 200));
        boolean met = race.roundsWithOneWinner() == race.rounds() && race.errors() == 0;
        report.row(agents.size() + " agents claim the same task at once, " + race.rounds() + " times (latency: claim)",
                "AgentLedger", race.micros(), "—", race.errors(), "—", "exactly one 200 each time, the rest 409",
                (met ? "met" : "missed") + "; " + race.roundsWithOneWinner() + "/" + race.rounds()
                        + " rounds with one winner, " + race.conflicts() + " × 409");
    }

    private void handoff(ApiClient admin, List<ApiClient> agents) throws Exception {
        String project = Fixture.project(admin, "handoff");
        int rate = options.integer("handoff-rate", 50);
        HandoffScenario.Outcome handoff = HandoffScenario.run(admin, project,
                agents.subList(0, Math.min(agents.size(), options.integer("waiters", 8))),
                options.integer("handoff-tasks", 500), rate);
        double p95 = Report.ms(handoff.micros(), 95);
        report.row("task created → handed to a waiting claim-next long-poll, " + rate + " tasks/s", "AgentLedger",
                handoff.micros(), perSecond(handoff.createdPerSecond()), handoff.errors(), "—", "p95 ≤ 25 ms",
                (p95 <= 25 && handoff.handedOff() == handoff.created() ? "met" : "missed") + "; "
                        + handoff.handedOff() + "/" + handoff.created() + " handed off");
    }

    private void knowledge(ApiClient admin) throws Exception {
        int entries = options.integer("knowledge-entries", 100_000);
        KnowledgeSearchScenario knowledge = new KnowledgeSearchScenario(admin, 42, 8);
        long began = System.nanoTime();
        long refused = knowledge.load(entries);
        report.note(String.format(Locale.ROOT, "%d knowledge entries recorded through the API at %.0f/s", entries,
                entries / ((System.nanoTime() - began) / 1e9)));
        ScenarioResult result = knowledge.search(entries, options.integer("searches", 2_000));
        report.add(new Report.Row("knowledge search, " + entries + " entries", "AgentLedger", result.operations(),
                perSecond(result.throughputPerSecond()), result.p50Millis(), result.p95Millis(), result.p99Millis(),
                result.maxMillis(), result.errors() + refused, "—", "p95 ≤ 30 ms",
                result.p95Millis() <= 30 && result.errors() == 0 ? "met" : "missed"));
    }

    private void analytics(ApiClient admin, String project) throws Exception {
        String path = "/v1/analytics/projects/" + project + "/summary";
        ApiClient.Response probe = admin.get(path);
        if (probe.status() == 404) {
            report.note("analytics: GET /v1/analytics/projects/{id}/summary answered 404 in this build — the endpoint "
                    + "is not there yet (issue #8), scenario skipped");
            return;
        }
        Histogram micros = ClaimLoad.histogram();
        long[] errors = {0};
        int requests = options.integer("analytics-requests", 200);
        long began = System.nanoTime();
        Fixture.parallel(requests, 4, i -> {
            long start = System.nanoTime();
            ApiClient.Response response = admin.get(path);
            synchronized (micros) {
                ClaimLoad.record(micros, System.nanoTime() - start);
                if (response.status() != 200) {
                    errors[0]++;
                }
            }
        });
        double rate = requests / ((System.nanoTime() - began) / 1e9);
        report.row("analytics project summary", "AgentLedger", micros, perSecond(rate), errors[0], "—",
                "API p95 < 500 ms", Report.ms(micros, 95) < 500 && errors[0] == 0 ? "met" : "missed");
    }

    private static String roundRatios(List<ClaimLoad.Outcome> base, List<ClaimLoad.Outcome> al) {
        List<String> ratios = new ArrayList<>();
        for (int r = 0; r < base.size(); r++) {
            ratios.add(ratio(al.get(r).throughput() / base.get(r).throughput()));
        }
        return String.join(", ", ratios);
    }

    static String ratio(double ratio) {
        return String.format(Locale.ROOT, "%.2f×", ratio);
    }

    static String perSecond(double rate) {
        return String.format(Locale.ROOT, "%.1f/s", rate);
    }
}
