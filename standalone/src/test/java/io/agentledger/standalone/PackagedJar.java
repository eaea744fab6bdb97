package io.agentledger.standalone;

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
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;

/**
 * The packaged {@code standalone/target/agentledger.jar} in a JVM of its own, started as the README starts it, on a
 * data directory that outlives the process, so a test can stop it (or kill it with SIGKILL) and start it again.
 * Integration tests (failsafe) use it after the jar is packaged.
 */
final class PackagedJar implements AutoCloseable {

    static final String ADMIN_KEY = "alk_packaged-jar-admin-key-0123456789abcdef";
    static final String OPERATOR_KEY = "alk_packaged-jar-operator-key-0123456789abc";
    private static final Path JAR = Path.of("target", "agentledger.jar").toAbsolutePath();

    private final Path dataDir;
    private final Map<String, String> environment;
    private final List<String> jvmOptions;
    private Path loaderPath;
    private Process process;
    private String baseUrl;

    private PackagedJar(Path dataDir, Map<String, String> environment, List<String> jvmOptions) {
        this.dataDir = dataDir;
        this.environment = environment;
        this.jvmOptions = jvmOptions;
    }

    /** A new data directory (and a new database on the server of AGENTLEDGER_DB_URL, when set). */
    static PackagedJar onNewDataDirectory(List<String> jvmOptions) throws IOException {
        if (!Files.exists(JAR)) {
            throw new IllegalStateException(JAR + " is missing: integration tests run after the jar is packaged");
        }
        Path dataDir = Files.createTempDirectory("agentledger-packaged",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Map<String, String> env = new HashMap<>();
        env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
        env.put("AGENTLEDGER_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
        env.put("AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY", OPERATOR_KEY);
        if (System.getenv("AGENTLEDGER_DB_URL") != null) {
            TestDatabase database = TestDatabases.create();
            env.put("AGENTLEDGER_DB_URL", database.jdbcUrl());
            env.put("AGENTLEDGER_DB_USER", database.user());
            env.put("AGENTLEDGER_DB_PASSWORD", database.password());
        }
        return new PackagedJar(dataDir, env, jvmOptions);
    }

    /**
     * Adds the fault injection of {@code agentledger.faults} (test code, not in the jar) to the application, through
     * Spring Boot's {@code loader.path}: a directory holding those classes and their auto-configuration entry.
     */
    PackagedJar withFaults() throws IOException {
        loaderPath = Files.createTempDirectory("agentledger-faults");
        Path classes = Path.of("target", "test-classes", "agentledger", "faults");
        Path target = Files.createDirectories(loaderPath.resolve("agentledger").resolve("faults"));
        try (var files = Files.list(classes)) {
            for (Path file : files.toList()) {
                Files.copy(file, target.resolve(file.getFileName()));
            }
        }
        Path imports = Files.createDirectories(loaderPath.resolve("META-INF").resolve("spring"))
                .resolve("org.springframework.boot.autoconfigure.AutoConfiguration.imports");
        Files.writeString(imports, "agentledger.faults.FaultsAutoConfiguration\n");
        return this;
    }

    /**
     * {@code java [options] -jar agentledger.jar} on a free port (with faults: the jar's own launcher in its
     * properties form, which reads {@code loader.path}); answers when readiness is UP.
     */
    PackagedJar start() throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        if (loaderPath == null) {
            command.addAll(List.of("-jar", JAR.toString()));
        } else {
            command.addAll(List.of("-Dloader.path=" + loaderPath, "-cp", JAR.toString(),
                    "org.springframework.boot.loader.launch.PropertiesLauncher"));
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(environment);
        builder.environment().put("SERVER_PORT", Integer.toString(port));
        Path log = dataDir.resolve("app.log");
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        process = builder.start();
        baseUrl = "http://localhost:" + port;
        HttpClient http = HttpClient.newHttpClient();
        await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(250)).until(() -> {
            if (!process.isAlive()) {
                throw new IllegalStateException("AgentLedger exited during start:\n" + Files.readString(log));
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(baseUrl + "/actuator/health/readiness")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
            } catch (IOException notYetListening) {
                return false;
            }
        });
        return this;
    }

    String baseUrl() {
        return baseUrl;
    }

    /** SIGKILL: no shutdown hook, no graceful shutdown, nothing flushed that was not already committed. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
