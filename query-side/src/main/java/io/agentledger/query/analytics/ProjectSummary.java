package io.agentledger.query.analytics;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A project's analytics over a range of UTC days (docs/analytics.md defines every figure). {@code countsByStatus}
 * (every status, zeros included) and {@code oldestReadyAgeSeconds} describe the project as of {@code asOf}; the rest
 * the range. A figure with nothing to measure (no task completed in the range, none READY) is null.
 */
public record ProjectSummary(String projectId,
                             LocalDate from,
                             LocalDate to,
                             Instant asOf,
                             Map<String, Long> countsByStatus,
                             List<DayCount> createdPerDay,
                             List<DayCount> completedPerDay,
                             Percentiles leadTime,
                             Percentiles cycleTime,
                             Double failureRate,
                             Double retryRate,
                             Long oldestReadyAgeSeconds) {

    public ProjectSummary {
        countsByStatus = Collections.unmodifiableMap(new LinkedHashMap<>(countsByStatus));
        createdPerDay = List.copyOf(createdPerDay);
        completedPerDay = List.copyOf(completedPerDay);
    }

    /** How many tasks on one UTC day. */
    public record DayCount(LocalDate date, long count) {
    }

    /** Continuous percentiles ({@code percentile_cont}) of durations in seconds, rounded to the millisecond. */
    public record Percentiles(Double p50, Double p95) {
    }
}
