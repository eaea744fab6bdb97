package io.agentledger.command.config;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Duration;

/**
 * Axon's message timers (tagged by payload type or processor) keep their names and tags, but their percentiles are
 * computed by Prometheus from histogram buckets instead of in the JVM on every message: client-side percentiles
 * keep a decaying ring of histograms per timer and cost each command and each event handled a share of a claim
 * cycle's CPU.
 */
@Configuration(proxyBeanMethods = false)
public class MessageMetrics {

    static final Duration SHORTEST = Duration.ofMillis(1);
    static final Duration LONGEST = Duration.ofSeconds(30);

    @Bean
    public MeterFilter serverSideMessagePercentiles() {
        return new MeterFilter() {
            @Override
            public DistributionStatisticConfig configure(Meter.Id id, DistributionStatisticConfig config) {
                if (id.getType() != Meter.Type.TIMER
                        || (id.getTag("payloadType") == null && id.getTag("processorName") == null)) {
                    return config;
                }
                return DistributionStatisticConfig.builder()
                        .percentiles()
                        .percentilesHistogram(true)
                        .minimumExpectedValue((double) SHORTEST.toNanos())
                        .maximumExpectedValue((double) LONGEST.toNanos())
                        .build()
                        .merge(config);
            }
        };
    }
}
