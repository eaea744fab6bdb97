package io.agentledger.api.knowledge;

import java.util.List;

public record KnowledgeHits(List<KnowledgeHit> items) {
}
