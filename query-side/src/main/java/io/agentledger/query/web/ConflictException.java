package io.agentledger.query.web;

import io.agentledger.api.common.ErrorCode;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/** The request is valid but the resource's current state does not allow it (409 with the given code). */
public class ConflictException extends ErrorResponseException {

    public ConflictException(ErrorCode code, String detail) {
        super(HttpStatus.CONFLICT, QueryProblemAdvice.problem(code, detail), null);
    }
}
