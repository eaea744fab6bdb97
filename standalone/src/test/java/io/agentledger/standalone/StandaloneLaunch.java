package io.agentledger.standalone;

import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line a test starts the standalone application with, as a user would. */
final class StandaloneLaunch {

    private static final String EXTERNAL_DB = System.getenv("AGENTLEDGER_DB_URL");

    private StandaloneLaunch() {
    }

    /** A random port and the data directory; a fresh database on the server of AGENTLEDGER_DB_URL when set. */
    static List<String> arguments(Path dataDir) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--agentledger.data-dir=" + dataDir));
        if (EXTERNAL_DB != null) {
            TestDatabase database = TestDatabases.create();
            args.add("--agentledger.db.url=" + database.jdbcUrl());
            args.add("--spring.datasource.url=" + database.jdbcUrl());
            args.add("--spring.datasource.username=" + database.user());
            args.add("--spring.datasource.password=" + database.password());
        }
        return args;
    }
}
