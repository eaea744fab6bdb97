package io.agentledger.command;

import io.agentledger.api.common.ErrorCode;

/** A business rule said no. The code travels to the client unchanged; the message is the problem's detail. */
public class DomainException extends RuntimeException {

    private final ErrorCode code;

    public DomainException(ErrorCode code, String detail) {
        super(detail, null, false, false);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
