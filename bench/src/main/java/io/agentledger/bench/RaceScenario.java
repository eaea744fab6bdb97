package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** quality.md: "64 agents claim the same task at once, repeated 200 times: exactly one 200 each time, the rest 409". */
public final class RaceScenario {

    public record Outcome(int rounds, int roundsWithOneWinner, long wins, long conflicts, long errors, Histogram micros) {
    }

    private RaceScenario() {
    }

    public static Outcome run(ApiClient admin, String projectId, List<ApiClient> agents, int rounds) throws Exception {
        Histogram micros = ClaimLoad.histogram();
        AtomicLong wins = new AtomicLong();
        AtomicLong conflicts = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        int exact = 0;
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        try {
            for (int round = 0; round < rounds; round++) {
                ApiClient.Response created = admin.post("/v1/projects/" + projectId + "/tasks",
                        "{\"title\":\"race " + round + "\"}");
                Fixture.require(created, 201, "create race task");
                String taskId = created.json().get("id").asText();
                CyclicBarrier together = new CyclicBarrier(agents.size());
                AtomicInteger winners = new AtomicInteger();
                List<Future<Object>> claims = agents.stream().map(agent -> pool.submit(() -> {
                    together.await();
                    long began = System.nanoTime();
                    ApiClient.Response response = agent.post("/v1/tasks/" + taskId + "/claim", "{}");
                    long took = System.nanoTime() - began;
                    synchronized (micros) {
                        ClaimLoad.record(micros, took);
                    }
                    if (response.status() == 200) {
                        winners.incrementAndGet();
                        wins.incrementAndGet();
                    } else if (response.status() == 409) {
                        conflicts.incrementAndGet();
                    } else {
                        if (errors.incrementAndGet() <= 5) {
                            System.err.println("race: claim answered " + response.status() + ": " + response.body());
                        }
                    }
                    return (Object) null;
                })).toList();
                for (Future<Object> claim : claims) {
                    claim.get();
                }
                if (winners.get() == 1) {
                    exact++;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return new Outcome(rounds, exact, wins.get(), conflicts.get(), errors.get(), micros);
    }
}
