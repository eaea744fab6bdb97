package io.agentledger.api.knowledge;

import io.agentledger.api.common.TenantScoped;

/**
 * Ranked search of the tenant's active entries: {@code text} in web-search syntax (words, "phrases",
 * -exclusions), optionally within a project and/or with a tag. {@code projectFirst} ranks entries of that project
 * above the others instead of filtering by it. Answered with a {@link KnowledgeHits}.
 */
public record SearchKnowledgeQuery(String tenantId,
                                   String text,
                                   String projectId,
                                   boolean projectFirst,
                                   String tag,
                                   int limit) implements TenantScoped {
}
