package io.agentledger.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A server under test in a JVM of its own (AgentLedger's standalone jar, or the baseline), started with the same
 * JVM options, logging to a file; its cold start is the time from launch to a ready health probe.
 */
public final class ServerProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final String baseUrl;
    private final Path log;
    private final Duration coldStart;

    private ServerProcess(String name, Process process, String baseUrl, Path log, Duration coldStart) {
        this.name = name;
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
        this.coldStart = coldStart;
    }

    /** Starts {@code java <jvmOptions> <launch...>} with {@code env} and waits for {@code readyPath} to answer 200. */
    public static ServerProcess start(String name, List<String> jvmOptions, List<String> launch, Map<String, String> env,
                                      int port, String readyPath, Path log) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.addAll(launch);
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        long started = System.nanoTime();
        Process process = builder.start();
        // an interrupted benchmark leaves no server behind
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly));
        String baseUrl = "http://localhost:" + port;
        awaitReady(name, process, baseUrl + readyPath, log, Duration.ofMinutes(3));
        return new ServerProcess(name, process, baseUrl, log, Duration.ofNanos(System.nanoTime() - started));
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    public String baseUrl() {
        return baseUrl;
    }

    public Duration coldStart() {
        return coldStart;
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL, as a crash would. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    private static void awaitReady(String name, Process process, String url, Path log, Duration timeout)
            throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited during start; log " + log + ":\n" + tail(log));
            }
            try {
                HttpResponse<Void> health = http.send(HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the port opens late in the start
            }
            Thread.sleep(50);
        }
        process.destroyForcibly();
        throw new IllegalStateException(name + " not ready within " + timeout + "; log " + log + ":\n" + tail(log));
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + " at " + baseUrl;
    }
}
