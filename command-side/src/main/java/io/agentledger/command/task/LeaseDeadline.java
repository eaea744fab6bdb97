package io.agentledger.command.task;

import java.time.Instant;

/**
 * The payload of a lease-expiry deadline: which lease, and the expiry it was scheduled for. When it fires and the
 * lease still ends then, the lease has expired; if heartbeats moved the end, the deadline re-arms for the new one.
 */
record LeaseDeadline(String leaseId, Instant expiresAt) {
}
