package io.agentledger.command.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.ClaimTaskCommand;
import io.agentledger.api.task.TaskView;
import io.agentledger.command.DomainException;
import io.agentledger.command.registry.ReadySignal;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.web.CommandSender;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;

import jakarta.annotation.PreDestroy;
import java.time.Duration;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Hands out the next READY task of a project. Concurrent requests on this node never try the same candidate: each
 * reserves a task id in memory before it sends the claim, so losing races are rare (only against other nodes,
 * which the event store settles).
 * <p>
 * A request that finds nothing and may wait ({@code waitSeconds}) becomes a waiter of its project and gives its
 * thread back: when a task of the project becomes READY on this node ({@link ReadySignal}), one of a few dispenser
 * threads offers it to the project's waiters in the order they came, trying each shape of request (capabilities
 * and labels) once per signal, so a thousand waiters for one task cost one claim and one empty query, not a
 * thousand queries. At its deadline a waiter gets nothing. Callers that must not leave their thread (an
 * idempotent request, whose claim belongs in its transaction; an MCP call) wait on it instead and claim there.
 */
@Component
class ClaimDispenser {

    /** Candidates read per attempt beyond those already being claimed on this node. */
    static final int SPARE_CANDIDATES = 8;
    static final Duration JUST_CLAIMED = Duration.ofSeconds(2);
    private static final int MAX_ROUNDS = 4;

    private final Registry registry;
    private final CommandSender commands;
    private final ReadySignal ready;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
    /**
     * Tasks this node claimed a moment ago: a candidate list read just before such a claim committed still names
     * the task, and trying it would only meet a refusal (and its re-check on a fresh load). Skipped for a few
     * seconds, or until it becomes READY again.
     */
    private final Set<String> justClaimed = Collections.newSetFromMap(Caffeine.newBuilder()
            .expireAfterWrite(JUST_CLAIMED).<String, Boolean>build().asMap());
    private final Map<String, ProjectWaiters> waiters = new ConcurrentHashMap<>();
    private final ExecutorService dispensers;
    private final ScheduledExecutorService deadlines;

    ClaimDispenser(Registry registry, CommandSender commands, ReadySignal ready, MeterRegistry meters,
                   @Value("${agentledger.claims.dispenser-threads:4}") int dispenserThreads) {
        this.registry = registry;
        this.commands = commands;
        this.ready = ready;
        this.dispensers = Executors.newFixedThreadPool(dispenserThreads, daemon("claim-dispenser"));
        this.deadlines = Executors.newSingleThreadScheduledExecutor(daemon("claim-deadline"));
        ready.onEveryReadyTask(justClaimed::remove);
        Gauge.builder("agentledger.claims.waiting", this, ClaimDispenser::waiting)
                .description("claim-next requests of this node waiting for a task").register(meters);
    }

    /** How many requests of this node wait for a task. */
    int waiting() {
        return waiters.values().stream().mapToInt(project -> project.queue.size()).sum();
    }

    @PreDestroy
    void stop() {
        dispensers.shutdownNow();
        deadlines.shutdownNow();
    }

    /**
     * Claims the next task for the caller, waiting up to {@code waitSeconds} without holding the calling thread;
     * completes with the claimed task, or empty when none turned up in time.
     */
    CompletableFuture<Optional<TaskView>> claimNext(Caller caller, String projectId, List<String> labels,
                                                    int waitSeconds) {
        if (waitSeconds <= 0) {
            return CompletableFuture.completedFuture(claimNow(caller, projectId, labels));
        }
        Waiter waiter = new Waiter(caller, labels, System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds));
        // a caller that stops waiting (its client went away) cancels the result: the waiter leaves
        waiter.result.whenComplete((claimed, failure) -> {
            if (waiter.result.isCancelled()) {
                waiter.expire();
            }
        });
        ProjectWaiters project = enqueue(projectId, waiter);
        long seen = project.signals.get();
        Optional<TaskView> claimed;
        try {
            claimed = claimNow(caller, projectId, labels);
        } catch (RuntimeException e) {
            waiter.finish(e);
            throw e;
        }
        if (claimed.isPresent()) {
            waiter.finish(claimed);
            return waiter.result;
        }
        waiter.state.set(State.WAITING);
        deadlines.schedule(waiter::expire, waitSeconds, TimeUnit.SECONDS);
        if (project.signals.get() != seen) {
            project.requestDrain();
        }
        return waiter.result;
    }

    /** Like {@link #claimNext} but waits on, and claims in, the calling thread (and so in its transaction). */
    Optional<TaskView> claimNextHere(Caller caller, String projectId, List<String> labels, int waitSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            CompletableFuture<Void> signalled = new CompletableFuture<>();
            try (ReadySignal.Listening listening = ready.listen(projectId, () -> signalled.complete(null))) {
                Optional<TaskView> claimed = claimNow(caller, projectId, labels);
                long remaining = deadline - System.nanoTime();
                if (claimed.isPresent() || remaining <= 0) {
                    return claimed;
                }
                signalled.get(remaining, TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                return Optional.empty();
            } catch (ExecutionException e) {
                throw new IllegalStateException("a signal never fails", e);
            }
        }
    }

    /** One attempt: the claimed task, or empty when the project has no READY task this caller can take. */
    Optional<TaskView> claimNow(Caller caller, String projectId, List<String> labels) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<String> candidates = registry.claimCandidates(caller.tenantId(), projectId, caller.capabilities(),
                    labels, inFlight.size() + SPARE_CANDIDATES);
            if (candidates.isEmpty()) {
                if (round == 0) {
                    // no candidate may mean no such project, or an archived one: say which
                    registry.requireActiveProject(caller.tenantId(), projectId);
                }
                return Optional.empty();
            }
            boolean contended = false;
            for (String taskId : candidates) {
                if (justClaimed.contains(taskId) || !inFlight.add(taskId)) {
                    contended = true;
                    continue;
                }
                try {
                    TaskView claimed = commands.send(new ClaimTaskCommand(taskId, caller.tenantId(),
                            caller.principalId(), caller.capabilities(), UUID.randomUUID().toString(), null), caller);
                    justClaimed.add(taskId);
                    return Optional.of(claimed);
                } catch (DomainException e) {
                    if (e.code() != ErrorCode.TASK_NOT_CLAIMABLE && e.code() != ErrorCode.CAPABILITY_MISMATCH) {
                        throw e;
                    }
                    contended = true;
                } catch (ConcurrencyException e) {
                    contended = true;
                } finally {
                    inFlight.remove(taskId);
                }
            }
            if (!contended) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    /** Waiters of this node, per project; a project's entry and listener exist while it has waiters. */
    private ProjectWaiters enqueue(String projectId, Waiter waiter) {
        return waiters.compute(projectId, (id, present) -> {
            ProjectWaiters project = present == null ? new ProjectWaiters(id) : present;
            project.queue.add(waiter);
            waiter.project = project;
            return project;
        });
    }

    private void leave(Waiter waiter) {
        ProjectWaiters project = waiter.project;
        if (project == null) {
            return;
        }
        waiters.computeIfPresent(project.projectId, (id, present) -> {
            present.queue.remove(waiter);
            if (present.queue.isEmpty()) {
                present.close();
                return null;
            }
            return present;
        });
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, name + "-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    private enum State { CLAIMING, WAITING, DONE }

    /** What a request may claim: waiters of one shape see the same candidates. */
    private record Shape(List<String> capabilities, List<String> labels) {
    }

    private final class ProjectWaiters {

        final String projectId;
        final Queue<Waiter> queue = new ConcurrentLinkedQueue<>();
        final AtomicLong signals = new AtomicLong();
        final AtomicInteger drainRequests = new AtomicInteger();
        final ReadySignal.Listening listening;

        ProjectWaiters(String projectId) {
            this.projectId = projectId;
            this.listening = ready.listen(projectId, () -> {
                signals.incrementAndGet();
                requestDrain();
            });
        }

        void requestDrain() {
            if (drainRequests.getAndIncrement() == 0) {
                dispensers.execute(this::drain);
            }
        }

        /** Offers the project's READY tasks to its waiters, first come first served, until no shape finds one. */
        private void drain() {
            int requests = drainRequests.get();
            do {
                Set<Shape> exhausted = new HashSet<>();
                for (Waiter waiter : queue) {
                    if (!exhausted.contains(waiter.shape) && !waiter.attempt(projectId)) {
                        exhausted.add(waiter.shape);
                    }
                }
                requests = drainRequests.addAndGet(-requests);
            } while (requests != 0);
        }

        void close() {
            listening.close();
        }
    }

    private final class Waiter {

        final Caller caller;
        final List<String> labels;
        final Shape shape;
        final long deadlineNanos;
        final Map<String, String> logContext = MDC.getCopyOfContextMap();
        final AtomicReference<State> state = new AtomicReference<>(State.CLAIMING);
        final CompletableFuture<Optional<TaskView>> result = new CompletableFuture<>();
        volatile ProjectWaiters project;

        Waiter(Caller caller, List<String> labels, long deadlineNanos) {
            this.caller = caller;
            this.labels = labels;
            this.shape = new Shape(caller.capabilities(), labels);
            this.deadlineNanos = deadlineNanos;
        }

        /** Tries to claim for this waiter if it still waits; false when it found nothing to claim. */
        boolean attempt(String projectId) {
            if (!state.compareAndSet(State.WAITING, State.CLAIMING)) {
                return true;
            }
            try {
                Optional<TaskView> claimed = inLogContext(() -> claimNow(caller, projectId, labels));
                if (claimed.isPresent()) {
                    finish(claimed);
                    return true;
                }
                state.set(State.WAITING);
                if (System.nanoTime() - deadlineNanos >= 0) {
                    expire();
                }
                return false;
            } catch (RuntimeException e) {
                finish(e);
                return true;
            }
        }

        void finish(Optional<TaskView> claimed) {
            state.set(State.DONE);
            leave(this);
            result.complete(claimed);
        }

        void finish(RuntimeException failure) {
            state.set(State.DONE);
            leave(this);
            result.completeExceptionally(failure);
        }

        /** At the deadline (or when the client went away): nothing, unless a claim for it is under way. */
        void expire() {
            if (state.compareAndSet(State.WAITING, State.DONE)) {
                leave(this);
                result.complete(Optional.empty());
            }
        }

        private <T> T inLogContext(Supplier<T> work) {
            Map<String, String> previous = MDC.getCopyOfContextMap();
            if (logContext != null) {
                MDC.setContextMap(logContext);
            }
            try {
                return work.get();
            } finally {
                if (previous == null) {
                    MDC.clear();
                } else {
                    MDC.setContextMap(previous);
                }
            }
        }
    }
}
