package io.agentledger.embedded;

import com.sun.security.auth.module.UnixSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A PostgreSQL server running as a child of pg_ctl on a persistent data directory.
 * Unlike zonky's EmbeddedPostgres it works when the JVM runs as root, registers no shutdown hook
 * and takes over a data directory whose previous JVM was killed while the server kept running.
 */
public final class EmbeddedPostgresServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresServer.class);

    private static final String SUPERUSER = "postgres";
    private static final String LOG_FILE = "postgres.log";
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration KILL_TIMEOUT = Duration.ofSeconds(10);
    private static final Duration ZOMBIE_GRACE = Duration.ofSeconds(1);

    private final Path dataDirectory;
    private final Path bin;
    private final int port;
    private final Commands commands;
    private final AtomicBoolean closed = new AtomicBoolean();

    private EmbeddedPostgresServer(Path dataDirectory, Path bin, int port, Commands commands) {
        this.dataDirectory = dataDirectory;
        this.bin = bin;
        this.port = port;
        this.commands = commands;
    }

    /** Starts a server on a free port; initialises the cluster first if {@code dataDirectory} holds none. */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean durable) throws IOException {
        return start(dataDirectory, durable, freePort());
    }

    /**
     * @param durable {@code true} for data that must survive power loss (fsync, synchronous commit,
     *                full page writes); {@code false} trades that safety for speed in tests
     */
    public static EmbeddedPostgresServer start(Path dataDirectory, boolean durable, int port) throws IOException {
        Path dir = dataDirectory.toAbsolutePath().normalize();
        Path bin = PostgresBinaries.installDirectory().resolve("bin");
        Commands commands = Commands.forCurrentUser();
        Files.createDirectories(dir);
        commands.prepare(dir, bin);

        stopLeftoverServer(dir, bin, commands);
        if (!Files.exists(dir.resolve("PG_VERSION"))) {
            log.info("Initialising PostgreSQL cluster in {}", dir);
            commands.runChecked("initdb failed for " + dir, bin.resolve("initdb").toString(),
                    "-A", "trust", "-U", SUPERUSER, "-E", "UTF8", "--locale=C", "-D", dir.toString());
        }

        EmbeddedPostgresServer server = new EmbeddedPostgresServer(dir, bin, port, commands);
        Commands.Result started = commands.run(bin.resolve("pg_ctl").toString(), "-D", dir.toString(),
                "-l", dir.resolve(LOG_FILE).toString(), "-w", "-t", "60", "-o", serverOptions(port, durable), "start");
        try {
            if (started.exitCode() != 0) {
                throw new IOException("PostgreSQL did not start in " + dir + ": " + started.output().strip()
                        + server.logTail());
            }
            server.awaitConnection();
        } catch (IOException e) {
            // pg_ctl gives up after its timeout while a slow server may still be coming up.
            server.close();
            throw e;
        }
        log.info("PostgreSQL started on port {} with data directory {} (durable={})", port, dir, durable);
        return server;
    }

    public int port() {
        return port;
    }

    public String user() {
        return SUPERUSER;
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** Stops the server (fast shutdown); idempotent and never throws. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            stop(dataDirectory, bin, commands);
            log.info("PostgreSQL on port {} stopped", port);
        } catch (IOException | RuntimeException e) {
            log.error("Could not stop PostgreSQL with data directory {}", dataDirectory, e);
        }
    }

    private static String serverOptions(int port, boolean durable) {
        String safety = durable ? "on" : "off";
        // No unix socket: its default directory (/var/run/postgresql or /tmp) may be unwritable or shared.
        return "-p " + port
                + " -c listen_addresses=127.0.0.1 -c unix_socket_directories=''"
                + " -c timezone=UTC -c max_connections=200"
                + " -c fsync=" + safety + " -c synchronous_commit=" + safety + " -c full_page_writes=" + safety;
    }

    /** A previous JVM may have been killed while its server kept running on this data directory. */
    private static void stopLeftoverServer(Path dir, Path bin, Commands commands) throws IOException {
        long pid = Postmaster.pid(dir);
        if (pid <= 0) {
            return;
        }
        if (Postmaster.isRunningPostgres(pid)) {
            log.warn("PostgreSQL (pid {}) from a previous run still uses {}; stopping it", pid, dir);
            stop(dir, bin, commands);
        }
        // PostgreSQL refuses to start while the recorded pid exists, even if it is a killed postmaster that
        // nobody reaped (zombie) or a pid reused by an unrelated process.
        Path pidFile = dir.resolve("postmaster.pid");
        if (Files.exists(pidFile) && Files.exists(Path.of("/proc", Long.toString(pid)))) {
            log.warn("Removing stale postmaster.pid in {} (pid {} is not a running PostgreSQL)", dir, pid);
            Files.delete(pidFile);
        }
    }

    private static void stop(Path dir, Path bin, Commands commands) throws IOException {
        long pid = Postmaster.pid(dir);
        Commands.Result stopped = commands.run(bin.resolve("pg_ctl").toString(), "-D", dir.toString(),
                "-m", "fast", "-w", "-t", "30", "stop");
        if (pid <= 0) {
            return;
        }
        // pg_ctl returns once postmaster.pid is gone, which is a moment before the process has exited.
        if (stopped.exitCode() == 0 && Postmaster.awaitExit(pid, KILL_TIMEOUT)) {
            return;
        }
        Optional<ProcessHandle> postmaster = ProcessHandle.of(pid);
        if (postmaster.isPresent() && Postmaster.isRunningPostgres(pid)) {
            log.warn("pg_ctl stop failed ({}); killing PostgreSQL pid {} and its children",
                    stopped.output().strip(), pid);
            // Backends still attached to shared memory would make the next start unsafe, so they go too.
            List<ProcessHandle> processes = new ArrayList<>(postmaster.get().descendants().toList());
            processes.add(postmaster.get());
            processes.forEach(ProcessHandle::destroyForcibly);
            for (ProcessHandle process : processes) {
                if (!Postmaster.awaitExit(process.pid(), KILL_TIMEOUT)) {
                    throw new IOException("PostgreSQL process " + process.pid() + " for " + dir + " survived SIGKILL");
                }
            }
        }
    }

    private void awaitConnection() throws IOException {
        Properties credentials = new Properties();
        credentials.setProperty("user", SUPERUSER);
        long deadline = System.nanoTime() + CONNECT_TIMEOUT.toNanos();
        while (true) {
            try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), credentials);
                 Statement statement = connection.createStatement()) {
                statement.execute("SELECT 1");
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new IOException("PostgreSQL on port " + port + " does not accept connections: "
                            + e.getMessage() + logTail(), e);
                }
            }
            pause(Duration.ofMillis(100));
        }
    }

    private String logTail() {
        Path logFile = dataDirectory.resolve(LOG_FILE);
        try {
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return "\n--- tail of " + logFile + " ---\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "\n(no server log at " + logFile + ")";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    static void pause(Duration duration) throws IOException {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted", e);
        }
    }

    /** Reads postmaster.pid and /proc; PostgreSQL only runs on Linux here. */
    static final class Postmaster {

        private Postmaster() {
        }

        static long pid(Path dir) throws IOException {
            Path pidFile = dir.resolve("postmaster.pid");
            try {
                List<String> lines = Files.readAllLines(pidFile, StandardCharsets.UTF_8);
                return lines.isEmpty() ? -1 : Long.parseLong(lines.get(0).strip());
            } catch (NoSuchFileException | NumberFormatException e) {
                return -1;
            }
        }

        /** Checks the name too, because after a reboot the pid may belong to anything, even this JVM. */
        static boolean isRunningPostgres(long pid) {
            String stat = stat(pid);
            return stat != null && !isZombie(stat) && isPostgres(stat);
        }

        private static boolean isPostgres(String stat) {
            return "postgres".equals(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')));
        }

        // A killed server whose parent does not reap it stays in /proc as a zombie.
        private static boolean isZombie(String stat) {
            return stat.charAt(stat.lastIndexOf(')') + 2) == 'Z';
        }

        static boolean awaitExit(long pid, Duration timeout) throws IOException {
            long start = System.nanoTime();
            while (true) {
                String stat = stat(pid);
                if (stat == null || !isPostgres(stat)) {
                    return true;
                }
                long waited = System.nanoTime() - start;
                // A dead process is normally reaped at once; one that stays a zombie merely has a negligent parent.
                if (isZombie(stat) && waited > ZOMBIE_GRACE.toNanos()) {
                    return true;
                }
                if (waited > timeout.toNanos()) {
                    return false;
                }
                pause(Duration.ofMillis(20));
            }
        }

        private static String stat(long pid) {
            try {
                return Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** Runs PostgreSQL tools, as an unprivileged OS user when the JVM is root (PostgreSQL refuses root). */
    static final class Commands {

        private final String runAs;

        private Commands(String runAs) {
            this.runAs = runAs;
        }

        static Commands forCurrentUser() throws IOException {
            if (new UnixSystem().getUid() != 0) {
                return new Commands(null);
            }
            Commands probe = new Commands(null);
            String user = probe.run("id", "-u", "postgres").exitCode() == 0 ? "postgres" : "nobody";
            return new Commands(user);
        }

        String runAs() {
            return runAs;
        }

        void prepare(Path dataDirectory, Path bin) throws IOException {
            if (runAs == null) {
                return;
            }
            requireTraversable(bin);
            requireTraversable(dataDirectory.getParent());
            new Commands(null).runChecked("Could not chown " + dataDirectory + " to " + runAs,
                    "chown", "-R", runAs + ":", dataDirectory.toString());
        }

        private void requireTraversable(Path dir) throws IOException {
            if (run("test", "-x", dir.toString()).exitCode() == 0) {
                return;
            }
            Path blocking = dir;
            for (int depth = 0; depth <= dir.getNameCount(); depth++) {
                Path ancestor = depth == 0 ? dir.getRoot() : dir.getRoot().resolve(dir.subpath(0, depth));
                if (run("test", "-x", ancestor.toString()).exitCode() != 0) {
                    blocking = ancestor;
                    break;
                }
            }
            throw new IOException("PostgreSQL runs as OS user '" + runAs + "' because the JVM runs as root, but '"
                    + runAs + "' cannot traverse directory " + blocking + " (needs o+x, e.g. chmod 755)");
        }

        void runChecked(String failure, String... command) throws IOException {
            Result result = run(command);
            if (result.exitCode() != 0) {
                throw new IOException(failure + " (exit " + result.exitCode() + "): " + result.output().strip());
            }
        }

        Result run(String... command) throws IOException {
            List<String> full = new ArrayList<>();
            if (runAs != null) {
                full.addAll(List.of(runuser(), "-u", runAs, "--"));
            }
            full.addAll(List.of(command));
            ProcessBuilder builder = new ProcessBuilder(full).redirectErrorStream(true).directory(Path.of("/").toFile());
            // Inherited PGDATA, PGPORT, ... would silently override our explicit arguments in some tools.
            builder.environment().keySet().removeIf(name -> name.startsWith("PG"));
            log.debug("Running {}", full);
            Process process = builder.start();
            process.getOutputStream().close();
            // The tools are bounded by their own -t options; the output stream ends when they exit.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            try {
                if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IOException("Timed out: " + full);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
                throw new IOException("Interrupted while running " + full, e);
            }
            return new Result(process.exitValue(), output);
        }

        private static String runuser() {
            for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
                if (Files.isExecutable(Path.of(candidate))) {
                    return candidate;
                }
            }
            return "runuser";
        }

        record Result(int exitCode, String output) {
        }
    }
}
