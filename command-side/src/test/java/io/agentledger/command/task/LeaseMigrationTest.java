package io.agentledger.command.task;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCompletedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskLeaseExtendedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.CommandSideApplication;
import io.agentledger.embedded.TestDatabase;
import io.agentledger.embedded.TestDatabases;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DriverManagerDataSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tasks claimed under the old layout (a lease deadline per claim in {@code scheduled_tasks}, no lease in the
 * registry) still expire once migration V6 has run: the store is migrated to V5 and filled as the older release
 * wrote it, then the command side starts on it.
 */
class LeaseMigrationTest {

    private static final ObjectMapper JSON = JsonMapper.builder().addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).build();
    private static final String TENANT = "default";
    private static final String PROJECT = UUID.randomUUID().toString();
    private static final String RAN_OUT = UUID.randomUUID().toString();
    private static final String EXTENDED = UUID.randomUUID().toString();
    private static final String COMPLETED = UUID.randomUUID().toString();
    private static final String EXPIRED_EVENTS = "SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?"
            + " AND payload_type = 'io.agentledger.api.task.TaskLeaseExpiredEvent'";

    private static JdbcTemplate jdbc;
    private static ConfigurableApplicationContext commandSide;
    private static Instant extendedUntil;

    @BeforeAll
    static void olderReleaseThenMigrateAndStart() throws Exception {
        TestDatabase database = TestDatabases.create();
        DriverManagerDataSource dataSource = new DriverManagerDataSource(database.jdbcUrl(), database.user(),
                database.password());
        jdbc = new JdbcTemplate(dataSource);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration/command")
                .table("flyway_command_history").baselineOnMigrate(true).baselineVersion("0").target("5").load()
                .migrate();

        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        jdbc.update("INSERT INTO project_registry (project_id, tenant_id) VALUES (?, ?)", PROJECT, TENANT);
        // its lease ran out while the service was down for the upgrade
        olderReleaseClaimed(RAN_OUT, "lease-ran-out", now.minusSeconds(120), now.minusSeconds(60), null);
        // claimed, then a heartbeat moved its end well past the upgrade
        extendedUntil = now.plusSeconds(600);
        olderReleaseClaimed(EXTENDED, "lease-extended", now.minusSeconds(20), now.minusSeconds(10), extendedUntil);
        // completed long ago; its deadline would still have fired
        olderReleaseClaimed(COMPLETED, "lease-done", now.minusSeconds(300), now.plusSeconds(600), null);
        append(COMPLETED, 2, now.minusSeconds(290), new TaskCompletedEvent(COMPLETED, TENANT, PROJECT, "agent-1",
                "lease-done", "done", List.of()));
        jdbc.update("UPDATE task_state SET status = 'COMPLETED' WHERE task_id = ?", COMPLETED);

        commandSide = start(database);
    }

    @AfterAll
    static void stop() {
        if (commandSide != null) {
            commandSide.close();
        }
    }

    @Test
    void leasesHeldBeforeTheMigrationAreInTheRegistryAndExpireAfterIt() {
        assertThat(jdbc.queryForObject("SELECT count(*) FROM scheduled_tasks WHERE task_name = 'AxonDeadline'",
                Long.class)).as("the old lease deadlines").isZero();
        assertThat(lease(EXTENDED)).isEqualTo(new Lease("lease-extended", extendedUntil));
        assertThat(lease(COMPLETED)).isEqualTo(new Lease(null, null));

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> status(RAN_OUT).equals("READY"));
        assertThat(jdbc.queryForObject(EXPIRED_EVENTS, Long.class, RAN_OUT)).isEqualTo(1);
        assertThat(lease(RAN_OUT)).isEqualTo(new Lease(null, null));

        // its claim's end has long passed, yet the lease runs on to the heartbeat's end
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> status(EXTENDED).equals("IN_PROGRESS"));
        assertThat(jdbc.queryForObject(EXPIRED_EVENTS, Long.class, EXTENDED)).isZero();
        assertThat(jdbc.queryForObject(EXPIRED_EVENTS, Long.class, COMPLETED)).isZero();
        assertThat(status(COMPLETED)).isEqualTo("COMPLETED");
    }

    @Test
    void aTaskANodeOfTheOlderReleaseClaimedAfterTheMigrationExpiresAtItsExtendedEnd() throws Exception {
        String task = UUID.randomUUID().toString();
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        Instant until = now.plusSeconds(4);
        String deadline = olderReleaseClaimed(task, "lease-old-node", now.minusSeconds(11), now.minusSeconds(1), until);

        await().atMost(Duration.ofSeconds(3)).until(() -> new Lease("lease-old-node", until).equals(lease(task)));
        assertThat(status(task)).isEqualTo("IN_PROGRESS");
        await().atMost(Duration.between(Instant.now(), until.plusSeconds(5))).pollInterval(Duration.ofMillis(100))
                .until(() -> status(task).equals("READY"));
        assertThat(Instant.now()).isAfterOrEqualTo(until);
        assertThat(jdbc.queryForObject(EXPIRED_EVENTS, Long.class, task)).isEqualTo(1);
        // its deadline, due since the claim's end, is left alone: no task of this release runs it
        assertThat(jdbc.queryForList("SELECT picked FROM scheduled_tasks WHERE task_instance = ?", Boolean.class,
                deadline)).containsExactly(false);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(3))
                .until(() -> jdbc.queryForObject(EXPIRED_EVENTS, Long.class, task) == 1);
    }

    /**
     * What the older release stored for a claim and, when {@code extendedUntil} is given, a heartbeat: the events,
     * the registry row without a lease, and the lease's deadline in db-scheduler's table; answers the deadline's
     * instance id.
     */
    private static String olderReleaseClaimed(String task, String leaseId, Instant claimedAt, Instant leaseExpiresAt,
                                              Instant extendedUntil) throws Exception {
        append(task, 0, claimedAt.minusSeconds(1), new TaskCreatedEvent(task, TENANT, PROJECT, "Held " + leaseId,
                null, TaskPriority.MEDIUM, List.of(), List.of(), List.of(), List.of(), null, 3, 10,
                TaskStatus.READY));
        append(task, 1, claimedAt, new TaskClaimedEvent(task, TENANT, PROJECT, "agent-1", leaseId, leaseExpiresAt, 10,
                1));
        if (extendedUntil != null) {
            append(task, 2, claimedAt.plusSeconds(1),
                    new TaskLeaseExtendedEvent(task, TENANT, PROJECT, leaseId, extendedUntil));
        }
        jdbc.update("INSERT INTO task_state (task_id, tenant_id, project_id, status, priority_rank, created_at,"
                        + " required_capabilities, labels, external_ref, title, description)"
                        + " VALUES (?, ?, ?, 'IN_PROGRESS', 2, ?, '{}', '{}', NULL, ?, NULL)",
                task, TENANT, PROJECT, Timestamp.from(claimedAt), "Held " + leaseId);
        String deadline = UUID.randomUUID().toString();
        jdbc.update("INSERT INTO scheduled_tasks (task_name, task_instance, task_data, execution_time, picked, version)"
                        + " VALUES ('AxonDeadline', ?, ?, ?, FALSE, 1)",
                deadline, "a serialized lease-expiry deadline".getBytes(StandardCharsets.UTF_8),
                Timestamp.from(leaseExpiresAt));
        return deadline;
    }

    private static void append(String task, long sequence, Instant at, Object event) throws Exception {
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " VALUES (?, ?, ?, 'Task', ?, ?, '1', ?, ?)",
                UUID.randomUUID().toString(), task, sequence, at.toString(), event.getClass().getName(),
                JSON.writeValueAsBytes(event),
                ("{\"tenantId\":\"" + TENANT + "\",\"principalId\":\"agent-1\",\"role\":\"agent\"}")
                        .getBytes(StandardCharsets.UTF_8));
    }

    private static ConfigurableApplicationContext start(TestDatabase database) throws Exception {
        return new SpringApplicationBuilder(CommandSideApplication.class).run("--server.port=0",
                "--spring.datasource.url=" + database.jdbcUrl(), "--spring.datasource.username=" + database.user(),
                "--spring.datasource.password=" + database.password(),
                "--agentledger.jwt-secret=a-test-secret-that-is-longer-than-32-bytes",
                "--agentledger.node-id=lease-migration",
                "--agentledger.data-dir=" + Files.createTempDirectory("agentledger-lease-migration"));
    }

    private record Lease(String leaseId, Instant expiresAt) {
    }

    private static Lease lease(String task) {
        return jdbc.queryForObject("SELECT lease_id, lease_expires_at FROM task_state WHERE task_id = ?",
                (rs, row) -> {
                    OffsetDateTime expiresAt = rs.getObject(2, OffsetDateTime.class);
                    return new Lease(rs.getString(1), expiresAt == null ? null : expiresAt.toInstant());
                }, task);
    }

    private static String status(String task) {
        return jdbc.queryForObject("SELECT status FROM task_state WHERE task_id = ?", String.class, task);
    }
}
