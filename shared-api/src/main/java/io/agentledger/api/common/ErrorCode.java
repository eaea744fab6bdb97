package io.agentledger.api.common;

/**
 * Stable machine-readable error codes of the HTTP API, each with the status it is answered with.
 * Clients match on these names, so a name never changes once released.
 */
public enum ErrorCode {
    VALIDATION_FAILED(400, "Validation failed"),
    MALFORMED_REQUEST(400, "Malformed request"),
    UNAUTHENTICATED(401, "Unauthenticated"),
    FORBIDDEN(403, "Forbidden"),
    NOT_FOUND(404, "Not found"),
    METHOD_NOT_ALLOWED(405, "Method not allowed"),
    NOT_ACCEPTABLE(406, "Not acceptable"),
    ALREADY_EXISTS(409, "Already exists"),
    CONCURRENT_MODIFICATION(409, "Concurrent modification"),
    PROJECT_ARCHIVED(409, "Project archived"),
    UNKNOWN_DEPENDENCY(400, "Unknown dependency"),
    TASK_NOT_CLAIMABLE(409, "Task not claimable"),
    CAPABILITY_MISMATCH(409, "Capability mismatch"),
    LEASE_NOT_HELD(409, "Lease not held"),
    TASK_TERMINAL(409, "Task is finished"),
    KNOWLEDGE_RETIRED(409, "Knowledge entry retired"),
    REPLAY_REFUSED(409, "Replay refused"),
    PAYLOAD_TOO_LARGE(413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE(415, "Unsupported media type"),
    IDEMPOTENCY_KEY_REUSED(422, "Idempotency key reused"),
    RATE_LIMITED(429, "Rate limited"),
    INTERNAL_ERROR(500, "Internal error"),
    UNAVAILABLE(503, "Service unavailable");

    private final int status;
    private final String title;

    ErrorCode(int status, String title) {
        this.status = status;
        this.title = title;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
