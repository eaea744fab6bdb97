package io.agentledger.embedded;

import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestDatabasesTest {

    @Test
    void eachCallCreatesAnotherEmptyDatabase() throws Exception {
        TestDatabase first = TestDatabases.create();
        TestDatabase second = TestDatabases.create();

        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
        try (Connection connection = connect(first); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE only_in_first (id int)");
        }
        for (TestDatabase database : new TestDatabase[] {first, second}) {
            try (Connection connection = connect(database);
                 Statement statement = connection.createStatement();
                 ResultSet tables = statement.executeQuery(
                         "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")) {
                tables.next();
                assertThat(tables.getInt(1)).isEqualTo(database == first ? 1 : 0);
            }
        }
    }

    @Test
    void toStringHidesPassword() {
        assertThat(new TestDatabase("jdbc:postgresql://h/db", "u", "secret").toString()).doesNotContain("secret");
    }

    @Test
    void replacesDatabaseAndKeepsQueryParameters() {
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://127.0.0.1:5432/test?sslmode=disable", "agentledger_test_x"))
                .isEqualTo("jdbc:postgresql://127.0.0.1:5432/agentledger_test_x?sslmode=disable");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://db.example:6543/test", "x"))
                .isEqualTo("jdbc:postgresql://db.example:6543/x");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://h1:5432,h2:5432/", "x"))
                .isEqualTo("jdbc:postgresql://h1:5432,h2:5432/x");
        assertThat(TestDatabases.withDatabase("jdbc:postgresql://localhost?ssl=true&a=b/c", "x"))
                .isEqualTo("jdbc:postgresql://localhost/x?ssl=true&a=b/c");
        assertThatThrownBy(() -> TestDatabases.withDatabase("jdbc:mysql://h/db", "x"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Connection connect(TestDatabase database) throws Exception {
        return DriverManager.getConnection(database.jdbcUrl(), database.user(), database.password());
    }
}
