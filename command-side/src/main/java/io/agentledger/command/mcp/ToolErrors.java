package io.agentledger.command.mcp;

import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.DomainException;
import io.agentledger.command.web.CommandProblemAdvice;
import org.axonframework.modelling.command.AggregateNotFoundException;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.axonframework.queryhandling.NoHandlerForQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.web.ErrorResponse;

import java.util.List;
import java.util.Map;

/**
 * What a failed tool call tells the agent: the code and detail the REST API answers for the same failure (see
 * CommandProblemAdvice), so an agent handles {@code LEASE_NOT_HELD} the same way whichever way it came.
 */
final class ToolErrors {

    private static final Logger log = LoggerFactory.getLogger(ToolErrors.class);

    private ToolErrors() {
    }

    record ToolError(String code, int status, String detail, List<Map<String, String>> errors) {

        ToolError(ErrorCode code, String detail) {
            this(code.name(), code.status(), detail, null);
        }
    }

    static ToolError of(Throwable e) {
        if (e instanceof ToolException refused) {
            return new ToolError(refused.code().name(), refused.code().status(), refused.getMessage(),
                    refused.errors().isEmpty() ? null : refused.errors());
        }
        if (e instanceof DomainException domain) {
            return new ToolError(domain.code().name(), domain.code().status(), domain.getMessage(),
                    domain.field() == null ? null
                            : List.of(Map.of("field", domain.field(), "message", domain.getMessage())));
        }
        if (e instanceof AccessDeniedException) {
            return new ToolError(ErrorCode.FORBIDDEN, "Your role may not do this");
        }
        if (e instanceof DuplicateKeyException) {
            return new ToolError(ErrorCode.ALREADY_EXISTS, "A resource with this id or name already exists");
        }
        if (e instanceof AggregateNotFoundException) {
            return new ToolError(ErrorCode.NOT_FOUND, "No such resource");
        }
        if (e instanceof AggregateStreamCreationException) {
            return new ToolError(ErrorCode.ALREADY_EXISTS, "A resource with this id already exists");
        }
        if (e instanceof ConcurrencyException) {
            return new ToolError(ErrorCode.CONCURRENT_MODIFICATION,
                    "The resource was changed by another request at the same time; retry");
        }
        if (e instanceof NoHandlerForQueryException) {
            return new ToolError(ErrorCode.UNAVAILABLE,
                    "This tool reads the query side, which this process does not run; use the standalone process");
        }
        if (e instanceof ErrorResponse response && response.getBody().getProperties() != null
                && response.getBody().getProperties().get("code") instanceof String code) {
            return fromProblem(code, response.getBody());
        }
        if (CommandProblemAdvice.unavailableFailure(e) || CommandProblemAdvice.databaseUnreachable(e)) {
            log.warn("Database unavailable: {}", e.toString());
            return new ToolError(ErrorCode.UNAVAILABLE, "The database is unavailable; retry later");
        }
        log.error("Unexpected failure of a tool call", e);
        return new ToolError(ErrorCode.INTERNAL_ERROR, "An unexpected error occurred");
    }

    /** A problem the query side raised in this process (a bad cursor, say): its code passes through unchanged. */
    @SuppressWarnings("unchecked")
    private static ToolError fromProblem(String code, ProblemDetail problem) {
        Object errors = problem.getProperties().get("errors");
        return new ToolError(code, problem.getStatus(), problem.getDetail(),
                errors instanceof List<?> list ? (List<Map<String, String>>) list : null);
    }
}
