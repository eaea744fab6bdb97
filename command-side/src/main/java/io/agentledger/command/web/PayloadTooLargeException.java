package io.agentledger.command.web;

import java.io.IOException;

/**
 * A request body ran past its limit while it was being read (a body that declares a larger length is refused
 * before anything reads it). An {@link IOException}, so it leaves the parser or filter that read too far as it is,
 * and {@link RequestBodyFilter} or {@link CommandProblemAdvice} answers it 413.
 */
public class PayloadTooLargeException extends IOException {

    PayloadTooLargeException(int maxBytes) {
        super(RequestBodyFilter.detail(maxBytes));
    }
}
