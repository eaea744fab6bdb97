package io.agentledger.command;

import io.agentledger.api.common.ErrorCode;

/** A business rule said no. The code travels to the client unchanged; the message is the problem's detail. */
public class DomainException extends RuntimeException {

    private final ErrorCode code;
    private final String field;

    public DomainException(ErrorCode code, String detail) {
        this(code, detail, null);
    }

    private DomainException(ErrorCode code, String detail, String field) {
        super(detail, null, false, false);
        this.code = code;
        this.field = field;
    }

    /** A field of the command is invalid: answered VALIDATION_FAILED naming it. */
    public static DomainException invalid(String field, String message) {
        return new DomainException(ErrorCode.VALIDATION_FAILED, field + " " + message, field);
    }

    public ErrorCode code() {
        return code;
    }

    /** The invalid field, for VALIDATION_FAILED; null otherwise. */
    public String field() {
        return field;
    }
}
