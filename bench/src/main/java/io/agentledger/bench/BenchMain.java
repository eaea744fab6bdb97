package io.agentledger.bench;

/**
 * The benchmark program. By default it starts one PostgreSQL, AgentLedger's standalone jar and the row-lock baseline,
 * runs every scenario of quality.md's performance table, prints one table and writes it into docs/benchmarks.md:
 *
 * <pre>java -jar bench/target/agentledger-bench.jar --agents 32 --tasks 20000 --duration 60s</pre>
 *
 * With {@code --drill kill|lease|outage|all} it runs the reliability drills instead (scripts/drills.sh).
 * With {@code --base-url} it instead runs the knowledge-search scenario alone against a running AgentLedger.
 * Every option is described in docs/benchmarks.md.
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        if (options.has("base-url")) {
            System.exit(knowledgeSearchAgainst(options));
        }
        if (options.has("drill")) {
            System.exit(Drills.run(options).stream().allMatch(Drills.Result::passed) ? 0 : 1);
        }
        new Benchmark(options).run();
        System.exit(0);
    }

    private static int knowledgeSearchAgainst(Options options) throws InterruptedException {
        ApiClient admin = ApiClient.login(options.get("base-url"), options.get("api-key"));
        int entries = options.integer("entries", 100_000);
        KnowledgeSearchScenario knowledge = new KnowledgeSearchScenario(admin, 42, options.integer("concurrency", 8));
        long refused = knowledge.load(entries);
        ScenarioResult result = knowledge.search(entries, options.integer("searches", 2_000));
        System.out.println(ScenarioResult.header());
        System.out.println(result.row());
        if (refused > 0 || result.errors() > 0) {
            System.out.println("refused entries: " + refused + ", search errors: " + result.errors());
            return 1;
        }
        return 0;
    }
}
