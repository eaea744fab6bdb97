package io.agentledger.command.web;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.DomainException;
import io.agentledger.command.auth.RateLimitedException;
import org.axonframework.eventsourcing.eventstore.EventStoreException;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.transaction.CannotCreateTransactionException;
import org.springframework.lang.Nullable;
import org.springframework.validation.FieldError;
import org.springframework.web.bind.MethodArgumentNotValidException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;

/**
 * Turns every failure of a command request into problem+json with a stable code; never a stack trace. It goes
 * first, so in the standalone process it also renders the query side's failures (which carry their own problem).
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class CommandProblemAdvice extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(CommandProblemAdvice.class);

    @ExceptionHandler(DomainException.class)
    ResponseEntity<ProblemDetail> domain(DomainException e) {
        if (e instanceof RateLimitedException limited) {
            return ResponseEntity.status(e.code().status())
                    .header(HttpHeaders.RETRY_AFTER, Long.toString(limited.retryAfterSeconds()))
                    .body(Problems.of(e.code(), e.getMessage()));
        }
        ProblemDetail problem = Problems.of(e.code(), e.getMessage());
        if (e.field() != null) {
            problem.setProperty("errors", List.of(Map.of("field", e.field(), "message", e.getMessage())));
        }
        return ResponseEntity.status(e.code().status()).body(problem);
    }

    /** An import body ran past its limit while it was parsed (a longer declared length was refused before). */
    @ExceptionHandler(PayloadTooLargeException.class)
    ResponseEntity<Object> tooLarge(PayloadTooLargeException e) {
        // the rest of the body is not read: the connection cannot carry another request
        return ResponseEntity.status(ErrorCode.PAYLOAD_TOO_LARGE.status()).header(HttpHeaders.CONNECTION, "close")
                .body(Problems.of(ErrorCode.PAYLOAD_TOO_LARGE, e.getMessage()));
    }

    /** A role rule on a controller said no. */
    @ExceptionHandler(AccessDeniedException.class)
    ResponseEntity<ProblemDetail> forbidden(AccessDeniedException e) {
        return problem(ErrorCode.FORBIDDEN, "Your role may not do this");
    }

    /** A uniqueness rule of a command-side table (a concurrent duplicate). */
    @ExceptionHandler(DuplicateKeyException.class)
    ResponseEntity<ProblemDetail> duplicate(DuplicateKeyException e) {
        return problem(ErrorCode.ALREADY_EXISTS, "A resource with this id or name already exists");
    }

    @ExceptionHandler(AggregateNotFoundException.class)
    ResponseEntity<ProblemDetail> notFound(AggregateNotFoundException e) {
        return problem(ErrorCode.NOT_FOUND, "No such resource");
    }

    /** The event store refused sequence 0 a second time: the id is taken. */
    @ExceptionHandler(AggregateStreamCreationException.class)
    ResponseEntity<ProblemDetail> alreadyExists(AggregateStreamCreationException e) {
        return problem(ErrorCode.ALREADY_EXISTS, "A resource with this id already exists");
    }

    @ExceptionHandler(ConcurrencyException.class)
    ResponseEntity<ProblemDetail> concurrent(ConcurrencyException e) {
        return problem(ErrorCode.CONCURRENT_MODIFICATION,
                "The resource was changed by another request at the same time; retry");
    }

    @ExceptionHandler({CannotGetJdbcConnectionException.class, DataAccessResourceFailureException.class,
            CannotCreateTransactionException.class, EventStoreException.class})
    ResponseEntity<ProblemDetail> unavailable(Exception e) {
        log.warn("Database unavailable: {}", e.toString());
        return problem(ErrorCode.UNAVAILABLE, "The database is unavailable; retry later");
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception e) {
        if (databaseUnreachable(e)) {
            return unavailable(e);
        }
        if (timedOut(e)) {
            // the command was not acknowledged; the client may retry it (with an Idempotency-Key, safely)
            log.warn("Command timed out: {}", e.toString());
            return problem(ErrorCode.UNAVAILABLE, "The command did not complete in time; retry later");
        }
        log.error("Unexpected failure", e);
        return problem(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred");
    }

    @Override
    protected ResponseEntity<Object> handleMethodArgumentNotValid(MethodArgumentNotValidException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        ProblemDetail problem = Problems.of(ErrorCode.VALIDATION_FAILED, "The request has invalid fields");
        List<Map<String, String>> errors = e.getBindingResult().getFieldErrors().stream()
                .map(CommandProblemAdvice::fieldError)
                .toList();
        problem.setProperty("errors", errors);
        return ResponseEntity.status(problem.getStatus()).headers(headers).body(problem);
    }

    /** A message converter's read that ran past the body's limit is that, not an unreadable body. */
    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof PayloadTooLargeException tooLarge) {
                return tooLarge(tooLarge);
            }
        }
        return super.handleHttpMessageNotReadable(e, headers, status, request);
    }

    /** Every problem Spring MVC itself raises (unreadable JSON, wrong method, ...) gets its code too. */
    @Override
    protected ResponseEntity<Object> handleExceptionInternal(Exception e, @Nullable Object body, HttpHeaders headers,
                                                             HttpStatusCode status, WebRequest request) {
        ResponseEntity<Object> response = super.handleExceptionInternal(e, body, headers, status, request);
        if (response != null && response.getBody() instanceof ProblemDetail problem
                && problem.getProperties() == null) {
            Problems.withCode(problem, codeFor(status));
            if (status.value() == 400) {
                problem.setDetail("The request could not be read: check its JSON, parameters and types");
            }
        }
        return response;
    }

    private static boolean timedOut(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof TimeoutException) {
                return true;
            }
        }
        return false;
    }

    static ErrorCode codeFor(HttpStatusCode status) {
        return switch (status.value()) {
            case 400 -> ErrorCode.MALFORMED_REQUEST;
            case 404 -> ErrorCode.NOT_FOUND;
            case 405 -> ErrorCode.METHOD_NOT_ALLOWED;
            case 406 -> ErrorCode.NOT_ACCEPTABLE;
            case 413 -> ErrorCode.PAYLOAD_TOO_LARGE;
            case 415 -> ErrorCode.UNSUPPORTED_MEDIA_TYPE;
            case 503 -> ErrorCode.UNAVAILABLE;
            default -> status.is4xxClientError() ? ErrorCode.MALFORMED_REQUEST : ErrorCode.INTERNAL_ERROR;
        };
    }

    private static Map<String, String> fieldError(FieldError error) {
        return Map.of("field", error.getField(),
                "message", error.getDefaultMessage() == null ? "is invalid" : error.getDefaultMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(ErrorCode code, String detail) {
        return ResponseEntity.status(code.status()).body(Problems.of(code, detail));
    }

    /** A connection that could not be had or was lost, however deeply a framework wrapped it (SQL state class 08). */
    /**
     * The failures {@link #unavailable} answers 503 (its {@code @ExceptionHandler} list, which an annotation cannot
     * take from here): no connection, no transaction, an event store that cannot be reached. For the code that sees
     * them outside Spring MVC: the database filter and the MCP tools.
     */
    public static boolean unavailableFailure(Throwable e) {
        return e instanceof CannotGetJdbcConnectionException || e instanceof DataAccessResourceFailureException
                || e instanceof CannotCreateTransactionException || e instanceof EventStoreException;
    }

    public static boolean databaseUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException || cause instanceof ConnectException
                    || cause instanceof SQLException sql && sql.getSQLState() != null
                    && sql.getSQLState().startsWith("08")) {
                return true;
            }
        }
        return false;
    }
}
