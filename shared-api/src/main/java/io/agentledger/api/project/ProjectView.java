package io.agentledger.api.project;

import com.fasterxml.jackson.annotation.JsonInclude;

import java.time.Instant;
import java.util.Map;

/**
 * The project representation of the API. {@code taskCounts} (by task status) is filled by the query side only;
 * command responses leave it out.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProjectView(String id,
                          String name,
                          String description,
                          ProjectStatus status,
                          Instant createdAt,
                          Instant updatedAt,
                          long version,
                          Map<String, Long> taskCounts) {
}
