package io.agentledger.api.knowledge;

import java.util.List;

/** One search result: the snippet marks the matched words with {@code <mark>}. */
public record KnowledgeHit(String id,
                           String projectId,
                           String title,
                           String snippet,
                           List<String> tags,
                           double score) {
}
