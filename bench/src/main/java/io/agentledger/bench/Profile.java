package io.agentledger.bench;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code --profile}: AgentLedger runs under Java Flight Recorder ({@code settings=profile}); afterwards the samples
 * taken while the claim scenario's AgentLedger rounds ran are summed up by thread (HTTP requests, event processors,
 * the JIT compiler…) and by the library whose code was on top of the stack. This is where a claim-next → complete
 * cycle's CPU goes; the recording stays in the work directory for a closer look ({@code jfr print}, JDK Mission
 * Control).
 */
final class Profile {

    /** Package prefixes, first match wins, looked up from the top of each sampled stack. */
    private static final Map<String, String> LIBRARIES = new LinkedHashMap<>();

    static {
        LIBRARIES.put("io.micrometer.", "Micrometer metrics and observations");
        LIBRARIES.put("org.postgresql.", "PostgreSQL JDBC driver and HikariCP");
        LIBRARIES.put("com.zaxxer.", "PostgreSQL JDBC driver and HikariCP");
        LIBRARIES.put("com.fasterxml.jackson.", "Jackson (HTTP bodies and event payloads)");
        LIBRARIES.put("com.nimbusds.", "JWT checks (Nimbus)");
        LIBRARIES.put("ch.qos.logback.", "logging");
        LIBRARIES.put("org.slf4j.", "logging");
        LIBRARIES.put("com.github.kagkarlsson.", "db-scheduler (lease sweep)");
        LIBRARIES.put("org.axonframework.", "Axon (command bus, unit of work, event store, processors)");
        LIBRARIES.put("org.springframework.security.", "Spring Security filter chain");
        LIBRARIES.put("org.springframework.", "Spring MVC, transactions and AOP");
        LIBRARIES.put("org.apache.", "Tomcat");
        LIBRARIES.put("io.agentledger.", "AgentLedger's own code");
    }

    record Window(Instant from, Instant to) {

        boolean contains(Instant instant) {
            return !instant.isBefore(from) && !instant.isAfter(to);
        }
    }

    private Profile() {
    }

    static Path recording(Path dataDir) {
        return dataDir.resolve("agentledger.jfr");
    }

    /** The JVM options that make a server record itself into {@link #recording}, dumped when it stops. */
    static List<String> jvmOptions(Path dataDir) {
        return List.of("-XX:StartFlightRecording=filename=" + recording(dataDir) + ",settings=profile,dumponexit=true",
                "-XX:FlightRecorderOptions=stackdepth=256");
    }

    /** Lines for the report: the CPU of the server during the windows of one part of the run, by thread and library. */
    static List<String> summarize(Path recording, String part, List<Window> windows) throws IOException {
        if (windows.isEmpty()) {
            return List.of();
        }
        Map<String, Double> cpuByThread = new LinkedHashMap<>();
        Map<String, Long> samplesByThread = new LinkedHashMap<>();
        Map<String, Long> samplesByLibrary = new LinkedHashMap<>();
        long samples = 0;
        long underMetrics = 0;
        try (RecordingFile file = new RecordingFile(recording)) {
            while (file.hasMoreEvents()) {
                RecordedEvent event = file.readEvent();
                String type = event.getEventType().getName();
                if (windows.stream().noneMatch(window -> window.contains(event.getStartTime()))) {
                    continue;
                }
                if (type.equals("jdk.ThreadCPULoad")) {
                    cpuByThread.merge(group(event.getThread()), (double) event.getFloat("user")
                            + event.getFloat("system"), Double::sum);
                } else if (type.equals("jdk.ExecutionSample") && event.getStackTrace() != null) {
                    samples++;
                    samplesByThread.merge(group(event.getThread("sampledThread")), 1L, Long::sum);
                    List<RecordedFrame> frames = event.getStackTrace().getFrames();
                    samplesByLibrary.merge(library(frames), 1L, Long::sum);
                    if (frames.stream().anyMatch(frame -> className(frame).startsWith("io.micrometer."))) {
                        underMetrics++;
                    }
                }
            }
        }
        double cpu = cpuByThread.values().stream().mapToDouble(Double::doubleValue).sum();
        List<String> lines = new ArrayList<>();
        lines.add("profile (`--profile`, JFR) of the AgentLedger server during the " + part + " — its CPU by thread: "
                + shares(cpuByThread, cpu));
        lines.add("… the " + samples + " Java execution samples by thread: " + shares(samplesByThread, samples)
                + "; by the code on top of the stack: " + shares(samplesByLibrary, samples) + "; with Micrometer "
                + "anywhere on the stack: " + percent(underMetrics, samples));
        return lines;
    }

    private static String group(RecordedThread thread) {
        if (thread == null) {
            return "other";
        }
        String name = thread.getJavaName() != null ? thread.getJavaName() : thread.getOSName();
        if (name == null) {
            return "other";
        }
        if (name.startsWith("http-nio")) {
            return "HTTP requests";
        }
        if (name.startsWith("WorkPackage[") || name.startsWith("Coordinator[") || name.startsWith("EmbeddedEventStore")) {
            return "event processors (projections)";
        }
        if (name.contains("CompilerThread")) {
            return "JIT compiler";
        }
        return "other";
    }

    private static String library(List<RecordedFrame> frames) {
        for (RecordedFrame frame : frames) {
            String name = className(frame);
            for (Map.Entry<String, String> library : LIBRARIES.entrySet()) {
                if (name.startsWith(library.getKey())) {
                    return library.getValue();
                }
            }
        }
        return "JDK";
    }

    private static String className(RecordedFrame frame) {
        return frame.getMethod() == null ? "" : frame.getMethod().getType().getName();
    }

    private static <N extends Number> String shares(Map<String, N> parts, double total) {
        return parts.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue().doubleValue(), a.getValue().doubleValue()))
                .map(part -> part.getKey() + " " + percent(part.getValue().doubleValue(), total))
                .collect(Collectors.joining(", "));
    }

    private static String percent(double part, double total) {
        return String.format(Locale.ROOT, "%.0f %%", total == 0 ? 0 : 100 * part / total);
    }
}
