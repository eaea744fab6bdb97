package io.agentledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.axonframework.config.ProcessingGroup;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventhandling.EventHandler;
import org.axonframework.eventhandling.ResetHandler;
import org.axonframework.queryhandling.QueryHandler;
import org.axonframework.serialization.UnknownSerializedType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code audit_log} index of the event store: for every domain event its position (the global index, from the
 * tracking token), its tenant, aggregate, version, type and time, so that a tenant's stream is read through an index
 * of that tenant. One handler takes every event; rows are keyed by position and inserted only once, so redelivery
 * and replay leave the same rows. Events of no aggregate are not domain events and are skipped.
 *
 * <p>The answers read the events themselves from the store, joined by position: the payload and metadata an auditor
 * sees are the recorded ones. An aggregate's history is read from the store directly, by aggregate, from version 0
 * (the store's unique index on aggregate and version serves it; snapshots are another table), so it is complete
 * even before this projection has caught up.
 */
@Component
@ProcessingGroup(AuditLogProjection.NAME)
class AuditLogProjection {

    static final String NAME = "audit-log";

    private static final Logger log = LoggerFactory.getLogger(AuditLogProjection.class);

    private final JdbcTemplate jdbc;
    private final ObjectMapper mapper;
    private final AuditRows rows;

    AuditLogProjection(JdbcTemplate jdbc, ObjectMapper mapper, AuditRows rows) {
        this.jdbc = jdbc;
        this.mapper = mapper;
        this.rows = rows;
    }

    /**
     * The row's position is the event's own global index, read from the store by its (aggregate, sequence) key in the
     * same statement. The tracking token cannot tell it: an event that commits after a later one (a gap the token
     * was waiting for) arrives with the token still at that later position.
     */
    @EventHandler
    void on(Object payload, DomainEventMessage<?> event) {
        JsonNode tree = payload instanceof UnknownSerializedType unknown
                ? unknown.readData(JsonNode.class) : mapper.valueToTree(payload);
        String tenant = AuditRows.tenantOf(tree, mapper.valueToTree(event.getMetaData()));
        if (tenant == null) {
            log.warn("Event {} of {} names no tenant; it is left out of the audit log",
                    event.getIdentifier(), event.getAggregateIdentifier());
            return;
        }
        String type = payload instanceof UnknownSerializedType unknown
                ? unknown.serializedType().getName() : event.getPayloadType().getName();
        jdbc.update("INSERT INTO audit_log (global_index, tenant_id, aggregate_type, aggregate_id, sequence_number,"
                        + " event_type, occurred_at) SELECT e.global_index, ?, ?, ?, ?, ?, ? FROM domain_event_entry e"
                        + " WHERE e.aggregate_identifier = ? AND e.sequence_number = ?"
                        + " ON CONFLICT (global_index) DO NOTHING",
                tenant, event.getType(), event.getAggregateIdentifier(), event.getSequenceNumber(),
                AuditRows.simpleName(type), event.getTimestamp().atOffset(ZoneOffset.UTC),
                event.getAggregateIdentifier(), event.getSequenceNumber());
    }

    @ResetHandler
    void reset() {
        jdbc.update("DELETE FROM audit_log");
    }

    /** Null when the aggregate has no events or its first event is of another tenant. */
    @QueryHandler
    AggregateHistoryPage handle(FindAggregateHistoryQuery query) {
        List<String> owner = jdbc.query("SELECT payload, meta_data FROM domain_event_entry"
                        + " WHERE aggregate_identifier = ? ORDER BY sequence_number LIMIT 1",
                (rs, n) -> AuditRows.tenantOf(rows.json(rs.getBytes("payload")), rows.json(rs.getBytes("meta_data"))),
                query.aggregateId());
        if (owner.isEmpty() || !query.tenantId().equals(owner.get(0))) {
            return null;
        }
        List<AuditEventView> events = jdbc.query("SELECT " + AuditRows.COLUMNS + " FROM domain_event_entry e"
                        + " WHERE e.aggregate_identifier = ? AND e.sequence_number >= ?"
                        + " ORDER BY e.sequence_number LIMIT ?",
                (rs, n) -> rows.map(rs), query.aggregateId(), query.fromVersion(), query.limit() + 1);
        if (events.size() <= query.limit()) {
            return new AggregateHistoryPage(events, null);
        }
        List<AuditEventView> items = List.copyOf(events.subList(0, query.limit()));
        return new AggregateHistoryPage(items,
                HistoryCursor.encode(query.aggregateId(), items.get(items.size() - 1).version() + 1));
    }

    @QueryHandler
    AuditEventPage handle(FindAuditEventsQuery query) {
        StringBuilder sql = new StringBuilder("SELECT " + AuditRows.COLUMNS + " FROM audit_log a"
                + " JOIN domain_event_entry e ON e.global_index = a.global_index"
                + " WHERE a.tenant_id = ? AND a.global_index > ?");
        List<Object> args = new ArrayList<>(List.of(query.tenantId(), query.afterPosition()));
        if (!query.types().isEmpty()) {
            sql.append(" AND a.event_type = ANY(?)");
            args.add(query.types().toArray(String[]::new));
        }
        if (query.aggregateType() != null) {
            sql.append(" AND a.aggregate_type = ?");
            args.add(query.aggregateType());
        }
        sql.append(" ORDER BY a.global_index LIMIT ?");
        args.add(query.limit());
        List<AuditEventView> items = jdbc.query(sql.toString(), (rs, n) -> rows.map(rs), args.toArray());
        return new AuditEventPage(items,
                items.isEmpty() ? query.afterPosition() : items.get(items.size() - 1).position());
    }
}
