package io.agentledger.bench;

import java.util.HashMap;
import java.util.Map;

/**
 * Runs benchmark scenarios against a running AgentLedger and prints a Markdown table. The full program (starting
 * the server and the row-lock baseline, every scenario of quality.md) is issue #9; today it offers:
 *
 * <pre>java -cp bench/target/classes:... io.agentledger.bench.BenchMain --base-url http://localhost:8080 \
 *     --api-key $(cat data/bootstrap-admin-key) --scenario knowledge-search --entries 100000 --searches 2000</pre>
 */
public final class BenchMain {

    private BenchMain() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        ApiClient admin = ApiClient.login(options.getOrDefault("base-url", "http://localhost:8080"),
                required(options, "api-key"));
        String scenario = options.getOrDefault("scenario", "knowledge-search");
        if (!scenario.equals("knowledge-search")) {
            throw new IllegalArgumentException("unknown scenario " + scenario);
        }
        int entries = Integer.parseInt(options.getOrDefault("entries", "100000"));
        int searches = Integer.parseInt(options.getOrDefault("searches", "2000"));
        int concurrency = Integer.parseInt(options.getOrDefault("concurrency", "8"));
        KnowledgeSearchScenario knowledge = new KnowledgeSearchScenario(admin, 42, concurrency);
        long refused = knowledge.load(entries);
        ScenarioResult result = knowledge.search(entries, searches);
        System.out.println(ScenarioResult.header());
        System.out.println(result.row());
        if (refused > 0 || result.errors() > 0) {
            System.out.println("refused entries: " + refused + ", search errors: " + result.errors());
            System.exit(1);
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        return options;
    }

    private static String required(Map<String, String> options, String name) {
        String value = options.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }
}
