package io.agentledger.query.audit;

import io.agentledger.query.QuerySideTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.messaging.MetaData;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.awaitility.Awaitility.await;

/** Events appended as the command side would, and a wait for the audit log to have indexed a tenant's events. */
abstract class AuditTestSupport extends QuerySideTest {

    /** A tenant of its own, so a test sees exactly its events. */
    protected static String newTenant() {
        return "audit-" + UUID.randomUUID();
    }

    protected void append(String type, String id, long sequence, Object payload, MetaData metaData, Instant at) {
        eventStore.publish(new GenericDomainEventMessage<>(type, id, sequence, payload, metaData,
                UUID.randomUUID().toString(), at));
    }

    protected void awaitIndexed(String tenant, long events) {
        awaitIndexed(tenant, events, Duration.ofSeconds(30));
    }

    protected void awaitIndexed(String tenant, long events, Duration atMost) {
        await().atMost(atMost).until(() -> jdbc.queryForObject(
                "SELECT count(*) FROM audit_log WHERE tenant_id = ?", Long.class, tenant) == events);
    }

    protected static String auditor(String tenant) {
        return token(tenant, UUID.randomUUID().toString(), "auditor");
    }
}
