package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.util.Locale;

/** One scenario's figures: latencies in milliseconds from an HdrHistogram, throughput per second, errors. */
public record ScenarioResult(String name, long operations, double throughputPerSecond, double p50Millis,
                             double p95Millis, double p99Millis, double maxMillis, long errors) {

    static ScenarioResult of(String name, Histogram micros, double seconds, long errors) {
        return new ScenarioResult(name, micros.getTotalCount(), micros.getTotalCount() / seconds,
                micros.getValueAtPercentile(50) / 1000.0, micros.getValueAtPercentile(95) / 1000.0,
                micros.getValueAtPercentile(99) / 1000.0, micros.getMaxValue() / 1000.0, errors);
    }

    public String row() {
        return String.format(Locale.ROOT, "| %s | %d | %.1f/s | %.1f | %.1f | %.1f | %.1f | %d |", name, operations,
                throughputPerSecond, p50Millis, p95Millis, p99Millis, maxMillis, errors);
    }

    public static String header() {
        return "| scenario | operations | throughput | p50 ms | p95 ms | p99 ms | max ms | errors |\n"
                + "|---|---|---|---|---|---|---|---|";
    }
}
