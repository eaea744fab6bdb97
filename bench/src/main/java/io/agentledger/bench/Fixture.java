package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Data sets built through AgentLedger's API, as a user would build them. */
public final class Fixture {

    private Fixture() {
    }

    public static String project(ApiClient admin, String name) {
        ApiClient.Response created = admin.post("/v1/projects", ApiClient.json(Map.of("name", name)));
        require(created, 201, "create project " + name);
        return created.json().get("id").asText();
    }

    /** Registers agents (no capabilities needed by the benchmark's tasks) and logs each in. */
    public static List<ApiClient> agents(ApiClient admin, String prefix, int count, int concurrency)
            throws InterruptedException {
        List<ApiClient> agents = Collections.synchronizedList(new ArrayList<>());
        parallel(count, concurrency, i -> {
            ApiClient.Response registered = admin.post("/v1/principals", ApiClient.json(
                    Map.of("name", prefix + "-" + i, "role", "agent", "capabilities", List.of("bench"))));
            require(registered, 201, "register agent");
            agents.add(ApiClient.login(admin.baseUrl(), registered.json().get("apiKey").asText()));
        });
        return new ArrayList<>(agents);
    }

    /** {@code count} READY tasks in a project; answers their ids in creation order where it matters. */
    public static void tasks(ApiClient admin, String projectId, int count, int concurrency) throws InterruptedException {
        parallel(count, concurrency, i -> require(admin.post("/v1/projects/" + projectId + "/tasks",
                "{\"title\":\"bench task " + i + "\"}"), 201, "create task"));
    }

    public static void require(ApiClient.Response response, int status, String what) {
        if (response.status() != status) {
            throw new IllegalStateException(what + " answered " + response.status() + ": " + response.body());
        }
    }

    /** Runs step(0..count-1) on {@code concurrency} threads. */
    public static void parallel(int count, int concurrency, IntConsumer step) throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(concurrency, count)));
        try {
            AtomicInteger next = new AtomicInteger();
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < Math.max(1, Math.min(concurrency, count)); w++) {
                workers.add(pool.submit(() -> {
                    for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                        step.accept(i);
                    }
                }));
            }
            for (Future<?> worker : workers) {
                worker.get();
            }
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    /** Tasks with more than one TaskCompletedEvent in AgentLedger's store (must be none). */
    public static long completedTwice(Database database, String url) throws Exception {
        try (Connection connection = database.connect(url); Statement statement = connection.createStatement();
             ResultSet rs = statement.executeQuery("SELECT count(*) FROM (SELECT aggregate_identifier FROM "
                     + "domain_event_entry WHERE payload_type LIKE '%TaskCompletedEvent' GROUP BY aggregate_identifier "
                     + "HAVING count(*) > 1) twice")) {
            rs.next();
            return rs.getLong(1);
        }
    }

    /** Waits until every projection is RUNNING with no lag, by the operator's projection status. */
    public static void awaitCaughtUp(ApiClient operator, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            ApiClient.Response status = operator.get("/v1/admin/projections");
            boolean caughtUp = status.status() == 200;
            if (caughtUp) {
                for (JsonNode projection : status.json().get("items")) {
                    caughtUp &= projection.path("lag").asLong(-1) == 0
                            && projection.path("state").asText().equals("RUNNING");
                }
            }
            if (caughtUp) {
                return;
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("the projections did not catch up within " + timeout);
    }
}
