package io.agentledger.query.analytics;

import java.util.List;

/** Agents in id order; {@code nextCursor} is null on the last page. */
public record AgentStatsPage(List<AgentStats> items, String nextCursor) {

    public AgentStatsPage {
        items = List.copyOf(items);
    }

    /**
     * One agent's claims, and how many of them it completed, failed, or lost when their lease expired; the median
     * time from its claim to its completion of the tasks it completed.
     */
    public record AgentStats(String agentId, long claims, long completions, long failures, long leaseExpiries,
                             CycleTime cycleTime) {
    }

    /** The continuous median ({@code percentile_cont(0.5)}) in seconds, rounded to the millisecond. */
    public record CycleTime(Double p50) {
    }
}
