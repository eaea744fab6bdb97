package io.agentledger.command.registry;

import java.time.Instant;

/** The current lease of a task in progress, as the registry keeps it. */
public record HeldLease(String taskId, String tenantId, String leaseId, Instant expiresAt) {
}
