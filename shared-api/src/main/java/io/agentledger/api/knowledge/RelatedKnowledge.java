package io.agentledger.api.knowledge;

/** What a claim response shows of an earlier learning. */
public record RelatedKnowledge(String id, String title, String snippet) {
}
