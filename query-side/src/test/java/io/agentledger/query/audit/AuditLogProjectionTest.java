package io.agentledger.query.audit;

import io.agentledger.api.project.ProjectArchivedEvent;
import io.agentledger.api.project.ProjectCreatedEvent;
import org.axonframework.config.EventProcessingConfiguration;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventhandling.StreamingEventProcessor;
import org.axonframework.eventhandling.pooled.PooledStreamingEventProcessor;
import org.axonframework.messaging.MetaData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AuditLogProjectionTest extends AuditTestSupport {

    @Autowired
    EventProcessingConfiguration processing;
    @Autowired
    AuditLogProjection projection;
    @Autowired
    PlatformTransactionManager transactions;

    private final String tenant = newTenant();

    /**
     * An event whose transaction commits after a later event's (a gap the processor waits for) is indexed at its own
     * position, not at the position the tracking token has already reached.
     */
    @Test
    void anEventCommittedAfterALaterOneIsIndexedAtItsOwnPosition() throws Exception {
        String late = UUID.randomUUID().toString();
        String early = UUID.randomUUID().toString();
        CountDownLatch appended = new CountDownLatch(1);
        CountDownLatch commit = new CountDownLatch(1);
        ExecutorService slow = Executors.newSingleThreadExecutor();
        try {
            Future<?> slowTransaction = slow.submit(() -> new TransactionTemplate(transactions).executeWithoutResult(
                    status -> {
                        append("Project", late, 0, new ProjectCreatedEvent(late, tenant, "Late", null));
                        appended.countDown();
                        try {
                            commit.await();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    }));
            assertThat(appended.await(10, TimeUnit.SECONDS)).isTrue();
            append("Project", early, 0, new ProjectCreatedEvent(early, tenant, "Early", null));
            awaitIndexed(tenant, 1);
            commit.countDown();
            slowTransaction.get(10, TimeUnit.SECONDS);
        } finally {
            commit.countDown();
            slow.shutdownNow();
        }

        awaitIndexed(tenant, 2);
        assertThat(jdbc.queryForList("SELECT a.aggregate_id FROM audit_log a JOIN domain_event_entry e"
                + " ON e.global_index = a.global_index AND e.aggregate_identifier = a.aggregate_id"
                + " WHERE a.tenant_id = ? ORDER BY a.global_index", String.class, tenant))
                .containsExactly(late, early);
    }

    @Test
    void theProjectionRunsAsAPooledStreamingProcessor() {
        assertThat(processing.eventProcessor(AuditLogProjection.NAME, PooledStreamingEventProcessor.class))
                .isPresent();
    }

    @Test
    void everyEventIsIndexedUnderItsTenantWithItsPositionTypeAndTime() {
        String project = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-05-05T05:05:05.123Z");
        // the payload's tenant counts, not the metadata's (an operator of another tenant may have caused it)
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Indexed", null),
                MetaData.with("tenantId", "operators"), at);
        awaitIndexed(tenant, 1);

        Map<String, Object> row = jdbc.queryForMap("SELECT a.*, e.event_identifier FROM audit_log a"
                + " JOIN domain_event_entry e ON e.global_index = a.global_index WHERE a.tenant_id = ?", tenant);
        assertThat(row).containsEntry("aggregate_type", "Project").containsEntry("aggregate_id", project)
                .containsEntry("sequence_number", 0L).containsEntry("event_type", "ProjectCreatedEvent");
        assertThat(((Timestamp) row.get("occurred_at")).toInstant()).isEqualTo(at);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE tenant_id = 'operators'", Long.class))
                .isZero();
    }

    @Test
    void eventsOfUnknownClassesAreIndexedFromTheirStoredJsonAndEventsOfNoTenantAreLeftOut() {
        // as a class the query side no longer (or not yet) knows would have been stored
        insert("io.agentledger.api.retired.RetiredEvent", "{\"tenantId\":\"" + tenant + "\",\"gone\":true}", "{}");
        insert("io.agentledger.api.retired.RetiredEvent", "{\"gone\":true}", "{\"tenantId\":\"" + tenant + "\"}");
        insert("io.agentledger.api.retired.RetiredEvent", "{\"gone\":true}", "{}");
        String project = UUID.randomUUID().toString();
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "After", null),
                MetaData.emptyInstance(), Instant.now());
        awaitIndexed(tenant, 3);

        List<String> types = jdbc.queryForList("SELECT event_type FROM audit_log WHERE tenant_id = ?"
                + " ORDER BY global_index", String.class, tenant);
        assertThat(types).containsExactly("RetiredEvent", "RetiredEvent", "ProjectCreatedEvent");
        Response stream = get("/v1/audit/events", auditor(tenant));
        assertThat(stream.body().get("items").get(0).get("payload").get("gone").asBoolean()).isTrue();
        assertThat(stream.body().get("items").get(0).get("revision").isNull()).isTrue();
        assertThat(stream.body().get("items").get(1).get("metadata").get("tenantId").asText()).isEqualTo(tenant);
    }

    /** An event handled twice, as after a crash before its batch's token was stored: one row. */
    @Test
    void redeliveredEventsAreIndexedOnce() {
        String project = UUID.randomUUID().toString();
        GenericDomainEventMessage<ProjectCreatedEvent> event = new GenericDomainEventMessage<>("Project", project, 0,
                new ProjectCreatedEvent(project, tenant, "Twice", null));
        eventStore.publish(event);
        awaitIndexed(tenant, 1);
        for (int i = 0; i < 2; i++) {
            projection.on(event.getPayload(), event);
        }
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_log WHERE tenant_id = ?", Long.class, tenant))
                .isOne();
    }

    @Test
    void aReplayRebuildsTheSameAuditLog() {
        String project = UUID.randomUUID().toString();
        Instant at = Instant.parse("2025-06-01T00:00:00Z");
        append("Project", project, 0, new ProjectCreatedEvent(project, tenant, "Replayed", null),
                MetaData.emptyInstance(), at);
        append("Project", project, 1, new ProjectArchivedEvent(project, tenant), MetaData.emptyInstance(),
                at.plusSeconds(1));
        awaitIndexed(tenant, 2);
        List<Map<String, Object>> before = rows();

        StreamingEventProcessor processor = processing
                .eventProcessor(AuditLogProjection.NAME, StreamingEventProcessor.class).orElseThrow();
        processor.shutDown();
        processor.resetTokens();
        processor.start();

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            assertThat(processor.isReplaying()).isFalse();
            assertThat(rows()).isEqualTo(before);
        });
    }

    /** Axon always stores metadata (an empty object at least): a row without any would stop every processor. */
    private void insert(String payloadType, String payload, String metaData) {
        jdbc.update("INSERT INTO domain_event_entry (event_identifier, aggregate_identifier, sequence_number, type,"
                        + " time_stamp, payload_type, payload_revision, payload, meta_data)"
                        + " VALUES (?, ?, 0, 'Retired', ?, ?, NULL, ?, ?)",
                UUID.randomUUID().toString(), UUID.randomUUID().toString(), Instant.now().toString(), payloadType,
                payload.getBytes(StandardCharsets.UTF_8), metaData.getBytes(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> rows() {
        return jdbc.queryForList("SELECT * FROM audit_log WHERE tenant_id = ? ORDER BY global_index", tenant);
    }
}
