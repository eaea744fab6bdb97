package io.agentledger.api.project;

import io.agentledger.api.common.PageRequest;
import io.agentledger.api.common.TenantScoped;

/** The tenant's projects, oldest first, one keyset page at a time; answered with a {@link ProjectPage}. */
public record FindProjectsQuery(String tenantId, ProjectStatus status, PageRequest page) implements TenantScoped {
}
