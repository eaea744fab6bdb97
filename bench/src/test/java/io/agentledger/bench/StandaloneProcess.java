package io.agentledger.bench;

import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The standalone jar started the way the README starts it, in its own process, for the benchmark's smoke runs. */
final class StandaloneProcess implements AutoCloseable {

    static final String ADMIN_KEY = "alk_bench-smoke-admin-key-0123456789abcdef";

    private final Process process;
    private final String baseUrl;
    private final Path log;

    private StandaloneProcess(Process process, String baseUrl, Path log) {
        this.process = process;
        this.baseUrl = baseUrl;
        this.log = log;
    }

    static StandaloneProcess start() throws IOException, InterruptedException {
        Path jar = Path.of("..", "standalone", "target", "agentledger.jar").toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: run ./mvnw verify (it packages standalone first)");
        }
        Path dataDir = Files.createTempDirectory("agentledger-bench",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Daxoniq.update-checker.disabled=true", "-jar", jar.toString());
        Map<String, String> env = builder.environment();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
        env.put("AGENTLEDGER_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
        // a benchmark measures throughput; the per-principal limit would measure the limiter instead
        env.put("AGENTLEDGER_RATE_LIMIT_REQUESTS_PER_SECOND", "0");
        env.put("AGENTLEDGER_EMBEDDED_DURABLE", "false");
        if (System.getenv("AGENTLEDGER_DB_URL") != null) {
            TestDatabase database = TestDatabases.create();
            env.put("AGENTLEDGER_DB_URL", database.jdbcUrl());
            env.put("AGENTLEDGER_DB_USER", database.user());
            env.put("AGENTLEDGER_DB_PASSWORD", database.password());
        }
        Path log = dataDir.resolve("app.log");
        builder.redirectErrorStream(true).redirectOutput(log.toFile());
        StandaloneProcess standalone = new StandaloneProcess(builder.start(), "http://localhost:" + port, log);
        standalone.awaitReady(Duration.ofMinutes(2));
        return standalone;
    }

    String baseUrl() {
        return baseUrl;
    }

    private void awaitReady(Duration timeout) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("AgentLedger exited during start:\n" + Files.readString(log));
            }
            try {
                HttpResponse<String> health = http.send(HttpRequest.newBuilder(
                        URI.create(baseUrl + "/actuator/health/readiness")).build(), HttpResponse.BodyHandlers.ofString());
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYetListening) {
                // the port opens late in the start
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("AgentLedger not ready within " + timeout);
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
