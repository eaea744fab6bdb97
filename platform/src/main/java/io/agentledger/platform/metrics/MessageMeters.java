package io.agentledger.platform.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import org.axonframework.messaging.Message;
import org.axonframework.monitoring.MessageMonitor;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The counters and timers of one Axon component (a command bus, an event processor, ...) under Axon's own meter
 * names ({@code <component>.ingestedCounter}, {@code <component>.successTimer}, ...), registered once per payload
 * type instead of looked up by name and tags for every message as Axon's {@code MessageCountingMonitor} and
 * {@code MessageTimerMonitor} do. Timers publish histogram buckets, so percentiles are computed by Prometheus, not
 * kept per timer in the JVM.
 */
public final class MessageMeters implements MessageMonitor<Message<?>> {

    static final Duration SHORTEST = Duration.ofMillis(1);
    static final Duration LONGEST = Duration.ofSeconds(30);

    private final MeterRegistry registry;
    private final String component;
    private final Function<Class<?>, Tags> counterTags;
    private final Function<Class<?>, Tags> timerTags;
    private final Map<Class<?>, Meters> byPayloadType = new ConcurrentHashMap<>();

    /**
     * @param component   the prefix of every meter's name, as Axon names it
     * @param counterTags the counters' tags for a payload type
     * @param timerTags   the timers' tags for a payload type
     */
    public MessageMeters(MeterRegistry registry, String component, Function<Class<?>, Tags> counterTags,
                         Function<Class<?>, Tags> timerTags) {
        this.registry = registry;
        this.component = component;
        this.counterTags = counterTags;
        this.timerTags = timerTags;
    }

    @Override
    public MonitorCallback onMessageIngested(Message<?> message) {
        Meters meters = byPayloadType.computeIfAbsent(message.getPayloadType(), this::register);
        meters.ingested.increment();
        long start = registry.config().clock().monotonicTime();
        return new MonitorCallback() {
            @Override
            public void reportSuccess() {
                meters.processed.increment();
                meters.success.increment();
                record(meters.successTimer);
            }

            @Override
            public void reportFailure(Throwable cause) {
                meters.processed.increment();
                meters.failure.increment();
                record(meters.failureTimer);
            }

            @Override
            public void reportIgnored() {
                meters.ignored.increment();
                record(meters.ignoredTimer);
            }

            private void record(Timer outcome) {
                long nanos = registry.config().clock().monotonicTime() - start;
                meters.allTimer.record(Duration.ofNanos(nanos));
                outcome.record(Duration.ofNanos(nanos));
            }
        };
    }

    private Meters register(Class<?> payloadType) {
        Tags counters = counterTags.apply(payloadType);
        Tags timers = timerTags.apply(payloadType);
        return new Meters(counter("ingestedCounter", counters), counter("processedCounter", counters),
                counter("successCounter", counters), counter("failureCounter", counters),
                counter("ignoredCounter", counters), timer("allTimer", timers), timer("successTimer", timers),
                timer("failureTimer", timers), timer("ignoredTimer", timers));
    }

    private Counter counter(String name, Tags tags) {
        return registry.counter(component + "." + name, tags);
    }

    private Timer timer(String name, Tags tags) {
        return Timer.builder(component + "." + name)
                .tags(tags)
                .publishPercentileHistogram()
                .minimumExpectedValue(SHORTEST)
                .maximumExpectedValue(LONGEST)
                .register(registry);
    }

    private record Meters(Counter ingested, Counter processed, Counter success, Counter failure, Counter ignored,
                          Timer allTimer, Timer successTimer, Timer failureTimer, Timer ignoredTimer) {
    }
}
