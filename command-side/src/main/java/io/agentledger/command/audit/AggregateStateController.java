package io.agentledger.command.audit;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.DomainException;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStore;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.lang.reflect.RecordComponent;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Time travel: an aggregate's state as it was at an instant or a version, rebuilt from its events from version 0
 * (never from a snapshot) through the aggregate's own event sourcing handlers.
 */
@RestController
class AggregateStateController {

    private final EventStore eventStore;
    private final PastStates pastStates;
    private final Map<String, AuditedAggregate<?>> audited;

    AggregateStateController(EventStore eventStore, PastStates pastStates, List<AuditedAggregate<?>> audited) {
        this.eventStore = eventStore;
        this.pastStates = pastStates;
        this.audited = audited.stream().collect(Collectors.toMap(AuditedAggregate::type, Function.identity()));
    }

    record AggregateState(String aggregateId, String aggregateType, long version, Instant asOf, Object state) {
    }

    @GetMapping("/v1/audit/aggregates/{aggregateId}/state")
    @PreAuthorize("hasAnyRole('AUDITOR', 'ADMIN')")
    AggregateState state(@PathVariable String aggregateId,
                         @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME) Instant asOf,
                         @RequestParam(required = false) Long version,
                         Caller caller) {
        if (asOf != null && version != null) {
            throw DomainException.invalid("asOf", "and version cannot both be given");
        }
        if (version != null && version < 0) {
            throw DomainException.invalid("version", "must be 0 or more");
        }
        List<? extends DomainEventMessage<?>> history = eventStore.readEvents(aggregateId, 0).asStream()
                .filter(e -> version == null || e.getSequenceNumber() <= version)
                .filter(e -> asOf == null || !e.getTimestamp().isAfter(asOf))
                .toList();
        AuditedAggregate<?> type = history.isEmpty() ? null : audited.get(history.get(0).getType());
        if (type == null || !caller.tenantId().equals(tenantOf(history.get(0).getPayload()))) {
            throw new DomainException(ErrorCode.NOT_FOUND, "No aggregate " + aggregateId + " at that point");
        }
        DomainEventMessage<?> last = history.get(history.size() - 1);
        return new AggregateState(aggregateId, type.type(), last.getSequenceNumber(), asOf,
                pastStates.replay(type, history));
    }

    /** Every creation event of AgentLedger names its tenant. */
    private static Object tenantOf(Object payload) {
        for (RecordComponent component : payload.getClass().getRecordComponents()) {
            if (component.getName().equals("tenantId")) {
                try {
                    return component.getAccessor().invoke(payload);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            }
        }
        return null;
    }
}
