package io.agentledger.query.web;

import io.agentledger.api.common.ErrorCode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.lang.Nullable;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Turns every failure of a query request into problem+json with a stable code; never a stack trace. */
@RestControllerAdvice
public class QueryProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(QueryProblemAdvice.class);

    @ExceptionHandler(NotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(NotFoundException e) {
        return problem(ErrorCode.NOT_FOUND, e.getMessage());
    }

    @ExceptionHandler(InvalidRequestException.class)
    ResponseEntity<ProblemDetail> invalid(InvalidRequestException e) {
        ProblemDetail problem = problemDetail(ErrorCode.VALIDATION_FAILED, "The request has invalid parameters");
        problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        return ResponseEntity.status(problem.getStatus()).body(problem);
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return problem(ErrorCode.UNAVAILABLE, "The database is unavailable; retry later");
    }

    /** Query handlers run behind Axon's query bus, which wraps what they throw. */
    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof DataAccessResourceFailureException
                    || cause instanceof CannotGetJdbcConnectionException) {
                return unavailable((Exception) cause);
            }
        }
        log.error("Unexpected failure", e);
        return problem(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred");
    }

    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && problem.getProperties() == null) {
            withCode(problem, switch (status.value()) {
                case 404 -> ErrorCode.NOT_FOUND;
                case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
                case 406 -> ErrorCode.NOT_ACCEPTABLE;
                case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
                default -> status.is4xxClientError() ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
            });
        }
        return response;
    }

    private static ResponseEntity<ProblemDetail> problem(ErrorCode code, String detail) {
        return ResponseEntity.status(code.status()).body(problemDetail(code, detail));
    }

    private static ProblemDetail problemDetail(ErrorCode code, String detail) {
        return withCode(ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(code.status()), detail), code);
    }

    private static ProblemDetail withCode(ProblemDetail problem, ErrorCode code) {
        problem.setType(URI.create("urn:agentledger:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        return problem;
    }
}
