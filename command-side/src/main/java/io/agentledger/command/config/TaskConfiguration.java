package io.agentledger.command.config;

import com.github.kagkarlsson.scheduler.task.helper.RecurringTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.github.kagkarlsson.scheduler.task.schedule.FixedDelay;
import io.agentledger.command.task.LeaseSweep;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.gateway.RetryScheduler;
import org.axonframework.common.AxonNonTransientException;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.CannotGetJdbcConnectionException;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.List;

/**
 * How commands meet concurrency (bounded retries of conflicts, snapshots of long-lived tasks, a verified task cache)
 * and how leases expire (one recurring sweep).
 */
@Configuration(proxyBeanMethods = false)
public class TaskConfiguration {

    /** The name of the sweep's one row in db-scheduler's {@code scheduled_tasks}. */
    public static final String LEASE_SWEEP = "lease-sweep";

    /**
     * The lease sweep as one recurring db-scheduler task: a single execution in {@code scheduled_tasks} that one
     * node at a time picks, due again the interval after each run ends. A run that fails is retried at the next
     * interval; one left picked by a node that died is revived once its heartbeat is stale.
     */
    @Bean
    public RecurringTask<Void> leaseSweepTask(LeaseSweep sweep,
                                              @Value("${agentledger.leases.sweep-interval:1s}") Duration interval) {
        return Tasks.recurring(LEASE_SWEEP, FixedDelay.of(interval)).execute((instance, context) -> sweep.sweep());
    }

    /**
     * A command that lost a race on its aggregate (ConcurrencyException) is tried again a few times; business
     * refusals (DomainException is non-transient) never are. What still conflicts then is answered 409.
     */
    @Bean
    public CommandGateway commandGateway(CommandBus commandBus,
                                         @Value("${agentledger.commands.max-retries:3}") int maxRetries,
                                         @Value("${agentledger.commands.retry-interval-ms:5}") int retryInterval) {
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new RetryOnTheSendingThread(maxRetries, retryInterval))
                .build();
    }

    /**
     * Retries run on the thread that sent the command, inside the request and its transaction, never on a thread of
     * their own: a command is then finished, committed or not, before its request is answered, and no retry can
     * commit after the caller was told the command timed out. A database that cannot be reached is not retried:
     * each attempt would wait out the pool's connection timeout, and the request must fail fast with 503 (found by
     * the PostgreSQL outage drill).
     */
    static final class RetryOnTheSendingThread implements RetryScheduler {

        private final int maxRetries;
        private final long intervalMillis;

        RetryOnTheSendingThread(int maxRetries, long intervalMillis) {
            this.maxRetries = maxRetries;
            this.intervalMillis = intervalMillis;
        }

        @Override
        public boolean scheduleRetry(CommandMessage commandMessage, RuntimeException lastFailure,
                                     List<Class<? extends Throwable>[]> failures,
                                     Runnable commandDispatch) {
            boolean refusedOnCachedState = lastFailure instanceof StaleRefusals.RefusedOnCachedState;
            // a stale refusal evicted its entry: one more attempt loads fresh, whatever the count so far
            if (failures.size() > maxRetries + (refusedOnCachedState ? 1 : 0) || nonTransient(lastFailure)) {
                return false;
            }
            try {
                Thread.sleep(intervalMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
            commandDispatch.run();
            return true;
        }

        /** A refusal is final, unless it was decided on a cached aggregate (then its cause is the refusal). */
        static boolean nonTransient(Throwable failure) {
            if (failure instanceof StaleRefusals.RefusedOnCachedState) {
                return false;
            }
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof AxonNonTransientException || unreachable(cause)) {
                    return true;
                }
            }
            return false;
        }

        static boolean unreachable(Throwable cause) {
            return cause instanceof CannotGetJdbcConnectionException || cause instanceof SQLTransientConnectionException
                    || cause instanceof ConnectException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08");
        }
    }

    /**
     * Tasks take several commands each (claim, heartbeats, complete) in quick succession on one node; a bounded
     * cache spares loading them from the store for each (see BoundedAggregateCache for why it stays correct with
     * several command nodes). Off: every command loads from the store.
     */
    @Bean
    public Cache taskCache(@Value("${agentledger.tasks.aggregate-cache:true}") boolean enabled,
                           @Value("${agentledger.tasks.aggregate-cache-size:100000}") long size,
                           @Value("${agentledger.tasks.aggregate-cache-idle:PT30M}") Duration idle) {
        return enabled ? new BoundedAggregateCache(size, idle) : NoCache.INSTANCE;
    }

    /** Refusals decided on a cached aggregate are checked again on a fresh load (StaleRefusals). */
    @Autowired
    void checkRefusalsOfCachedAggregates(CommandBus commandBus) {
        commandBus.registerHandlerInterceptor(new StaleRefusals());
    }

    /** Heartbeats add events to a task; a snapshot every so many keeps loading it cheap. */
    @Bean
    public SnapshotTriggerDefinition taskSnapshotTrigger(Snapshotter snapshotter,
                                                         @Value("${agentledger.tasks.snapshot-every:50}") int every) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, every);
    }
}
