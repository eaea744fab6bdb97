package io.agentledger.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.springboot.autoconfig.MicrometerMetricsAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Puts {@link MessageMetricRegistry} in place of Axon's {@link GlobalMetricRegistry}, so both sides (and the
 * standalone process, which runs both) register Axon's message meters once per payload type.
 */
@AutoConfiguration(before = MicrometerMetricsAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.metrics.CompositeMeterRegistryAutoConfiguration")
public class MessageMetricsAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(GlobalMetricRegistry.class)
    public GlobalMetricRegistry messageMetricRegistry(MeterRegistry meterRegistry) {
        return new MessageMetricRegistry(meterRegistry);
    }
}
