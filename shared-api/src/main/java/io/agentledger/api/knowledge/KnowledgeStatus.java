package io.agentledger.api.knowledge;

public enum KnowledgeStatus {
    ACTIVE,
    RETIRED
}
