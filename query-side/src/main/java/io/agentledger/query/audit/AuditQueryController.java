package io.agentledger.query.audit;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.query.web.InvalidRequestException;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Pages;
import io.agentledger.query.web.Queries;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;

/** The event store as auditors read it: an aggregate's history, the tenant's stream and its NDJSON export. */
@RestController
@RequestMapping("/v1/audit")
@PreAuthorize("hasAnyRole('AUDITOR', 'ADMIN')")
class AuditQueryController {

    private final Queries queries;
    private final AuditExport export;

    AuditQueryController(Queries queries, AuditExport export) {
        this.queries = queries;
        this.export = export;
    }

    /**
     * Every event of the aggregate in version order from {@code fromVersion} (0 by default) or from where the
     * {@code cursor} of the previous page left off; another tenant's aggregate is not found.
     */
    @GetMapping("/aggregates/{aggregateId}/events")
    AggregateHistoryPage history(@PathVariable String aggregateId,
                                 @RequestParam(required = false) Long fromVersion,
                                 @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                                 @RequestParam(required = false) String cursor,
                                 Caller caller) {
        PageRequest page = Pages.request(limit, cursor);
        if (fromVersion != null && fromVersion < 0) {
            throw new InvalidRequestException("fromVersion", "must be 0 or more");
        }
        if (fromVersion != null && cursor != null) {
            throw new InvalidRequestException("cursor", "cannot be given with fromVersion");
        }
        long from = cursor != null ? HistoryCursor.decode(cursor, aggregateId) : fromVersion == null ? 0 : fromVersion;
        AggregateHistoryPage history = queries.ask(
                new FindAggregateHistoryQuery(caller.tenantId(), aggregateId, from, page.limit()),
                AggregateHistoryPage.class);
        if (history == null) {
            throw new NotFoundException("No aggregate " + aggregateId);
        }
        return history;
    }

    /** The tenant's events in position order after {@code afterPosition}; resume after {@code nextPosition}. */
    @GetMapping("/events")
    AuditEventPage events(@RequestParam(defaultValue = "0") long afterPosition,
                          @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                          @RequestParam(required = false) List<String> type,
                          @RequestParam(required = false) String aggregateType,
                          Caller caller) {
        PageRequest page = Pages.request(limit, null);
        if (afterPosition < 0) {
            throw new InvalidRequestException("afterPosition", "must be 0 or more");
        }
        List<String> types = type == null ? List.of()
                : type.stream().map(String::strip).filter(t -> !t.isEmpty()).distinct().toList();
        String aggregate = aggregateType == null || aggregateType.isBlank() ? null : aggregateType.strip();
        return queries.ask(new FindAuditEventsQuery(caller.tenantId(), afterPosition, types, aggregate, page.limit()),
                AuditEventPage.class);
    }

    /**
     * The tenant's events that happened from {@code from} (inclusive) to {@code to} (exclusive), both optional, as
     * NDJSON in position order, written while they are read. It is written on the request's own thread rather than
     * as an asynchronous {@code StreamingResponseBody}: an export of a large tenant may outlast the asynchronous
     * request timeout, and the request's context (caller, request id in the logs) stays in place.
     */
    @GetMapping("/export")
    void export(@RequestParam(required = false) String from,
                @RequestParam(required = false) String to,
                Caller caller,
                HttpServletResponse response) throws IOException {
        Instant start = instant("from", from);
        Instant end = instant("to", to);
        if (start != null && end != null && !end.isAfter(start)) {
            throw new InvalidRequestException("to", "must be after from");
        }
        response.setContentType(MediaType.APPLICATION_NDJSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        // a gateway (the nginx of the split deployment) passes it on as it comes instead of spooling it
        response.setHeader("X-Accel-Buffering", "no");
        export.write(caller.tenantId(), start, end, response.getOutputStream());
    }

    private static Instant instant(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Instant.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(field, "must be an ISO-8601 instant, e.g. 2025-01-01T00:00:00Z");
        }
    }
}
