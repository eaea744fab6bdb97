package io.agentledger.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.axonframework.commandhandling.CommandBus;
import org.axonframework.eventhandling.EventBus;
import org.axonframework.eventhandling.EventProcessor;
import org.axonframework.messaging.Message;
import org.axonframework.micrometer.CapacityMonitor;
import org.axonframework.micrometer.EventProcessorLatencyMonitor;
import org.axonframework.micrometer.GlobalMetricRegistry;
import org.axonframework.micrometer.TagsUtil;
import org.axonframework.monitoring.MessageMonitor;
import org.axonframework.monitoring.MultiMessageMonitor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryUpdateEmitter;

import java.util.function.Function;

/**
 * Axon's dimensional message metrics with the same meters (names and tags) as its {@link GlobalMetricRegistry},
 * but counters and timers from {@link MessageMeters}: registered once per (component, payload type), with
 * server-side histograms. Event processors keep Axon's latency and capacity monitors, the buses its capacity
 * monitor.
 */
public class MessageMetricRegistry extends GlobalMetricRegistry {

    static final String EVENT_PROCESSOR = "eventProcessor";

    public MessageMetricRegistry(MeterRegistry registry) {
        super(registry);
    }

    @Override
    public MessageMonitor<? extends Message<?>> registerComponentWithDefaultTags(Class<?> componentType,
                                                                                 String componentName) {
        Function<Class<?>, Tags> byPayloadType = type -> Tags.of(TagsUtil.PAYLOAD_TYPE_TAG, type.getSimpleName());
        if (EventProcessor.class.isAssignableFrom(componentType)) {
            Function<Class<?>, Tags> tags = type -> byPayloadType.apply(type)
                    .and(TagsUtil.PROCESSOR_NAME_TAG, componentName);
            Function<Message<?>, Iterable<Tag>> messageTags = message -> tags.apply(message.getPayloadType());
            return new MultiMessageMonitor<>(new MessageMeters(getRegistry(), EVENT_PROCESSOR, tags, tags),
                    EventProcessorLatencyMonitor.buildMonitor(EVENT_PROCESSOR, getRegistry(), messageTags),
                    CapacityMonitor.buildMonitor(EVENT_PROCESSOR, getRegistry(), messageTags));
        }
        if (EventBus.class.isAssignableFrom(componentType)) {
            return new MessageMeters(getRegistry(), componentName, type -> Tags.empty(), byPayloadType);
        }
        if (CommandBus.class.isAssignableFrom(componentType) || QueryBus.class.isAssignableFrom(componentType)
                || QueryUpdateEmitter.class.isAssignableFrom(componentType)) {
            return new MultiMessageMonitor<>(
                    new MessageMeters(getRegistry(), componentName, byPayloadType, byPayloadType),
                    CapacityMonitor.buildMonitor(componentName, getRegistry(),
                            message -> byPayloadType.apply(message.getPayloadType())));
        }
        return super.registerComponentWithDefaultTags(componentType, componentName);
    }
}
