package io.agentledger.query.web;

/** A query parameter out of its range; answered 400 VALIDATION_FAILED naming the field. */
public class InvalidRequestException extends RuntimeException {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
