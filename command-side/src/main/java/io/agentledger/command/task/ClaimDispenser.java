package io.agentledger.command.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.ClaimTaskCommand;
import io.agentledger.api.task.TaskView;
import io.agentledger.command.DomainException;
import io.agentledger.command.registry.ReadySignal;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.web.CommandSender;
import org.axonframework.modelling.command.ConcurrencyException;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Hands out the next READY task of a project. Concurrent requests on this node never try the same candidate: each
 * reserves a task id in memory before it sends the claim, so losing races are rare (only against other nodes,
 * which the event store settles). With {@code waitSeconds}, a request that finds nothing waits for a task to
 * become READY rather than polling the database.
 */
@Component
class ClaimDispenser {

    /** Candidates read per attempt beyond those already being claimed on this node. */
    static final int SPARE_CANDIDATES = 8;
    private static final int MAX_ROUNDS = 4;

    private final Registry registry;
    private final CommandSender commands;
    private final ReadySignal ready;
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    ClaimDispenser(Registry registry, CommandSender commands, ReadySignal ready) {
        this.registry = registry;
        this.commands = commands;
        this.ready = ready;
    }

    Optional<TaskView> claimNext(Caller caller, String projectId, List<String> labels, int waitSeconds)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(waitSeconds);
        while (true) {
            long seen = ready.generation();
            Optional<TaskView> claimed = tryOnce(caller, projectId, labels);
            if (claimed.isPresent() || !ready.awaitChange(seen, deadline)) {
                return claimed;
            }
        }
    }

    private Optional<TaskView> tryOnce(Caller caller, String projectId, List<String> labels) {
        for (int round = 0; round < MAX_ROUNDS; round++) {
            List<String> candidates = registry.claimCandidates(caller.tenantId(), projectId, caller.capabilities(),
                    labels, inFlight.size() + SPARE_CANDIDATES);
            if (candidates.isEmpty()) {
                return Optional.empty();
            }
            boolean contended = false;
            for (String taskId : candidates) {
                if (!inFlight.add(taskId)) {
                    contended = true;
                    continue;
                }
                try {
                    return Optional.of(commands.send(new ClaimTaskCommand(taskId, caller.tenantId(),
                            caller.principalId(), caller.capabilities(), UUID.randomUUID().toString(), null), caller));
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
}
