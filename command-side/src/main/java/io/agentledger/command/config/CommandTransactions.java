package io.agentledger.command.config;

import org.axonframework.common.transaction.Transaction;
import org.axonframework.common.transaction.TransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.TransactionStatus;
import org.springframework.transaction.support.DefaultTransactionDefinition;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/** How Axon's units of work meet Spring's transactions. */
@Configuration(proxyBeanMethods = false)
public class CommandTransactions {

    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        return new NestingTransactionManager(transactions);
    }

    /**
     * Axon's transactions on Spring's, as Axon's own {@code SpringTransactionManager} does, with one difference: a
     * unit of work that starts inside a transaction Axon did not start — a request that groups several commands (an
     * import) or stores its answer with its events (an idempotent request) — runs in a savepoint of it. A command
     * that is refused or loses a race then rolls back only its own work (and may be retried), and the request's
     * transaction can still commit what was decided. Axon's own transactions inside a unit of work (appending the
     * events, storing a token) join it as before, so they cost no savepoint.
     */
    static final class NestingTransactionManager implements TransactionManager {

        private static final ThreadLocal<int[]> AXON_DEPTH = ThreadLocal.withInitial(() -> new int[1]);

        private final PlatformTransactionManager transactions;
        private final TransactionDefinition join = definition(TransactionDefinition.PROPAGATION_REQUIRED);
        private final TransactionDefinition nest = definition(TransactionDefinition.PROPAGATION_NESTED);

        NestingTransactionManager(PlatformTransactionManager transactions) {
            this.transactions = transactions;
        }

        @Override
        public Transaction startTransaction() {
            int[] depth = AXON_DEPTH.get();
            boolean inForeignTransaction = depth[0] == 0 && TransactionSynchronizationManager.isActualTransactionActive();
            TransactionStatus status = transactions.getTransaction(inForeignTransaction ? nest : join);
            depth[0]++;
            return new Transaction() {
                @Override
                public void commit() {
                    depth[0]--;
                    if (ownsWork(status)) {
                        transactions.commit(status);
                    }
                }

                @Override
                public void rollback() {
                    depth[0]--;
                    if (ownsWork(status)) {
                        transactions.rollback(status);
                    }
                }
            };
        }

        /** A new transaction or a savepoint ends here; a joined one ends with its owner. */
        private static boolean ownsWork(TransactionStatus status) {
            return !status.isCompleted() && (status.isNewTransaction() || status.hasSavepoint());
        }

        private static TransactionDefinition definition(int propagation) {
            DefaultTransactionDefinition definition = new DefaultTransactionDefinition();
            definition.setPropagationBehavior(propagation);
            return definition;
        }
    }
}
