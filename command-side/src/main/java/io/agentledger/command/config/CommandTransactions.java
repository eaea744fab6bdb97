package io.agentledger.command.config;

import org.axonframework.common.transaction.TransactionManager;
import org.axonframework.spring.messaging.unitofwork.SpringTransactionManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.DefaultTransactionDefinition;

/** How Axon's units of work meet Spring's transactions. */
@Configuration(proxyBeanMethods = false)
public class CommandTransactions {

    /**
     * Axon's unit of work for a command nests in a transaction the caller already has (a savepoint), instead of
     * joining it: a refused command rolls back only its own work, so a request that groups several commands (an
     * import, an idempotent request whose answer is stored with its events) can still commit what it decided.
     * Without an outer transaction a command runs in a transaction of its own, as with Axon's default.
     */
    @Bean
    public TransactionManager axonTransactionManager(PlatformTransactionManager transactions) {
        DefaultTransactionDefinition nested = new DefaultTransactionDefinition();
        nested.setPropagationBehavior(TransactionDefinition.PROPAGATION_NESTED);
        return new SpringTransactionManager(transactions, nested);
    }
}
