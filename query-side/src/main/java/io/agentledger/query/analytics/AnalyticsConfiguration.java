package io.agentledger.query.analytics;

import org.axonframework.config.ConfigurerModule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The analytics processor handles events in batches (one transaction per batch instead of per event), so a replay
 * rebuilds the read model many times faster. A batch redelivered after a failure changes nothing: each task row
 * remembers the last event applied to it.
 */
@Configuration(proxyBeanMethods = false)
class AnalyticsConfiguration {

    static final int BATCH_SIZE = 100;

    @Bean
    ConfigurerModule analyticsProcessor() {
        return configurer -> configurer.eventProcessing().registerPooledStreamingEventProcessorConfiguration(
                AnalyticsProjection.NAME, (configuration, builder) -> builder.batchSize(BATCH_SIZE));
    }
}
