package io.agentledger.query.analytics;

import java.math.BigDecimal;
import java.util.List;

/**
 * RFC 4180 CSV: a header row, CRLF line ends, a cell quoted (quotes doubled) when it holds a comma, a quote or a line
 * break. Numbers are written plainly (never in exponent notation) and null as an empty cell.
 */
final class Csv {

    private final StringBuilder text = new StringBuilder();

    Csv(String... header) {
        row((Object[]) header);
    }

    Csv row(Object... cells) {
        for (int i = 0; i < cells.length; i++) {
            if (i > 0) {
                text.append(',');
            }
            text.append(cell(cells[i]));
        }
        text.append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }

    static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof Double number) {
            return BigDecimal.valueOf(number).stripTrailingZeros().toPlainString();
        }
        String text = value.toString();
        if (text.indexOf(',') < 0 && text.indexOf('"') < 0 && text.indexOf('\n') < 0 && text.indexOf('\r') < 0) {
            return text;
        }
        return '"' + text.replace("\"", "\"\"") + '"';
    }

    /** The summary in the long layout of docs/analytics.md: one figure per row, {@code metric,key,value}. */
    static String summary(ProjectSummary summary) {
        Csv csv = new Csv("metric", "key", "value");
        csv.row("projectId", null, summary.projectId());
        csv.row("from", null, summary.from());
        csv.row("to", null, summary.to());
        csv.row("asOf", null, summary.asOf());
        summary.countsByStatus().forEach((status, count) -> csv.row("countsByStatus", status, count));
        days(csv, "createdPerDay", summary.createdPerDay());
        days(csv, "completedPerDay", summary.completedPerDay());
        csv.row("leadTime", "p50", summary.leadTime().p50());
        csv.row("leadTime", "p95", summary.leadTime().p95());
        csv.row("cycleTime", "p50", summary.cycleTime().p50());
        csv.row("cycleTime", "p95", summary.cycleTime().p95());
        csv.row("failureRate", null, summary.failureRate());
        csv.row("retryRate", null, summary.retryRate());
        csv.row("oldestReadyAgeSeconds", null, summary.oldestReadyAgeSeconds());
        return csv.toString();
    }

    /** One row per agent, the JSON fields flattened. */
    static String agents(List<AgentStatsPage.AgentStats> agents) {
        Csv csv = new Csv("agentId", "claims", "completions", "failures", "leaseExpiries", "cycleTimeP50");
        agents.forEach(agent -> csv.row(agent.agentId(), agent.claims(), agent.completions(), agent.failures(),
                agent.leaseExpiries(), agent.cycleTime().p50()));
        return csv.toString();
    }

    private static void days(Csv csv, String metric, List<ProjectSummary.DayCount> days) {
        for (ProjectSummary.DayCount day : days) {
            csv.row(metric, day.date(), day.count());
        }
    }
}
