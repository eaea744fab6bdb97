package io.agentledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.springframework.stereotype.Component;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;

/**
 * Reads events of the event store ({@code domain_event_entry e}) as auditors see them: the payload and metadata are
 * the stored JSON, parsed, never re-serialized Java objects, so an event reads as it was recorded even after its
 * class changed. Which tenant an event belongs to is decided here too, the same way for every read.
 */
@Component
class AuditRows {

    /** The columns {@link #map} reads, of {@code domain_event_entry} aliased {@code e}. */
    static final String COLUMNS = "e.global_index, e.type, e.aggregate_identifier, e.sequence_number,"
            + " e.payload_type, e.payload_revision, e.time_stamp, e.payload, e.meta_data";

    /** The metadata entries an auditor sees; the others (e.g. traceId) are left out. */
    static final List<String> METADATA_KEYS =
            List.of("tenantId", "principalId", "role", "correlationId", "causationId", "requestId");

    private static final String TENANT = "tenantId";

    private final ObjectMapper mapper;

    AuditRows(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    AuditEventView map(ResultSet rs) throws SQLException {
        return new AuditEventView(rs.getLong("global_index"), rs.getString("type"),
                rs.getString("aggregate_identifier"), rs.getLong("sequence_number"),
                simpleName(rs.getString("payload_type")), rs.getString("payload_revision"),
                Instant.parse(rs.getString("time_stamp")), json(rs.getBytes("payload")),
                metadata(json(rs.getBytes("meta_data"))));
    }

    /**
     * The tenant of an event: its payload's {@code tenantId} (every AgentLedger event has one; for a tenant's
     * creation it is the new tenant, not the operator's), else the {@code tenantId} of its metadata; null when
     * neither has one.
     */
    static String tenantOf(JsonNode payload, JsonNode metaData) {
        for (JsonNode node : new JsonNode[]{payload, metaData}) {
            JsonNode tenant = node == null ? null : node.get(TENANT);
            if (tenant != null && tenant.isTextual() && !tenant.asText().isEmpty()) {
                return tenant.asText();
            }
        }
        return null;
    }

    /** {@code io.agentledger.api.task.TaskClaimedEvent} → {@code TaskClaimedEvent}. */
    static String simpleName(String className) {
        return className.substring(Math.max(className.lastIndexOf('.'), className.lastIndexOf('$')) + 1);
    }

    /** The stored JSON, parsed; null for no data. */
    JsonNode json(byte[] stored) {
        if (stored == null) {
            return null;
        }
        try {
            return mapper.readTree(stored);
        } catch (IOException e) {
            throw new UncheckedIOException("An event in the store is not JSON", e);
        }
    }

    private ObjectNode metadata(JsonNode stored) {
        ObjectNode metadata = mapper.createObjectNode();
        for (String key : METADATA_KEYS) {
            JsonNode value = stored == null ? null : stored.get(key);
            metadata.set(key, value == null ? metadata.nullNode() : value);
        }
        return metadata;
    }
}
