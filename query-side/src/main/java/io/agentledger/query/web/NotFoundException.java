package io.agentledger.query.web;

import io.agentledger.api.common.ErrorCode;
import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * Nothing of that id in the caller's tenant; another tenant's data is reported the same way. It carries its own
 * problem, so whichever advice of the process renders it gives the same answer.
 */
public class NotFoundException extends ErrorResponseException {

    public NotFoundException(String detail) {
        super(HttpStatus.NOT_FOUND, QueryProblemAdvice.problem(ErrorCode.NOT_FOUND, detail), null);
    }
}
