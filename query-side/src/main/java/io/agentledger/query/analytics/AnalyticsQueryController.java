package io.agentledger.query.analytics;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.api.project.FindProjectQuery;
import io.agentledger.api.project.ProjectView;
import io.agentledger.query.web.InvalidRequestException;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Pages;
import io.agentledger.query.web.Queries;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Analytics of the caller's tenant from the analytics read model, as JSON or, with {@code Accept: text/csv}, as CSV
 * (docs/analytics.md). A project of another tenant is not found.
 */
@RestController
@RequestMapping("/v1/analytics")
@PreAuthorize("hasAnyRole('ANALYST', 'ADMIN')")
class AnalyticsQueryController {

    static final String TEXT_CSV = "text/csv";
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    private static final LocalDate FIRST_DAY = LocalDate.of(1970, 1, 1);
    private static final LocalDate LAST_DAY = LocalDate.of(9999, 12, 31);

    private final Queries queries;

    AnalyticsQueryController(Queries queries) {
        this.queries = queries;
    }

    /**
     * The project's summary over the UTC days {@code from} to {@code to} (ISO dates, both included); by default the
     * last {@value #DEFAULT_DAYS} days up to today, or up to {@code to}, or from {@code from} to today.
     */
    @GetMapping("/projects/{id}/summary")
    ProjectSummary summary(@PathVariable String id,
                           @RequestParam(required = false) String from,
                           @RequestParam(required = false) String to,
                           Caller caller) {
        Instant asOf = Instant.now();
        LocalDate last = day("to", to);
        LocalDate first = day("from", from);
        if (last == null) {
            last = first == null || !first.isAfter(today(asOf)) ? today(asOf) : first;
        }
        if (first == null) {
            first = last.minusDays(DEFAULT_DAYS - 1L);
        }
        if (first.isAfter(last)) {
            throw new InvalidRequestException("from", "must not be after to");
        }
        if (ChronoUnit.DAYS.between(first, last) >= MAX_DAYS) {
            throw new InvalidRequestException("from", "the range may span at most " + MAX_DAYS + " days");
        }
        requireProject(caller, id);
        return queries.ask(new FindProjectSummaryQuery(caller.tenantId(), id, first, last, asOf),
                ProjectSummary.class);
    }

    @GetMapping(path = "/projects/{id}/summary", produces = TEXT_CSV)
    ResponseEntity<String> summaryCsv(@PathVariable String id,
                                      @RequestParam(required = false) String from,
                                      @RequestParam(required = false) String to,
                                      Caller caller) {
        return csv("analytics-summary.csv", Csv.summary(summary(id, from, to, caller)));
    }

    /** Per agent of the tenant (of project {@code projectId} only, when given), a page in agent id order. */
    @GetMapping("/agents")
    AgentStatsPage agents(@RequestParam(required = false) String projectId,
                          @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                          @RequestParam(required = false) String cursor,
                          Caller caller) {
        Pages.request(limit, null);
        String after = cursor == null ? null : AgentCursor.decode(cursor);
        return queries.ask(new FindAgentStatsQuery(caller.tenantId(), project(caller, projectId), after, limit),
                AgentStatsPage.class);
    }

    /** Every agent at once: a CSV export is not paged. */
    @GetMapping(path = "/agents", produces = TEXT_CSV)
    ResponseEntity<String> agentsCsv(@RequestParam(required = false) String projectId, Caller caller) {
        String project = project(caller, projectId);
        List<AgentStatsPage.AgentStats> agents = new ArrayList<>();
        String after = null;
        do {
            AgentStatsPage page = queries.ask(new FindAgentStatsQuery(caller.tenantId(), project, after,
                    PageRequest.MAX_LIMIT), AgentStatsPage.class);
            agents.addAll(page.items());
            after = page.nextCursor() == null ? null : AgentCursor.decode(page.nextCursor());
        } while (after != null);
        return csv("analytics-agents.csv", Csv.agents(agents));
    }

    private String project(Caller caller, String projectId) {
        if (projectId == null || projectId.isBlank()) {
            return null;
        }
        requireProject(caller, projectId.strip());
        return projectId.strip();
    }

    private void requireProject(Caller caller, String projectId) {
        if (queries.ask(new FindProjectQuery(caller.tenantId(), projectId), ProjectView.class) == null) {
            throw new NotFoundException("No project " + projectId);
        }
    }

    private static ResponseEntity<String> csv(String filename, String body) {
        return ResponseEntity.ok()
                .contentType(new MediaType("text", "csv", StandardCharsets.UTF_8))
                .header(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment().filename(filename).build()
                        .toString())
                .body(body);
    }

    private static LocalDate today(Instant now) {
        return LocalDate.ofInstant(now, ZoneOffset.UTC);
    }

    private static LocalDate day(String field, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            LocalDate day = LocalDate.parse(value.strip());
            if (!day.isBefore(FIRST_DAY) && !day.isAfter(LAST_DAY)) {
                return day;
            }
        } catch (DateTimeParseException e) {
            // answered below like a date out of range
        }
        throw new InvalidRequestException(field, "must be an ISO-8601 date (a UTC day) from " + FIRST_DAY + " to "
                + LAST_DAY + ", e.g. 2025-01-31");
    }
}
