package io.agentledger.query.audit;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/**
 * One event of the event store as an auditor sees it: where it is in the store ({@code position}, the global index),
 * which aggregate and version it belongs to, its type (the simple name of its payload class) and revision, when it
 * happened, and its payload and metadata exactly as they were stored (JSON), of the metadata only the caller, request
 * and causality entries.
 */
public record AuditEventView(long position,
                             String aggregateType,
                             String aggregateId,
                             long version,
                             String type,
                             String revision,
                             Instant occurredAt,
                             JsonNode payload,
                             JsonNode metadata) {
}
