package io.agentledger.bench;

import io.agentledger.bench.baseline.BaselineApplication;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.jar.JarFile;

/** How the benchmark starts the two systems under test, each in a JVM of its own with the same JVM options. */
public final class Servers {

    private static final String JWT_SECRET = "bench-secret-shared-by-every-node-0123456789";
    public static final String ADMIN_KEY = "alk_bench-admin-key-0123456789abcdef0123";
    /** The platform operator, the only one who may read projection status and replay projections. */
    public static final String OPERATOR_KEY = "alk_bench-operator-key-0123456789abcdef01";

    private Servers() {
    }

    public static List<String> jvmOptions(Options options) {
        List<String> jvm = new ArrayList<>(List.of("-Daxoniq.update-checker.disabled=true"));
        String extra = options.get("jvm-opts", "").strip();
        if (!extra.isEmpty()) {
            jvm.addAll(Arrays.asList(extra.split("\\s+")));
        }
        return jvm;
    }

    /** AgentLedger's standalone jar on {@code dbUrl}, rate limit off, plus any {@code --server-env K=V,K=V}. */
    public static ServerProcess agentLedger(Options options, Database database, String dbUrl, Path dataDir, int port)
            throws IOException, InterruptedException {
        return agentLedger(options, database, dbUrl, dataDir, port, "node-1");
    }

    /** One node of several on the same database ({@code --nodes}): its own port, data directory and node id. */
    public static ServerProcess agentLedger(Options options, Database database, String dbUrl, Path dataDir, int port,
                                            String nodeId) throws IOException, InterruptedException {
        Path jar = Path.of(options.get("server-jar", "standalone/target/agentledger.jar")).toAbsolutePath().normalize();
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: ./mvnw -pl standalone -am package -DskipTests");
        }
        Files.createDirectories(dataDir);
        Map<String, String> env = new HashMap<>();
        env.put("SERVER_PORT", Integer.toString(port));
        env.put("AGENTLEDGER_DATA_DIR", dataDir.toString());
        env.put("AGENTLEDGER_BOOTSTRAP_ADMIN_KEY", ADMIN_KEY);
        env.put("AGENTLEDGER_BOOTSTRAP_OPERATOR_KEY", OPERATOR_KEY);
        // a benchmark measures throughput; the per-principal limit would measure the limiter instead
        env.put("AGENTLEDGER_RATE_LIMIT_REQUESTS_PER_SECOND", "0");
        env.put("AGENTLEDGER_DB_URL", dbUrl);
        env.put("AGENTLEDGER_NODE_ID", nodeId);
        // every node of one AgentLedger signs tokens and hashes keys with the same secret
        env.put("AGENTLEDGER_JWT_SECRET", JWT_SECRET);
        env.put("AGENTLEDGER_DB_USER", database.user());
        env.put("AGENTLEDGER_DB_PASSWORD", database.password());
        for (String pair : options.get("server-env", "").split(",")) {
            if (pair.contains("=")) {
                env.put(pair.substring(0, pair.indexOf('=')).strip(), pair.substring(pair.indexOf('=') + 1).strip());
            }
        }
        List<String> jvm = jvmOptions(options);
        if (options.flag("profile", false) && nodeId.equals("node-1")) {
            jvm.addAll(Profile.jvmOptions(dataDir));
        }
        return ServerProcess.start("AgentLedger", jvm, List.of("-jar", jar.toString()), env, port,
                "/actuator/health/readiness", dataDir.resolve("agentledger.log"));
    }

    /** The row-lock baseline, from this benchmark's own jar (or classpath, in tests). */
    public static ServerProcess baseline(Options options, Database database, String dbUrl, Path log, int port)
            throws IOException, InterruptedException {
        List<String> launch = new ArrayList<>();
        String classPath = System.getProperty("java.class.path");
        if (isBootJar(classPath)) {
            launch.addAll(List.of("-Dloader.main=" + BaselineApplication.class.getName(), "-jar", classPath));
        } else {
            launch.addAll(List.of("-cp", classPath, BaselineApplication.class.getName()));
        }
        launch.addAll(List.of("--server.port=" + port, "--spring.datasource.url=" + dbUrl,
                "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(), "--spring.main.banner-mode=off"));
        return ServerProcess.start("baseline", jvmOptions(options), launch, Map.of(), port, "/ready", log);
    }

    private static boolean isBootJar(String classPath) {
        if (classPath.contains(java.io.File.pathSeparator) || !classPath.endsWith(".jar")) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getEntry("BOOT-INF/classes/") != null;
        } catch (IOException e) {
            return false;
        }
    }
}
