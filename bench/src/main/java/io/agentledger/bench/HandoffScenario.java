package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * quality.md: "task created → handed to an agent already waiting in a claim-next long-poll, at 50 tasks/s". Agents
 * wait in claim-next ({@code waitSeconds}); a producer creates tasks at a fixed rate with ids it chose, and each
 * hand-off is timed from the moment the create request is sent to the moment the waiting agent has the task.
 */
public final class HandoffScenario {

    public record Outcome(Histogram micros, long handedOff, long created, long errors, double createdPerSecond) {
    }

    private HandoffScenario() {
    }

    public static Outcome run(ApiClient admin, String projectId, List<ApiClient> waiters, int tasks, int perSecond)
            throws Exception {
        Map<String, Long> sentAt = new ConcurrentHashMap<>();
        Histogram micros = ClaimLoad.histogram();
        AtomicLong handedOff = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicBoolean producing = new AtomicBoolean(true);
        ExecutorService pool = Executors.newFixedThreadPool(waiters.size() + 1);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (ApiClient agent : waiters) {
                running.add(pool.submit(() -> {
                    while (producing.get() || handedOff.get() < sentAt.size()) {
                        ApiClient.Response claimed = agent.post("/v1/projects/" + projectId + "/tasks/claim-next",
                                "{\"waitSeconds\":2}");
                        long now = System.nanoTime();
                        if (claimed.status() == 204) {
                            if (!producing.get()) {
                                return null;
                            }
                            continue;
                        }
                        if (claimed.status() != 200) {
                            errors.incrementAndGet();
                            continue;
                        }
                        Long sent = sentAt.get(claimed.json().get("id").asText());
                        if (sent != null) {
                            synchronized (micros) {
                                ClaimLoad.record(micros, now - sent);
                            }
                        }
                        handedOff.incrementAndGet();
                    }
                    return null;
                }));
            }
            Thread.sleep(500); // every agent is in its long-poll before the first task appears
            long start = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / perSecond;
            for (int i = 0; i < tasks; i++) {
                long due = start + i * interval;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                String id = UUID.randomUUID().toString();
                sentAt.put(id, System.nanoTime());
                ApiClient.Response created = admin.post("/v1/projects/" + projectId + "/tasks",
                        "{\"id\":\"" + id + "\",\"title\":\"handoff " + i + "\"}");
                if (created.status() != 201) {
                    sentAt.remove(id);
                    errors.incrementAndGet();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            producing.set(false);
            for (Future<?> waiter : running) {
                waiter.get(60, TimeUnit.SECONDS);
            }
            return new Outcome(micros, handedOff.get(), sentAt.size(), errors.get(), tasks / seconds);
        } finally {
            producing.set(false);
            pool.shutdownNow();
        }
    }
}
