package io.agentledger.platform.metrics;

import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.GenericEventMessage;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.axonframework.micrometer.GlobalMetricRegistry;

import static org.assertj.core.api.Assertions.assertThat;

class MessageMetricRegistryTest {

    record Claimed(String taskId) {
    }

    record Completed(String taskId) {
    }

    private final PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final MessageMetricRegistry registry = new MessageMetricRegistry(meters);

    @SuppressWarnings("unchecked")
    private static MessageMonitor<Message<?>> monitor(MessageMonitor<? extends Message<?>> monitor) {
        return (MessageMonitor<Message<?>>) monitor;
    }

    @Test
    void anEventProcessorCountsAndTimesEachPayloadTypeUnderAxonsNamesAndTags() {
        MessageMonitor<Message<?>> processor = monitor(
                registry.registerComponentWithDefaultTags(PooledStreamingEventProcessor.class, "task-list"));

        for (int i = 0; i < 3; i++) {
            processor.onMessageIngested(GenericEventMessage.asEventMessage(new Claimed("t" + i))).reportSuccess();
        }
        processor.onMessageIngested(GenericEventMessage.asEventMessage(new Completed("t0")))
                .reportFailure(new IllegalStateException("boom"));
        processor.onMessageIngested(GenericEventMessage.asEventMessage(new Completed("t1"))).reportIgnored();

        assertThat(meters.get("eventProcessor.ingestedCounter")
                .tags("payloadType", "Claimed", "processorName", "task-list").counter().count()).isEqualTo(3);
        assertThat(meters.get("eventProcessor.processedCounter")
                .tags("payloadType", "Completed", "processorName", "task-list").counter().count()).isEqualTo(1);
        assertThat(meters.get("eventProcessor.failureCounter").tags("payloadType", "Completed").counter().count())
                .isEqualTo(1);
        assertThat(meters.get("eventProcessor.ignoredCounter").tags("payloadType", "Completed").counter().count())
                .isEqualTo(1);
        Timer success = meters.get("eventProcessor.successTimer").tags("payloadType", "Claimed").timer();
        assertThat(success.count()).isEqualTo(3);
        assertThat(meters.get("eventProcessor.allTimer").tags("payloadType", "Completed").timer().count())
                .isEqualTo(2);
        assertThat(meters.scrape())
                .as("percentiles are left to the server: the timers publish histogram buckets")
                .contains("eventProcessor_successTimer_seconds_bucket{payloadType=\"Claimed\",processorName=\"task-list\",le=\"")
                .doesNotContain("quantile=");
        assertThat(meters.find("eventProcessor.latency").gauges()).isNotEmpty();
        assertThat(meters.find("eventProcessor.capacity").gauges()).isNotEmpty();
    }

    @Test
    void metersAreRegisteredOncePerPayloadTypeNotPerMessage() {
        MessageMonitor<Message<?>> commandBus = monitor(
                registry.registerComponentWithDefaultTags(CommandBus.class, "commandBus"));
        commandBus.onMessageIngested(GenericCommandMessage.asCommandMessage(new Claimed("t0"))).reportSuccess();
        int afterFirst = meters.getMeters().size();
        Timer first = meters.get("commandBus.successTimer").tags("payloadType", "Claimed").timer();

        for (int i = 1; i < 100; i++) {
            commandBus.onMessageIngested(GenericCommandMessage.asCommandMessage(new Claimed("t" + i)))
                    .reportSuccess();
        }

        assertThat(meters.getMeters()).hasSize(afterFirst);
        assertThat(meters.get("commandBus.successTimer").tags("payloadType", "Claimed").timer())
                .isSameAs(first).extracting(Timer::count).isEqualTo(100L);
        assertThat(meters.get("commandBus.successCounter").tags("payloadType", "Claimed").counter().count())
                .isEqualTo(100);
    }

    @Test
    void theEventBusCountsWithoutTagsAndTimesByPayloadTypeAsAxonDoes() {
        MessageMonitor<Message<?>> eventBus = monitor(
                registry.registerComponentWithDefaultTags(EventBus.class, "eventStore"));
        eventBus.onMessageIngested(GenericEventMessage.asEventMessage(new Claimed("t0"))).reportSuccess();
        eventBus.onMessageIngested(GenericEventMessage.asEventMessage(new Completed("t0"))).reportSuccess();

        assertThat(meters.get("eventStore.ingestedCounter").counter().getId().getTags()).isEmpty();
        assertThat(meters.get("eventStore.ingestedCounter").counter().count()).isEqualTo(2);
        assertThat(meters.get("eventStore.successTimer").tags("payloadType", "Completed").timer().count())
                .isEqualTo(1);
    }

    @Test
    void theAutoConfigurationPutsItInPlaceOfAxonsRegistry() {
        new ApplicationContextRunner()
                .withBean(SimpleMeterRegistry.class)
                .withConfiguration(AutoConfigurations.of(MessageMetricsAutoConfiguration.class))
                .run(context -> assertThat(context.getBean(GlobalMetricRegistry.class))
                        .isInstanceOf(MessageMetricRegistry.class));
    }
}
