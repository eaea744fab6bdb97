package io.agentledger.query.web;

/** Nothing of that id in the caller's tenant; another tenant's data is reported the same way. */
public class NotFoundException extends RuntimeException {

    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
