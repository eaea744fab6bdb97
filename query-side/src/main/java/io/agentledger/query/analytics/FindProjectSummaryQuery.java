package io.agentledger.query.analytics;

import io.agentledger.api.common.TenantScoped;

import java.time.Instant;
import java.time.LocalDate;

/**
 * The analytics summary of one project over the UTC days {@code from} to {@code to}, both included; current-state
 * figures (counts by status, age of the oldest READY task) are taken as of {@code asOf}. Answered with a
 * {@link ProjectSummary}.
 */
public record FindProjectSummaryQuery(String tenantId, String projectId, LocalDate from, LocalDate to, Instant asOf)
        implements TenantScoped {
}
