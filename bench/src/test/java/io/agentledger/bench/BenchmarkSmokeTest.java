package io.agentledger.bench;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole benchmark in a few seconds, so it cannot rot: the real standalone jar and the baseline in their own
 * JVMs, every scenario at toy sizes. Correctness is asserted (no errors, no double claims, one winner per race, every
 * task handed off); no speed target is, the machines running CI are too noisy for that.
 */
class BenchmarkSmokeTest {

    @Test
    void runsEveryScenarioAtToySizes() throws Exception {
        List<String> args = new ArrayList<>(List.of("--server-jar", "../standalone/target/agentledger.jar",
                "--agents", "4", "--tasks", "100", "--warmup-tasks", "40", "--duration", "2s", "--warmup", "1s",
                "--race-agents", "6", "--race-rounds", "3", "--handoff-tasks", "10", "--waiters", "2",
                "--knowledge-entries", "100", "--searches", "30", "--bulk-events", "300", "--list-pages", "3",
                "--durable", "false", "--write", "none"));
        String externalDb = System.getenv("AGENTLEDGER_DB_URL");
        if (externalDb != null && !externalDb.isBlank()) {
            args.addAll(List.of("--pg-url", externalDb, "--pg-user", env("AGENTLEDGER_DB_USER", "postgres"),
                    "--pg-password", env("AGENTLEDGER_DB_PASSWORD", "")));
        }

        Report report = new Benchmark(Options.parse(args.toArray(String[]::new))).run();

        assertThat(report.rows()).extracting(Report.Row::scenario).anyMatch(s -> s.startsWith("cold start"))
                .anyMatch(s -> s.startsWith("claim-next → complete, 4 agents"))
                .anyMatch(s -> s.startsWith("command acknowledged → visible"))
                .contains("complete-with-next loop, 4 agents")
                .anyMatch(s -> s.startsWith("6 agents claim the same task at once, 3 times"))
                .anyMatch(s -> s.startsWith("task created → handed to a waiting claim-next"))
                .anyMatch(s -> s.startsWith("knowledge search, 100 entries"))
                .anyMatch(s -> s.startsWith("task list, 300 tasks"))
                .anyMatch(s -> s.startsWith("projection replay of the task list"));
        assertThat(report.rows()).allSatisfy(row -> assertThat(row.errors()).as(row.scenario()).isZero());
        assertThat(report.rows()).filteredOn(row -> row.scenario().startsWith("claim-next → complete"))
                .hasSize(2).allSatisfy(row -> assertThat(row.operations()).isPositive())
                .first().satisfies(row -> assertThat(row.verdict()).endsWith("double claims 0, completed twice 0"));
        // AgentLedger's side runs once the server has complete with "next"; until then its row says "not supported"
        assertThat(report.rows()).filteredOn(row -> row.scenario().equals("complete-with-next loop, 4 agents"))
                .hasSize(2).satisfiesExactly(
                        al -> assertThat(al.operations() > 0 && al.verdict().endsWith("double claims 0, completed "
                                + "twice 0") || al.verdict().startsWith("not supported by this server"))
                                .as(al.verdict()).isTrue(),
                        base -> {
                            assertThat(base.system()).isEqualTo("row-lock baseline");
                            assertThat(base.operations()).isPositive();
                            assertThat(base.verdict()).isEqualTo("double claims 0");
                        });
        if (externalDb == null || externalDb.isBlank()) {
            // the embedded server loads pg_stat_statements, so the cost notes count statements
            assertThat(report.notes()).filteredOn(note -> note.startsWith("cost of one claim-next → complete, "
                    + "measured around the rounds: AgentLedger server JVM ")).singleElement().asString()
                    .contains(" commits, ", " rows written, ", " SQL statements; row-lock baseline server JVM ")
                    .endsWith(" SQL statements");
            assertThat(report.notes()).anyMatch(note -> note.startsWith("cost of one complete-with-next cycle"));
        }
        assertThat(report.rows()).filteredOn(row -> row.scenario().startsWith("6 agents claim"))
                .singleElement().satisfies(row -> assertThat(row.verdict()).startsWith("met; 3/3 rounds with one winner"));
        assertThat(report.rows()).filteredOn(row -> row.scenario().startsWith("task created → handed"))
                .singleElement().satisfies(row -> assertThat(row.verdict()).endsWith("10/10 handed off"));
        assertThat(report.markdown("17", "smoke")).contains(Report.START, Report.END, "| row-lock baseline |",
                "cores");
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null ? fallback : value;
    }
}
