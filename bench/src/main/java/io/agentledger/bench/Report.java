package io.agentledger.bench;

import org.HdrHistogram.Histogram;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The benchmark's one table, printed and written between markers into docs/benchmarks.md with the machine. */
public final class Report {

    static final String START = "<!-- bench:results:start -->";
    static final String END = "<!-- bench:results:end -->";

    /** One line of the table; {@code ratio} and {@code verdict} are free text ("0.31×", "met", "missed", "—"). */
    public record Row(String scenario, String system, long operations, String throughput, double p50, double p95,
                      double p99, double max, long errors, String ratio, String target, String verdict) {

        String markdown() {
            return String.format(Locale.ROOT, "| %s | %s | %d | %s | %.1f | %.1f | %.1f | %.1f | %d | %s | %s | %s |",
                    scenario, system, operations, throughput, p50, p95, p99, max, errors, ratio, target, verdict);
        }
    }

    private final List<Row> rows = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();

    public void add(Row row) {
        rows.add(row);
        System.out.println(row.markdown());
    }

    /** A row from a latency histogram in microseconds. */
    public Row row(String scenario, String system, Histogram micros, String throughput, long errors, String ratio,
                   String target, String verdict) {
        Row row = new Row(scenario, system, micros.getTotalCount(), throughput, ms(micros, 50), ms(micros, 95),
                ms(micros, 99), micros.getMaxValue() / 1000.0, errors, ratio, target, verdict);
        add(row);
        return row;
    }

    public void note(String note) {
        notes.add(note);
        System.out.println("note: " + note);
    }

    public List<Row> rows() {
        return rows;
    }

    public List<String> notes() {
        return notes;
    }

    static String header() {
        return "| scenario | system | operations | throughput | p50 ms | p95 ms | p99 ms | max ms | errors "
                + "| ratio to baseline | target | verdict |\n|---|---|---|---|---|---|---|---|---|---|---|---|";
    }

    static double ms(Histogram micros, double percentile) {
        return micros.getTotalCount() == 0 ? 0 : micros.getValueAtPercentile(percentile) / 1000.0;
    }

    public String markdown(String postgresVersion, String command) {
        StringBuilder out = new StringBuilder();
        out.append(START).append('\n');
        out.append("Run of ").append(LocalDate.now(ZoneOffset.UTC)).append(" (UTC): `").append(command).append("`\n\n");
        out.append("Machine: ").append(machine()).append(", PostgreSQL ").append(postgresVersion).append(".\n\n");
        out.append(header()).append('\n');
        rows.forEach(row -> out.append(row.markdown()).append('\n'));
        if (!notes.isEmpty()) {
            out.append('\n');
            notes.forEach(note -> out.append("- ").append(note).append('\n'));
        }
        out.append(END).append('\n');
        return out.toString();
    }

    /** Replaces the marked section of {@code docs}, or appends one. */
    public void writeInto(Path docs, String postgresVersion, String command) throws IOException {
        String section = markdown(postgresVersion, command);
        String text = Files.exists(docs) ? Files.readString(docs) : "# Benchmarks\n\n";
        int start = text.indexOf(START);
        int end = text.indexOf(END);
        String updated = start >= 0 && end > start
                ? text.substring(0, start) + section + text.substring(end + END.length() + 1)
                : text + "\n" + section;
        Files.writeString(docs, updated);
        System.out.println("wrote the table into " + docs);
    }

    static String machine() {
        long memoryBytes = -1;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    memoryBytes = Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            memoryBytes = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getTotalMemorySize();
        }
        return String.format(Locale.ROOT, "%d cores, %.1f GiB memory, %s %s, Java %s (%s)",
                Runtime.getRuntime().availableProcessors(), memoryBytes / (1024.0 * 1024 * 1024),
                System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("java.version"),
                System.getProperty("java.vm.name"));
    }
}
