package io.agentledger.bench;

import com.fasterxml.jackson.databind.JsonNode;
import org.HdrHistogram.Histogram;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * quality.md's complete-with-next loop: one request per task. Every agent takes its first task with claim-next, then
 * loops on {@code POST /v1/tasks/{id}/complete} with {@code {"leaseId", "result", "next": {"waitSeconds": 0}}}, whose
 * answer {@code {"completed": task, "next": claimed task | null}} (api.md, v1.1) hands it its next task. When
 * {@code next} is null it falls back to claim-next, and stops when that answers 204 or the time is up. The same loop
 * drives AgentLedger and the baseline, which serves the same path and JSON.
 *
 * <p>A server that predates {@code next} answers the completion with the plain task (no {@code completed}): the load
 * then stops and says so ({@link Outcome#unsupported()}) instead of failing; {@link #probe} finds that out first with
 * one task.
 */
public final class CompleteWithNextLoad {

    /** What an answer to complete with {@code next} was. */
    enum Shape {
        /** {@code {"completed": task, "next": task | null}}: the server knows {@code next}. */
        COMPLETED_WITH_NEXT,
        /** A plain task: a server without {@code next}, which completed the task and ignored the rest. */
        PLAIN_TASK,
        /** Anything else: an error status, or a body that is neither. */
        FAILED
    }

    /** One parsed answer; {@code next} is null when none was claimed, {@code detail} says what was wrong. */
    record Answer(Shape shape, int status, JsonNode completed, JsonNode next, String detail) {
    }

    /** A task an agent still held when the time was up (the last {@code next} it was handed). */
    record Held(ApiClient agent, String taskId, String leaseId) {
    }

    /**
     * What the agents did: {@code cycles} completions answered in the new shape, their latencies ({@code micros}, the
     * complete-with-next requests only), errors, tasks handed out twice, why the server was found not to support
     * {@code next} (null if it does), and the tasks still held at the end ({@link #completeHeld}).
     */
    public record Outcome(long cycles, double seconds, Histogram micros, long errors, long doubleClaims,
                          String unsupported, List<Held> held) {

        public double throughput() {
            return cycles / seconds;
        }
    }

    static final String PLAIN_TASK_ANSWER = "complete with \"next\" answered the plain task, without \"completed\"";

    private CompleteWithNextLoad() {
    }

    /** The request body of a completion that asks for the next task at once. */
    static String body(String leaseId) {
        return "{\"leaseId\":\"" + leaseId + "\",\"result\":\"done\",\"next\":{\"waitSeconds\":0}}";
    }

    static Answer parse(ApiClient.Response response) {
        if (response.status() != 200) {
            return failed(response, "answered " + response.status() + ": " + abbreviated(response.body()));
        }
        JsonNode body;
        try {
            body = response.json();
        } catch (RuntimeException e) {
            return failed(response, "answered 200 with a body that is not JSON: " + abbreviated(response.body()));
        }
        if (body == null || !body.isObject()) {
            return failed(response, "answered 200 with a body that is not an object: " + abbreviated(response.body()));
        }
        JsonNode completed = body.get("completed");
        if (completed == null) {
            return body.hasNonNull("id") && body.hasNonNull("status")
                    ? new Answer(Shape.PLAIN_TASK, 200, body, null, PLAIN_TASK_ANSWER)
                    : failed(response, "answered 200 with neither \"completed\" nor a task: "
                    + abbreviated(response.body()));
        }
        if (!completed.isObject() || !completed.hasNonNull("id")) {
            return failed(response, "answered a \"completed\" that is not a task: " + abbreviated(response.body()));
        }
        JsonNode next = body.get("next");
        if (next == null || next.isNull()) {
            return new Answer(Shape.COMPLETED_WITH_NEXT, 200, completed, null, null);
        }
        if (!next.isObject() || !next.hasNonNull("id") || !next.path("claim").hasNonNull("leaseId")) {
            return failed(response, "answered a \"next\" that is not a claimed task: " + abbreviated(response.body()));
        }
        return new Answer(Shape.COMPLETED_WITH_NEXT, 200, completed, next, null);
    }

    /**
     * Why a probe's answer means the server does not support complete with {@code next}, or null when it does. A plain
     * task and a 4xx refusal of the request (a server that rejects unknown fields) are "not supported"; a 5xx or an
     * unreadable answer is no verdict on support, and throws.
     */
    static String unsupportedReason(Answer answer) {
        return switch (answer.shape()) {
            case COMPLETED_WITH_NEXT -> null;
            case PLAIN_TASK -> answer.detail();
            case FAILED -> {
                if (answer.status() >= 400 && answer.status() < 500 && answer.status() != 401) {
                    yield "complete with \"next\" " + answer.detail();
                }
                throw new IllegalStateException("complete with \"next\" " + answer.detail());
            }
        };
    }

    /**
     * Finds out with one task of {@code projectId} whether the server supports complete with {@code next}; answers
     * why not, or null when it does. A task the probe's completion claimed is completed again, plainly, so nothing
     * stays held.
     */
    static String probe(ApiClient agent, String projectId) {
        ApiClient.Response claimed = agent.post("/v1/projects/" + projectId + "/tasks/claim-next", "{}");
        if (claimed.status() != 200) {
            throw new IllegalStateException("probe: claim-next answered " + claimed.status() + ": " + claimed.body());
        }
        JsonNode task = claimed.json();
        Answer answer = parse(agent.post("/v1/tasks/" + task.get("id").asText() + "/complete",
                body(task.get("claim").get("leaseId").asText())));
        String reason = unsupportedReason(answer);
        if (answer.next() != null) {
            Fixture.require(agent.post("/v1/tasks/" + answer.next().get("id").asText() + "/complete",
                    "{\"leaseId\":\"" + answer.next().get("claim").get("leaseId").asText() + "\",\"result\":\"done\"}"),
                    200, "complete the probe's next task");
        }
        return reason;
    }

    public static Outcome run(List<ApiClient> agents, String projectId, Duration duration,
                              Map<String, String> claimedBy) throws InterruptedException {
        Run run = new Run(projectId, System.nanoTime() + duration.toNanos(), claimedBy);
        List<Histogram> latencies = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(agents.size());
        long start = System.nanoTime();
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int a = 0; a < agents.size(); a++) {
                ApiClient agent = agents.get(a);
                String agentName = "agent-" + a;
                Histogram micros = ClaimLoad.histogram();
                latencies.add(micros);
                running.add(pool.submit(() -> run.agent(agent, agentName, micros)));
            }
            for (Future<?> future : running) {
                future.get();
            }
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Outcome(run.cycles.get(), seconds, ClaimLoad.merge(latencies), run.errors.get(),
                run.doubleClaims.get(), run.unsupported.get(), List.copyOf(run.held));
    }

    /** Completes the tasks a run left held, plainly and untimed, so that no lease is left to expire later. */
    static void completeHeld(Outcome outcome) {
        for (Held held : outcome.held()) {
            try {
                held.agent().post("/v1/tasks/" + held.taskId() + "/complete",
                        "{\"leaseId\":\"" + held.leaseId() + "\",\"result\":\"done\"}");
            } catch (RuntimeException e) {
                System.err.println("complete-with-next load: could not complete held task " + held.taskId() + ": " + e);
            }
        }
    }

    /** What the agents of one run share. */
    private static final class Run {

        final String projectId;
        final long end;
        final Map<String, String> claimedBy;
        final AtomicLong errors = new AtomicLong();
        final AtomicLong doubleClaims = new AtomicLong();
        final AtomicLong cycles = new AtomicLong();
        final AtomicReference<String> unsupported = new AtomicReference<>();
        final List<Held> held = new CopyOnWriteArrayList<>();

        Run(String projectId, long end, Map<String, String> claimedBy) {
            this.projectId = projectId;
            this.end = end;
            this.claimedBy = claimedBy;
        }

        void agent(ApiClient agent, String agentName, Histogram micros) {
            JsonNode task = null;
            while (System.nanoTime() < end && unsupported.get() == null) {
                if (task == null) {
                    ApiClient.Response claimed;
                    try {
                        claimed = agent.post("/v1/projects/" + projectId + "/tasks/claim-next", "{}");
                    } catch (RuntimeException e) {
                        error(errors, "claim-next failed: " + e);
                        pause(); // the server is away: do not spin
                        continue;
                    }
                    if (claimed.status() == 204) {
                        return;
                    }
                    if (claimed.status() != 200) {
                        error(errors, "claim-next answered " + claimed.status() + ": " + claimed.body());
                        continue;
                    }
                    task = claimed.json();
                    claimed(task, agentName);
                }
                long began = System.nanoTime();
                ApiClient.Response response;
                try {
                    response = agent.post("/v1/tasks/" + task.get("id").asText() + "/complete",
                            body(task.get("claim").get("leaseId").asText()));
                } catch (RuntimeException e) {
                    error(errors, "complete with next failed: " + e);
                    task = null;
                    continue;
                }
                long took = System.nanoTime() - began;
                Answer answer = parse(response);
                switch (answer.shape()) {
                    case PLAIN_TASK -> {
                        unsupported.compareAndSet(null, answer.detail());
                        return;
                    }
                    case FAILED -> {
                        error(errors, "complete with next " + answer.detail());
                        task = null;
                    }
                    case COMPLETED_WITH_NEXT -> {
                        ClaimLoad.record(micros, took);
                        cycles.incrementAndGet();
                        task = answer.next();
                        if (task != null) {
                            claimed(task, agentName);
                        }
                    }
                }
            }
            if (task != null) {
                held.add(new Held(agent, task.get("id").asText(), task.get("claim").get("leaseId").asText()));
            }
        }

        private void claimed(JsonNode task, String agentName) {
            if (claimedBy.putIfAbsent(task.get("id").asText(), agentName) != null) {
                doubleClaims.incrementAndGet();
            }
        }
    }

    /** Runs of one system, taken together. */
    public static Outcome sum(List<Outcome> runs) {
        return new Outcome(runs.stream().mapToLong(Outcome::cycles).sum(),
                runs.stream().mapToDouble(Outcome::seconds).sum(),
                ClaimLoad.merge(runs.stream().map(Outcome::micros).toList()),
                runs.stream().mapToLong(Outcome::errors).sum(), runs.stream().mapToLong(Outcome::doubleClaims).sum(),
                runs.stream().map(Outcome::unsupported).filter(Objects::nonNull).findFirst().orElse(null),
                runs.stream().flatMap(run -> run.held().stream()).toList());
    }

    private static Answer failed(ApiClient.Response response, String detail) {
        return new Answer(Shape.FAILED, response.status(), null, null, detail);
    }

    private static String abbreviated(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 200 ? flat : flat.substring(0, 200) + "…";
    }

    private static void pause() {
        ClaimLoad.pause();
    }

    private static void error(AtomicLong errors, String message) {
        ClaimLoad.error(errors, "complete-with-next load", message);
    }
}
