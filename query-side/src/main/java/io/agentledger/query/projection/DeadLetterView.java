package io.agentledger.query.projection;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;

/** An event a projection could not process, parked with the error that stopped it; the tenant is its payload's. */
public record DeadLetterView(String id,
                             String tenantId,
                             String eventId,
                             String eventType,
                             String aggregateType,
                             String aggregateId,
                             Long sequenceNumber,
                             Instant occurredAt,
                             Instant enqueuedAt,
                             Instant lastTouched,
                             Cause cause,
                             JsonNode payload) {

    public record Cause(String type, String message) {
    }
}
