package io.agentledger.api.knowledge;

import io.agentledger.api.common.TenantScoped;

import java.util.List;

/**
 * The tenant's active entries most related to a task, for its claim: entries matching any of the words, the task's
 * project's first, ranked among a bounded set of candidates (the most recently updated matches) so that the cost
 * does not grow with the knowledge base, and without the typo fallback of a search. Answered with a
 * {@link KnowledgeHits}.
 */
public record FindRelatedKnowledgeQuery(String tenantId,
                                        List<String> words,
                                        String projectId,
                                        int limit) implements TenantScoped {
}
