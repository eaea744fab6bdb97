package io.agentledger.embedded;

/** Connection settings of a database created for one test context. */
public record TestDatabase(String jdbcUrl, String user, String password) {

    @Override
    public String toString() {
        // Records print every component; keep the password out of logs and assertion messages.
        return "TestDatabase[jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
