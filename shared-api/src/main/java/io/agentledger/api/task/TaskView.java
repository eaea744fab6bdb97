package io.agentledger.api.task;

import java.time.Instant;
import java.util.List;

/** The task representation of the API. */
public record TaskView(String id,
                       String projectId,
                       String title,
                       String description,
                       TaskStatus status,
                       TaskPriority priority,
                       List<String> labels,
                       List<String> requiredCapabilities,
                       List<String> dependsOn,
                       String externalRef,
                       int maxAttempts,
                       int attempts,
                       int leaseSeconds,
                       Claim claim,
                       String result,
                       String failureReason,
                       Instant createdAt,
                       Instant updatedAt,
                       long version) {
}
