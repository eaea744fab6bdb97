package io.agentledger.query.audit;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The audit log sees every event of the store, so its processor handles them in batches (one transaction per batch
 * instead of per event): a replay, or a first start on a large store, indexes it many times faster. Its rows are
 * inserted once by position, so a batch redelivered after a failure changes nothing.
 */
@Configuration(proxyBeanMethods = false)
class AuditLogConfiguration {

    static final int BATCH_SIZE = 100;

    @Bean
    ConfigurerModule auditLogProcessor() {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                AuditLogProjection.NAME, (configuration, builder) -> builder.batchSize(BATCH_SIZE));
    }
}
