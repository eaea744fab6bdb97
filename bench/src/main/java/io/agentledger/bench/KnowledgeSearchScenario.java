package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * quality.md's "knowledge search, 100 000 entries, p95 ≤ 30 ms": records a generated corpus through the API,
 * waits until the read model holds all of it, then times searches of corpus words from concurrent clients and
 * checks that every needle query finds its own entry first (a wrong top hit counts as an error).
 */
public final class KnowledgeSearchScenario {

    private final ApiClient client;
    private final KnowledgeCorpus corpus;
    private final int concurrency;

    public KnowledgeSearchScenario(ApiClient client, long seed, int concurrency) {
        this.client = client;
        this.corpus = new KnowledgeCorpus(seed);
        this.concurrency = concurrency;
    }

    /** Records entries 0..count-1; answers how many were refused (then nothing waits for the read model). */
    public long load(int count) throws InterruptedException {
        AtomicLong refused = new AtomicLong();
        runConcurrently(count, i -> {
            ApiClient.Response response = client.post("/v1/knowledge", ApiClient.json(corpus.entry(i)));
            if (response.status() != 201 && refused.getAndIncrement() == 0) {
                System.err.println("knowledge-search: entry " + i + " refused with " + response.status() + ": "
                        + response.body());
            }
        });
        if (refused.get() == 0) {
            awaitSearchable(KnowledgeCorpus.needleWord(lastNeedle(count)), Duration.ofMinutes(5));
        }
        return refused.get();
    }

    /** Times {@code searches} searches; every tenth looks for a needle and must rank it first. */
    public ScenarioResult search(int entries, int searches) throws InterruptedException {
        Histogram micros = new Histogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        long start = System.nanoTime();
        runConcurrently(searches, i -> {
            boolean needle = i % 10 == 0;
            int needleIndex = (i / 10 * KnowledgeCorpus.NEEDLE_EVERY) % Math.max(1, entries);
            String q = needle ? KnowledgeCorpus.needleWord(needleIndex) : corpus.query(i);
            long began = System.nanoTime();
            ApiClient.Response response = client.get("/v1/knowledge/search?limit=10&q=" + ApiClient.encode(q));
            long took = (System.nanoTime() - began) / 1000;
            synchronized (micros) {
                micros.recordValue(Math.min(took, micros.getHighestTrackableValue()));
            }
            if (response.status() != 200 || (needle && !topHitTitleStartsWith(response, q))) {
                errors.incrementAndGet();
            }
        });
        double seconds = (System.nanoTime() - start) / 1e9;
        return ScenarioResult.of("knowledge search, " + entries + " entries", micros, seconds, errors.get());
    }

    private static boolean topHitTitleStartsWith(ApiClient.Response response, String word) {
        var items = response.json().get("items");
        return items.size() > 0 && items.get(0).get("title").asText().startsWith(word + " ");
    }

    private void awaitSearchable(String word, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ApiClient.Response response = client.get("/v1/knowledge/search?q=" + ApiClient.encode(word));
            if (response.status() == 200 && response.json().get("items").size() > 0) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the corpus did not become searchable within " + timeout);
    }

    private static int lastNeedle(int count) {
        return (count - 1) / KnowledgeCorpus.NEEDLE_EVERY * KnowledgeCorpus.NEEDLE_EVERY;
    }

    private interface Step {
        void run(int i);
    }

    private void runConcurrently(int count, Step step) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        try {
            AtomicLong next = new AtomicLong();
            List<Callable<Void>> workers = new ArrayList<>();
            for (int w = 0; w < concurrency; w++) {
                workers.add(() -> {
                    for (long i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        step.run((int) i);
                    }
                    return null;
                });
            }
            for (Future<Void> future : pool.invokeAll(workers)) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
