package io.agentledger.query.analytics;

import org.springframework.jdbc.core.JdbcTemplate;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Changes to the totals tables ({@code analytics_status_totals}, {@code analytics_daily_totals},
 * {@code analytics_daily_durations}, {@code analytics_agent_totals}; query migration V11) summed over the events of
 * one transaction, then written with one upsert per row that changed; a row whose counts all went back to zero is
 * deleted, so that the tables hold the same rows however the events were batched (a replay equals the live rows).
 *
 * <p>Several transactions change the same rows at once: the processor's threads (and nodes) each handle their own
 * segments, i.e. their own tasks, but the tasks of one project share the project's status and day rows. They never
 * deadlock: the rows are locked only here, at the end of each transaction, and always in the same order (status rows,
 * day rows, duration rows, agent rows, each sorted by key), so no transaction waits for a row while holding one that
 * the other holds and needs. The rows are held only from then to the commit, not for the whole batch.
 */
final class AnalyticsTotals {

    static final String[] DAY_COLUMNS = {"created", "completed", "finished", "failed", "first_claimed", "retried"};
    static final String[] AGENT_COLUMNS = {"claims", "completions", "failures", "lease_expiries"};

    private static final Comparator<Key> ORDER = Comparator.comparing(Key::tenant).thenComparing(Key::project)
            .thenComparing(key -> key.part().toString());

    private final Map<Key, long[]> statuses = new TreeMap<>(ORDER);
    private final Map<Key, long[]> days = new TreeMap<>(ORDER);
    private final Map<Key, long[]> durations = new TreeMap<>(ORDER);
    private final Map<Key, long[]> agents = new TreeMap<>(ORDER);

    /** A task row changed from {@code before} (null when it was created) to {@code after}. */
    void task(String tenant, String project, TaskFigures before, TaskFigures after) {
        if (before != null) {
            count(tenant, project, before, -1);
        }
        count(tenant, project, after, 1);
    }

    void claimed(String tenant, String project, String agent) {
        agent(tenant, project, agent)[0]++;
    }

    /** A claim of the agent ended with {@code outcome}. */
    void claimEnded(String tenant, String project, String agent, String outcome) {
        switch (outcome) {
            case "COMPLETED" -> agent(tenant, project, agent)[1]++;
            case "FAILED" -> agent(tenant, project, agent)[2]++;
            case "LEASE_EXPIRED" -> agent(tenant, project, agent)[3]++;
            default -> {
                // released and cancelled claims count as claims only
            }
        }
    }

    /** Writes the changes in the order that keeps concurrent writers from deadlocking (see the class comment). */
    void write(JdbcTemplate jdbc) {
        upsert(jdbc, "analytics_status_totals", new String[]{"status"}, new String[]{"tasks"}, statuses);
        upsert(jdbc, "analytics_daily_totals", new String[]{"day"}, DAY_COLUMNS, days);
        upsert(jdbc, "analytics_daily_durations", new String[]{"day", "bucket"},
                new String[]{"lead_times", "cycle_times"}, durations);
        upsert(jdbc, "analytics_agent_totals", new String[]{"agent_id"}, AGENT_COLUMNS, agents);
        statuses.clear();
        days.clear();
        durations.clear();
        agents.clear();
    }

    /** Adds {@code sign} × the task's contribution: one per total it is counted in (V11 defines each). */
    private void count(String tenant, String project, TaskFigures task, int sign) {
        statuses.computeIfAbsent(new Key(tenant, project, task.status()), k -> new long[1])[0] += sign;
        day(tenant, project, task.createdAt())[0] += sign;
        if (task.completedAt() != null) {
            day(tenant, project, task.completedAt())[1] += sign;
            if (task.leadTimeSeconds() != null) {
                duration(tenant, project, task.completedAt(), task.leadTimeSeconds())[0] += sign;
            }
            if (task.cycleTimeSeconds() != null) {
                duration(tenant, project, task.completedAt(), task.cycleTimeSeconds())[1] += sign;
            }
        }
        boolean failed = "FAILED".equals(task.status());
        if (task.terminalAt() != null && (failed || "COMPLETED".equals(task.status()))) {
            long[] terminal = day(tenant, project, task.terminalAt());
            terminal[2] += sign;
            if (failed) {
                terminal[3] += sign;
            }
        }
        if (task.firstClaimedAt() != null) {
            long[] firstClaimed = day(tenant, project, task.firstClaimedAt());
            firstClaimed[4] += sign;
            if (task.attempts() > 1) {
                firstClaimed[5] += sign;
            }
        }
    }

    private long[] day(String tenant, String project, OffsetDateTime at) {
        LocalDate day = at.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
        return days.computeIfAbsent(new Key(tenant, project, day), k -> new long[DAY_COLUMNS.length]);
    }

    private long[] duration(String tenant, String project, OffsetDateTime completedAt, double seconds) {
        LocalDate day = completedAt.toInstant().atOffset(ZoneOffset.UTC).toLocalDate();
        return durations.computeIfAbsent(new Key(tenant, project, new DayBucket(day, bucket(seconds))),
                k -> new long[2]);
    }

    /**
     * The bucket of a duration in seconds, as SQL function {@code analytics_duration_bucket} (query V11): -1 below
     * 0; 0 to 31 one per second; from 32 s on 16 per power of two, [m × 2^k, (m + 1) × 2^k) with m from 16 to 31.
     */
    static int bucket(double seconds) {
        if (seconds < 0) {
            return -1;
        }
        if (seconds < 32) {
            return (int) Math.floor(seconds);
        }
        long whole = (long) Math.floor(seconds);
        int exponent = 63 - Long.numberOfLeadingZeros(whole);
        return 32 + (exponent - 5) * 16 + (int) ((whole >> (exponent - 4)) - 16);
    }

    /** The durations of bucket {@code bucket}: from {@code [0]} included to {@code [1]} excluded. */
    static double[] bounds(int bucket) {
        if (bucket < 0) {
            return new double[]{Double.NEGATIVE_INFINITY, 0};
        }
        if (bucket < 32) {
            return new double[]{bucket, bucket + 1.0};
        }
        int shift = (bucket - 32) / 16 + 1;
        long mantissa = 16 + (bucket - 32) % 16;
        return new double[]{mantissa << shift, (mantissa + 1) << shift};
    }

    private long[] agent(String tenant, String project, String agent) {
        return agents.computeIfAbsent(new Key(tenant, project, agent), k -> new long[AGENT_COLUMNS.length]);
    }

    private static void upsert(JdbcTemplate jdbc, String table, String[] keyColumns, String[] columns,
                               Map<Key, long[]> changes) {
        List<Object[]> rows = new ArrayList<>();
        changes.forEach((key, deltas) -> {
            if (Arrays.stream(deltas).anyMatch(delta -> delta != 0)) {
                List<Object> row = new ArrayList<>(List.of(key.tenant(), key.project()));
                if (key.part() instanceof DayBucket dayBucket) {
                    row.add(dayBucket.day());
                    row.add(dayBucket.bucket());
                } else {
                    row.add(key.part());
                }
                for (long delta : deltas) {
                    row.add(delta);
                }
                rows.add(row.toArray());
            }
        });
        if (rows.isEmpty()) {
            return;
        }
        String keys = "tenant_id, project_id, " + String.join(", ", keyColumns);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" (").append(keys).append(", ")
                .append(String.join(", ", columns)).append(") VALUES (?, ?")
                .append(", ?".repeat(keyColumns.length + columns.length)).append(") ON CONFLICT (").append(keys)
                .append(") DO UPDATE SET ");
        for (int i = 0; i < columns.length; i++) {
            sql.append(i == 0 ? "" : ", ").append(columns[i]).append(" = ").append(table).append('.')
                    .append(columns[i]).append(" + EXCLUDED.").append(columns[i]);
        }
        // one statement per row, executed in the map's (sorted) order
        jdbc.batchUpdate(sql.toString(), rows);
        // a row whose counts are all zero goes, as if it had never been counted (a replay does not write it)
        List<Object[]> keyValues = rows.stream()
                .map(row -> Arrays.copyOf(row, 2 + keyColumns.length)).toList();
        jdbc.batchUpdate("DELETE FROM " + table + " WHERE tenant_id = ? AND project_id = ?"
                + Arrays.stream(keyColumns).map(column -> " AND " + column + " = ?").collect(Collectors.joining())
                + Arrays.stream(columns).map(column -> " AND " + column + " = 0").collect(Collectors.joining()),
                keyValues);
    }

    /** A UTC day and a duration bucket. */
    private record DayBucket(LocalDate day, int bucket) {
    }

    /** A row of a totals table: tenant, project and the status, day or agent. */
    private record Key(String tenant, String project, Object part) {
    }
}
