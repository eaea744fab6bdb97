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

    static final List<String> ALL = List.of("claim", "complete-with-next", "race", "handoff", "list", "replay",
            "knowledge", "analytics");

    /** quality.md: the CPU cost of a cycle is measured after at least two minutes of warm-up. */
    static final Duration DEFAULT_WARMUP = Duration.ofMinutes(2);
    /** The complete-with-next scenario's own warm-up at most, when the claim scenario's warm-up and rounds ran first. */
    static final Duration NEXT_WARMUP_AFTER_CLAIM = Duration.ofSeconds(30);

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
                if (scenarios.contains("complete-with-next")) {
                    completeWithNext(database, agentLedgerDb, baselineDb, agentLedger, baseline, admin,
                            spread(agents.subList(0, agentCount), nodes), scenarios.contains("claim"));
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
        Duration warmup = options.duration("warmup", DEFAULT_WARMUP);
        int warmupTasks = options.integer("warmup-tasks", 5_000);
        List<ApiClient> baselineAgents = baselineAgents(baseline, agents.size());
        // The machine is shared and noisy: the measured time is cut into rounds that alternate between the two
        // systems, so a burst of outside load does not fall on one of them only. Each baseline round gets a fresh
        // project of the same size; AgentLedger's project is big enough for all rounds and the lag round after them.
        int rounds = Math.max(1, options.integer("rounds", 3));
        Duration slice = duration.dividedBy(rounds);
        String warmBaseline = UUID.randomUUID().toString();
        int baselineWarmBatch = Math.max(warmupTasks, 50_000);
        List<String> baselineProjects = baselineProjects(database, baselineDb, warmBaseline, baselineWarmBatch,
                rounds, tasks);
        String warmProject = Fixture.project(admin, "warm-up");
        String project = Fixture.project(admin, "claim-next");
        long began = System.nanoTime();
        Fixture.tasks(admin, warmProject, warmupTasks, 16);
        Fixture.tasks(admin, project, tasks, 16);
        report.note(String.format(Locale.ROOT, "%d tasks created through the API for the claim scenario at %.0f/s",
                warmupTasks + tasks, (warmupTasks + tasks) / ((System.nanoTime() - began) / 1e9)));

        // Warm-up: the claim load itself, for --warmup of load per system (2 min by default, so that the JIT has
        // compiled the hot paths before the rounds); a warm-up project that runs dry is refilled and the load goes on.
        System.out.println("warming up both systems with " + warmup.toSeconds() + " s of the claim load each");
        long baseWarm = warmUp(warmup, left -> ClaimLoad.run(baselineAgents, warmBaseline, left, null).cycles(),
                () -> fillBaseline(database, baselineDb, warmBaseline, baselineWarmBatch));
        long alWarm = warmUp(warmup, left -> ClaimLoad.run(agents, warmProject, left, null).cycles(),
                () -> Fixture.tasks(admin, warmProject, warmupTasks, 16));
        report.note("claim scenario warmed up with " + warmup.toSeconds() + " s of the same load per system first "
                + "(AgentLedger " + alWarm + " cycles, row-lock baseline " + baseWarm + ")");

        List<ClaimLoad.Outcome> baseRuns = new ArrayList<>();
        List<ClaimLoad.Outcome> alRuns = new ArrayList<>();
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        CostMeter meter = CostMeter.of(database, baselineDb);
        CostMeter.Reading baseCost = CostMeter.Reading.zero();
        CostMeter.Reading alCost = CostMeter.Reading.zero();
        for (int r = 0; r < rounds; r++) {
            CostMeter.Reading before = meter.read(baseline.pid(), baselineDb);
            baseRuns.add(ClaimLoad.run(baselineAgents, baselineProjects.get(r), slice, null));
            baseCost = baseCost.plus(meter.read(baseline.pid(), baselineDb).minus(before));
            before = meter.read(agentLedger.pid(), agentLedgerDb);
            Instant from = Instant.now();
            alRuns.add(ClaimLoad.run(agents, project, slice, null, claimedBy));
            claimWindows.add(new Profile.Window(from, Instant.now()));
            alCost = alCost.plus(meter.read(agentLedger.pid(), agentLedgerDb).minus(before));
        }
        // The read-model lag is sampled in a round of its own after the measured ones, under the same load (as long
        // as AgentLedger's rounds together by default, for as many samples as when they were taken during them): the
        // sampler's minVersion reads are then in neither the throughput and latencies of the rounds nor their cost.
        Duration lagDuration = options.duration("lag-duration", slice.multipliedBy(rounds));
        LagSampler lag = new LagSampler(admin, options.integer("lag-sample-every", 5));
        ClaimLoad.Outcome lagRound;
        try (lag) {
            lagRound = ClaimLoad.run(agents, project, lagDuration, lag, claimedBy);
        }
        ClaimLoad.Outcome base = ClaimLoad.sum(baseRuns);
        ClaimLoad.Outcome al = ClaimLoad.sum(alRuns);
        if (rounds > 1) {
            report.note("claim scenario measured in " + rounds + " alternating rounds of " + slice.toSeconds()
                    + " s per system; round ratios " + roundRatios(throughputs(baseRuns), throughputs(alRuns)));
        }
        report.note("cost of one claim-next → complete, measured around the rounds: AgentLedger "
                + alCost.perCycle(al.cycles()) + "; row-lock baseline " + baseCost.perCycle(base.cycles()));
        noteStatementsMissing(meter);
        report.note("read-model lag sampled in a round of its own after the measured ones: " + lagDuration.toSeconds()
                + " s of the same claim load, " + lagRound.cycles() + " cycles not counted in the claim rows nor in "
                + "their cost");
        long completedTwice = Fixture.completedTwice(database, agentLedgerDb);
        long doubleClaims = al.doubleClaims() + lagRound.doubleClaims();
        double ratio = al.throughput() / base.throughput();
        double p99 = Report.ms(al.claimMicros(), 99);
        boolean met = ratio >= 0.7 && p99 <= 50 && doubleClaims == 0 && completedTwice == 0;
        String scenario = "claim-next → complete, " + agents.size() + " agents, " + tasks + " READY tasks "
                + "(latency: claim-next)";
        report.row(scenario, "AgentLedger", al.claimMicros(), perSecond(al.throughput()), al.errors(), ratio(ratio),
                "≥ 0.7× baseline, p99 ≤ 50 ms, 0 double claims", (met ? "met" : "missed") + "; double claims "
                        + doubleClaims + ", completed twice " + completedTwice);
        report.row(scenario, "row-lock baseline", base.claimMicros(), perSecond(base.throughput()), base.errors(),
                "1.00×", "—", "double claims " + base.doubleClaims());
        report.row("claim-next + complete round trip", "AgentLedger", al.cycleMicros(), perSecond(al.throughput()),
                al.errors(), ratio(ratio), "API p95 < 500 ms", Report.ms(al.cycleMicros(), 95) < 500 ? "met" : "missed");
        report.row("claim-next + complete round trip", "row-lock baseline", base.cycleMicros(),
                perSecond(base.throughput()), base.errors(), "1.00×", "—", "—");
        Histogram lagMicros = lag.micros();
        long lagErrors = lag.errors() + lagRound.errors();
        boolean lagMet = Report.ms(lagMicros, 95) <= 100 && Report.ms(lagMicros, 99) <= 250 && lagErrors == 0;
        report.row("command acknowledged → visible in the task list read model (under the claim load)",
                "AgentLedger", lagMicros, "—", lagErrors, "—", "p95 ≤ 100 ms, p99 ≤ 250 ms",
                lagMicros.getTotalCount() == 0 ? "no sample" : lagMet ? "met" : "missed");
        return project;
    }

    /**
     * quality.md's complete-with-next loop (option {@code --scenarios complete-with-next}): one request per task on
     * both systems — AgentLedger's {@code POST /v1/tasks/{id}/complete} with {@code next}, and the baseline's complete
     * and SKIP LOCKED claim in one transaction — in alternating rounds like the claim scenario, with the cost of a
     * cycle. A server that answers the completion in the old shape gets a "not supported" row; the baseline is
     * measured all the same.
     */
    private void completeWithNext(Database database, String agentLedgerDb, String baselineDb,
                                  ServerProcess agentLedger, ServerProcess baseline, ApiClient admin,
                                  List<ApiClient> agents, boolean afterClaim) throws Exception {
        int tasks = options.integer("next-tasks", options.integer("tasks", 20_000));
        Duration duration = options.duration("duration", Duration.ofSeconds(60));
        Duration warmup = options.duration("warmup", DEFAULT_WARMUP);
        Duration nextWarmup = options.duration("next-warmup",
                afterClaim && warmup.compareTo(NEXT_WARMUP_AFTER_CLAIM) > 0 ? NEXT_WARMUP_AFTER_CLAIM : warmup);
        int warmupTasks = options.integer("warmup-tasks", 5_000);
        String scenario = "complete-with-next loop, " + agents.size() + " agents";
        String target = "≥ 0.7× baseline";
        List<ApiClient> baselineAgents = baselineAgents(baseline, agents.size());
        int rounds = Math.max(1, options.integer("rounds", 3));
        Duration slice = duration.dividedBy(rounds);

        String warmProject = Fixture.project(admin, "complete-with-next warm-up");
        Fixture.tasks(admin, warmProject, Math.min(warmupTasks, Math.max(2, agents.size())), 16);
        String unsupported;
        try {
            unsupported = CompleteWithNextLoad.probe(agents.get(0), warmProject);
        } catch (RuntimeException e) {
            report.add(new Report.Row(scenario, "AgentLedger", 0, "—", 0, 0, 0, 0, 1, "—", target,
                    "failed: " + e.getMessage()));
            return;
        }
        String project = null;
        if (unsupported == null) {
            project = Fixture.project(admin, "complete-with-next");
            long began = System.nanoTime();
            Fixture.tasks(admin, warmProject, warmupTasks, 16);
            Fixture.tasks(admin, project, tasks, 16);
            report.note(String.format(Locale.ROOT, "%d tasks created through the API for the complete-with-next "
                    + "scenario at %.0f/s", warmupTasks + tasks, (warmupTasks + tasks)
                    / ((System.nanoTime() - began) / 1e9)));
        }
        String warmBaseline = UUID.randomUUID().toString();
        int baselineWarmBatch = Math.max(warmupTasks, 50_000);
        List<String> baselineProjects = baselineProjects(database, baselineDb, warmBaseline, baselineWarmBatch,
                rounds, tasks);

        System.out.println("warming up the complete-with-next loop for " + nextWarmup.toSeconds() + " s per system");
        Map<String, String> warmClaims = new ConcurrentHashMap<>();
        long baseWarm = warmUp(nextWarmup, left -> finished(CompleteWithNextLoad.run(baselineAgents, warmBaseline,
                left, new ConcurrentHashMap<>())).cycles(),
                () -> fillBaseline(database, baselineDb, warmBaseline, baselineWarmBatch));
        long alWarm = unsupported != null ? 0 : warmUp(nextWarmup, left -> finished(CompleteWithNextLoad.run(agents,
                warmProject, left, warmClaims)).cycles(), () -> Fixture.tasks(admin, warmProject, warmupTasks, 16));

        List<CompleteWithNextLoad.Outcome> baseRuns = new ArrayList<>();
        List<CompleteWithNextLoad.Outcome> alRuns = new ArrayList<>();
        Map<String, String> claimedBy = new ConcurrentHashMap<>();
        CostMeter meter = CostMeter.of(database, baselineDb);
        CostMeter.Reading baseCost = CostMeter.Reading.zero();
        CostMeter.Reading alCost = CostMeter.Reading.zero();
        for (int r = 0; r < rounds; r++) {
            CostMeter.Reading before = meter.read(baseline.pid(), baselineDb);
            baseRuns.add(CompleteWithNextLoad.run(baselineAgents, baselineProjects.get(r), slice,
                    new ConcurrentHashMap<>()));
            baseCost = baseCost.plus(meter.read(baseline.pid(), baselineDb).minus(before));
            finished(baseRuns.get(r));
            if (unsupported == null) {
                before = meter.read(agentLedger.pid(), agentLedgerDb);
                CompleteWithNextLoad.Outcome round = CompleteWithNextLoad.run(agents, project, slice, claimedBy);
                alCost = alCost.plus(meter.read(agentLedger.pid(), agentLedgerDb).minus(before));
                finished(round);
                alRuns.add(round);
                unsupported = round.unsupported();
            }
        }
        CompleteWithNextLoad.Outcome base = CompleteWithNextLoad.sum(baseRuns);
        noteStatementsMissing(meter);
        report.note("complete-with-next warmed up with " + nextWarmup.toSeconds() + " s of the same load per system"
                + (unsupported != null ? " (the baseline only: " + baseWarm + " cycles)"
                : " (AgentLedger " + alWarm + " cycles, row-lock baseline " + baseWarm + ")"));
        if (unsupported != null) {
            report.add(new Report.Row(scenario, "AgentLedger", 0, "—", 0, 0, 0, 0, 0, "—", target,
                    "not supported by this server: " + unsupported));
            report.row(scenario, "row-lock baseline", base.micros(), perSecond(base.throughput()), base.errors(),
                    "1.00×", "—", "double claims " + base.doubleClaims());
            report.note("cost of one complete-with-next cycle, measured around the rounds: row-lock baseline "
                    + baseCost.perCycle(base.cycles()) + " (AgentLedger: not supported by this server)");
            return;
        }
        CompleteWithNextLoad.Outcome al = CompleteWithNextLoad.sum(alRuns);
        if (rounds > 1) {
            report.note("complete-with-next measured in " + rounds + " alternating rounds of " + slice.toSeconds()
                    + " s per system; round ratios " + roundRatios(baseRuns.stream()
                    .map(CompleteWithNextLoad.Outcome::throughput).toList(), alRuns.stream()
                    .map(CompleteWithNextLoad.Outcome::throughput).toList()));
        }
        report.note("cost of one complete-with-next cycle, measured around the rounds: AgentLedger "
                + alCost.perCycle(al.cycles()) + "; row-lock baseline " + baseCost.perCycle(base.cycles()));
        long completedTwice = Fixture.completedTwice(database, agentLedgerDb);
        double ratio = al.throughput() / base.throughput();
        boolean met = ratio >= 0.7 && al.doubleClaims() == 0 && completedTwice == 0;
        report.row(scenario, "AgentLedger", al.micros(), perSecond(al.throughput()), al.errors(), ratio(ratio), target,
                (met ? "met" : "missed") + "; double claims " + al.doubleClaims() + ", completed twice "
                        + completedTwice);
        report.row(scenario, "row-lock baseline", base.micros(), perSecond(base.throughput()), base.errors(),
                "1.00×", "—", "double claims " + base.doubleClaims());
    }

    private boolean statementsMissingNoted;

    private void noteStatementsMissing(CostMeter meter) {
        if (meter.statementsNote() != null && !statementsMissingNoted) {
            report.note(meter.statementsNote());
            statementsMissingNoted = true;
        }
    }

    /** The tasks still held after a complete-with-next run, completed outside the measurement. */
    private static CompleteWithNextLoad.Outcome finished(CompleteWithNextLoad.Outcome outcome) {
        CompleteWithNextLoad.completeHeld(outcome);
        return outcome;
    }

    /** Runs a load for part of the warm-up; answers the cycles done. */
    interface WarmUpLoad {
        long run(Duration left) throws Exception;
    }

    /** Gives a warm-up project that ran dry more tasks. */
    interface Refill {
        void refill() throws Exception;
    }

    /**
     * Runs {@code load} until it has run for {@code warmup} in all; whenever it stops early because its project ran
     * dry, the project is refilled (time not counted) and the load goes on. Answers the cycles done.
     */
    static long warmUp(Duration warmup, WarmUpLoad load, Refill refill) throws Exception {
        long cycles = 0;
        long ran = 0;
        int dryInARow = 0;
        while (ran < warmup.toNanos()) {
            long left = warmup.toNanos() - ran;
            long began = System.nanoTime();
            long done = load.run(Duration.ofNanos(left));
            long took = System.nanoTime() - began;
            ran += took;
            cycles += done;
            if (took < left) {
                // ran dry; twice in a row with nothing done means a refill brings nothing claimable: give up
                dryInARow = done == 0 ? dryInARow + 1 : 0;
                if (dryInARow > 1) {
                    break;
                }
                refill.refill();
            }
        }
        return cycles;
    }

    /** Fills the baseline's warm-up project and a fresh project of {@code tasks} per round; answers the latter. */
    private static List<String> baselineProjects(Database database, String baselineDb, String warmProject,
                                                 int warmTasks, int rounds, int tasks) throws Exception {
        List<String> projects = new ArrayList<>();
        try (Connection connection = database.connect(baselineDb)) {
            BaselineSchema.fill(connection, warmProject, warmTasks);
            for (int r = 0; r < rounds; r++) {
                projects.add(UUID.randomUUID().toString());
                BaselineSchema.fill(connection, projects.get(r), tasks);
            }
        }
        return projects;
    }

    private static void fillBaseline(Database database, String baselineDb, String project, int count)
            throws Exception {
        try (Connection connection = database.connect(baselineDb)) {
            BaselineSchema.fill(connection, project, count);
        }
    }

    private static List<ApiClient> baselineAgents(ServerProcess baseline, int count) {
        List<ApiClient> baselineAgents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            baselineAgents.add(ApiClient.withBearer(baseline.baseUrl(), "agent-" + i));
        }
        return baselineAgents;
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

    private static List<Double> throughputs(List<ClaimLoad.Outcome> runs) {
        return runs.stream().map(ClaimLoad.Outcome::throughput).toList();
    }

    private static String roundRatios(List<Double> base, List<Double> al) {
        List<String> ratios = new ArrayList<>();
        for (int r = 0; r < base.size(); r++) {
            ratios.add(ratio(al.get(r) / base.get(r)));
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
