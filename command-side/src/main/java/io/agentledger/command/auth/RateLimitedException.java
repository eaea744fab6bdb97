package io.agentledger.command.auth;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.DomainException;

/** Too many failed attempts from one address; the client may retry after the given seconds. */
public class RateLimitedException extends DomainException {

    private final long retryAfterSeconds;

    public RateLimitedException(long retryAfterSeconds) {
        super(ErrorCode.RATE_LIMITED, "Too many failed attempts; retry after " + retryAfterSeconds + " s");
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
