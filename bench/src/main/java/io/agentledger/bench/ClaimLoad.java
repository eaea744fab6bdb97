package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load of quality.md's first row: every agent loops claim-next → complete on one project until the time is up or
 * no task is left (204). The same loop drives AgentLedger and the baseline, which serve the same paths and JSON.
 */
public final class ClaimLoad {

    /** Told of every acknowledged completion (for the read-model lag and the crash drill). */
    public interface Listener {
        void completed(String taskId, long version, long acknowledgedAtNanos);

        default void claimed(String taskId, long version) {
        }

        /**
         * Told of every request the load sends: when it was sent ({@code System.nanoTime()}), how long it took, and
         * its answer, or the exception if there was none (a timeout, a refused connection). For the outage drill.
         */
        default void exchanged(String request, long sentAtNanos, long tookNanos, ApiClient.Response response,
                               RuntimeException failure) {
        }
    }

    public record Outcome(long cycles, double seconds, Histogram claimMicros, Histogram cycleMicros, long errors,
                          long doubleClaims) {

        public double throughput() {
            return cycles / seconds;
        }
    }

    private ClaimLoad() {
    }

    public static Outcome run(List<ApiClient> agents, String projectId, Duration duration, Listener listener)
            throws InterruptedException {
        return run(agents, projectId, duration, listener, new ConcurrentHashMap<>());
    }

    /** As above, with the record of who claimed what shared across runs on one project. */
    public static Outcome run(List<ApiClient> agents, String projectId, Duration duration, Listener listener,
                              Map<String, String> claimedBy) throws InterruptedException {
        AtomicLong errors = new AtomicLong();
        AtomicLong doubleClaims = new AtomicLong();
        AtomicLong cycles = new AtomicLong();
        List<Histogram> claims = new ArrayList<>();
        List<Histogram> wholeCycles = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int a = 0; a < agents.size(); a++) {
                ApiClient agent = agents.get(a);
                String agentName = "agent-" + a;
                Histogram claim = histogram();
                Histogram cycle = histogram();
                claims.add(claim);
                wholeCycles.add(cycle);
                running.add(pool.submit(() -> {
                    while (System.nanoTime() < end) {
                        long began = System.nanoTime();
                        ApiClient.Response claimed;
                        try {
                            claimed = agent.post("/v1/projects/" + projectId + "/tasks/claim-next", "{}");
                        } catch (RuntimeException e) {
                            exchanged(listener, "claim-next", began, null, e);
                            error(errors, "claim-next failed: " + e);
                            pause(); // the server is away (a drill): do not spin
                            continue;
                        }
                        long claimedAt = System.nanoTime();
                        exchanged(listener, "claim-next", began, claimed, null);
                        if (claimed.status() == 204) {
                            return;
                        }
                        if (claimed.status() != 200) {
                            error(errors, "claim-next answered " + claimed.status() + ": " + claimed.body());
                            continue;
                        }
                        record(claim, claimedAt - began);
                        JsonNode task = claimed.json();
                        String taskId = task.get("id").asText();
                        if (claimedBy.putIfAbsent(taskId, agentName) != null) {
                            doubleClaims.incrementAndGet();
                        }
                        if (listener != null) {
                            listener.claimed(taskId, task.path("version").asLong());
                        }
                        String leaseId = task.get("claim").get("leaseId").asText();
                        ApiClient.Response completed;
                        long completing = System.nanoTime();
                        try {
                            completed = agent.post("/v1/tasks/" + taskId + "/complete",
                                    "{\"leaseId\":\"" + leaseId + "\",\"result\":\"done\"}");
                        } catch (RuntimeException e) {
                            exchanged(listener, "complete", completing, null, e);
                            error(errors, "complete failed: " + e);
                            continue;
                        }
                        long completedAt = System.nanoTime();
                        exchanged(listener, "complete", completing, completed, null);
                        if (completed.status() != 200) {
                            error(errors, "complete answered " + completed.status() + ": " + completed.body());
                            continue;
                        }
                        record(cycle, completedAt - began);
                        cycles.incrementAndGet();
                        if (listener != null) {
                            listener.completed(taskId, completed.json().path("version").asLong(), completedAt);
                        }
                    }
                    return;
                }));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(cycles.get(), seconds, merge(claims), merge(wholeCycles), errors.get(), doubleClaims.get());
    }

    /** Runs of one system, taken together. */
    public static Outcome sum(List<Outcome> runs) {
        return new Outcome(runs.stream().mapToLong(Outcome::cycles).sum(),
                runs.stream().mapToDouble(Outcome::seconds).sum(),
                merge(runs.stream().map(Outcome::claimMicros).toList()),
                merge(runs.stream().map(Outcome::cycleMicros).toList()),
                runs.stream().mapToLong(Outcome::errors).sum(), runs.stream().mapToLong(Outcome::doubleClaims).sum());
    }

    static Histogram histogram() {
        return new Histogram(120_000_000L, 3);
    }

    static void record(Histogram micros, long nanos) {
        micros.recordValue(Math.min(Math.max(0, nanos / 1000), micros.getHighestTrackableValue()));
    }

    static Histogram merge(List<Histogram> parts) {
        Histogram all = histogram();
        parts.forEach(all::add);
        return all;
    }

    private static void exchanged(Listener listener, String request, long sentAt, ApiClient.Response response,
                                  RuntimeException failure) {
        if (listener != null) {
            listener.exchanged(request, sentAt, System.nanoTime() - sentAt, response, failure);
        }
    }

    /** A short breath between requests that failed, so a failing server is not hammered. */
    static void pause() {
        try {
            Thread.sleep(20);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void error(AtomicLong errors, String message) {
        error(errors, "claim load", message);
    }

    /** Counts an error and prints the first few, named by the load they came from. */
    static void error(AtomicLong errors, String load, String message) {
        if (errors.incrementAndGet() <= 5) {
            System.err.println(load + ": " + message);
        }
    }
}
