package io.agentledger.command.registry;

import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Tells long-polling claim-next requests of this node that a task of their project became READY, instead of their
 * polling the database. A signal is raised only once the READY state committed: after the outermost transaction,
 * when the registry's change runs inside one that a request holds open (an import, an idempotent request).
 */
@Component
public class ReadySignal {

    private final Map<String, Set<Runnable>> listeners = new ConcurrentHashMap<>();
    private final Set<Consumer<String>> taskListeners = ConcurrentHashMap.newKeySet();

    /** Signals that the task became READY, once the current transaction committed (at once outside one). */
    void afterCommit(String projectId, String taskId) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    ready(projectId, taskId);
                }
            });
        } else {
            ready(projectId, taskId);
        }
    }

    private void ready(String projectId, String taskId) {
        taskListeners.forEach(listener -> listener.accept(taskId));
        signal(projectId);
    }

    /** Calls {@code listener} with every task that becomes READY on this node, before its project's listeners. */
    public void onEveryReadyTask(Consumer<String> listener) {
        taskListeners.add(listener);
    }

    /** Runs every listener of the project; listeners must be quick (hand work to a thread of their own). */
    public void signal(String projectId) {
        Set<Runnable> waiting = listeners.get(projectId);
        if (waiting != null) {
            waiting.forEach(Runnable::run);
        }
    }

    /** Calls {@code listener} on every READY signal of the project until the returned handle is closed. */
    public Listening listen(String projectId, Runnable listener) {
        listeners.compute(projectId, (p, set) -> {
            Set<Runnable> present = set == null ? ConcurrentHashMap.newKeySet() : set;
            present.add(listener);
            return present;
        });
        return () -> listeners.computeIfPresent(projectId, (p, set) -> {
            set.remove(listener);
            return set.isEmpty() ? null : set;
        });
    }

    /** A listener's registration; closing it ends the listening. */
    public interface Listening extends AutoCloseable {

        @Override
        void close();
    }
}
