package io.agentledger.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A deterministic corpus of knowledge entries built from a small engineering vocabulary, so searches match many
 * entries. Every {@link #NEEDLE_EVERY}th entry carries a word of its own in its title: searching that word must
 * return exactly that entry first.
 */
public final class KnowledgeCorpus {

    static final int NEEDLE_EVERY = 100;
    private static final String[] WORDS = {
            "postgres", "index", "vacuum", "query", "planner", "cache", "latency", "throughput", "lease", "claim",
            "agent", "deploy", "rollback", "migration", "schema", "token", "retry", "timeout", "pool", "thread",
            "heap", "garbage", "kafka", "queue", "backoff", "snapshot", "replay", "projection", "tenant", "audit",
            "metric", "trace", "logging", "docker", "kubernetes", "gateway", "nginx", "tls", "certificate", "secret"};

    private final long seed;

    public KnowledgeCorpus(long seed) {
        this.seed = seed;
    }

    /** The i-th entry as the JSON body of {@code POST /v1/knowledge}. */
    public Map<String, Object> entry(int i) {
        Random random = new Random(seed * 31 + i);
        String title = (isNeedle(i) ? needleWord(i) + " " : "") + words(random, 4);
        return Map.of("title", title, "body", words(random, 60), "tags", List.of(WORDS[random.nextInt(WORDS.length)]));
    }

    public static boolean isNeedle(int i) {
        return i % NEEDLE_EVERY == 0;
    }

    /** A word no other entry contains. */
    public static String needleWord(int i) {
        return "needle" + Integer.toString(i, 36) + "x";
    }

    /** A realistic two-word query of the corpus vocabulary. */
    public String query(int i) {
        Random random = new Random(seed * 17 + i);
        return WORDS[random.nextInt(WORDS.length)] + " " + WORDS[random.nextInt(WORDS.length)];
    }

    private static String words(Random random, int count) {
        List<String> words = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            words.add(WORDS[random.nextInt(WORDS.length)]);
        }
        return String.join(" ", words);
    }
}
