package io.agentledger.command.config;

import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.gateway.CommandGateway;
import org.axonframework.commandhandling.gateway.DefaultCommandGateway;
import org.axonframework.commandhandling.gateway.IntervalRetryScheduler;
import org.axonframework.common.caching.Cache;
import org.axonframework.common.caching.NoCache;
import org.axonframework.eventsourcing.EventCountSnapshotTriggerDefinition;
import org.axonframework.eventsourcing.SnapshotTriggerDefinition;
import org.axonframework.eventsourcing.Snapshotter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.core.JdbcTemplate;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** How commands meet concurrency: bounded retries of conflicts, snapshots of long-lived tasks, a verified task cache. */
@Configuration(proxyBeanMethods = false)
public class TaskConfiguration {

    /**
     * A command that lost a race on its aggregate (ConcurrencyException) is tried again a few times; business
     * refusals (DomainException is non-transient) never are. What still conflicts then is answered 409.
     */
    @Bean
    public CommandGateway commandGateway(CommandBus commandBus,
                                         @Value("${agentledger.commands.max-retries:3}") int maxRetries,
                                         @Value("${agentledger.commands.retry-interval-ms:5}") int retryInterval) {
        ScheduledExecutorService retries = Executors.newScheduledThreadPool(1, runnable -> {
            Thread thread = new Thread(runnable, "command-retry");
            thread.setDaemon(true);
            return thread;
        });
        return DefaultCommandGateway.builder()
                .commandBus(commandBus)
                .retryScheduler(new NoRetryWhileTheDatabaseIsAway(IntervalRetryScheduler.builder()
                        .retryExecutor(retries)
                        .maxRetryCount(maxRetries)
                        .retryInterval(retryInterval)))
                .build();
    }

    /**
     * A database that cannot be reached is not retried: each attempt would wait out the pool's connection timeout,
     * and the request must fail fast with 503 (found by the PostgreSQL outage drill, where retries made requests run
     * into the gateway's 10 s timeout and answer 500).
     */
    static final class NoRetryWhileTheDatabaseIsAway extends IntervalRetryScheduler {

        NoRetryWhileTheDatabaseIsAway(Builder builder) {
            super(builder);
        }

        @Override
        protected boolean isExplicitlyNonTransient(Throwable failure) {
            return unreachable(failure) || super.isExplicitlyNonTransient(failure);
        }

        static boolean unreachable(Throwable failure) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                if (cause instanceof CannotGetJdbcConnectionException || cause instanceof SQLTransientConnectionException
                        || cause instanceof ConnectException
                        || cause instanceof SQLException sql && sql.getSQLState() != null
                        && sql.getSQLState().startsWith("08")) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Tasks take several commands each (claim, heartbeats, complete) in quick succession on one node; a cache entry
     * verified against the store (see VerifiedAggregateCache) spares reloading them. Off: every command loads from
     * the store.
     */
    @Bean
    public Cache taskCache(JdbcTemplate jdbc, @Value("${agentledger.tasks.aggregate-cache:true}") boolean enabled) {
        return enabled ? new VerifiedAggregateCache(jdbc) : NoCache.INSTANCE;
    }

    /** Heartbeats add events to a task; a snapshot every so many keeps loading it cheap. */
    @Bean
    public SnapshotTriggerDefinition taskSnapshotTrigger(Snapshotter snapshotter,
                                                         @Value("${agentledger.tasks.snapshot-every:50}") int every) {
        return new EventCountSnapshotTriggerDefinition(snapshotter, every);
    }
}
