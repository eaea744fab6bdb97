package io.agentledger.api.knowledge;

import java.time.Instant;
import java.util.List;

/** The knowledge entry representation of the API (one revision of it). */
public record KnowledgeView(String id,
                            String projectId,
                            String title,
                            String body,
                            List<String> tags,
                            String sourceTaskId,
                            int revision,
                            KnowledgeStatus status,
                            Instant createdAt,
                            Instant updatedAt,
                            long version) {
}
