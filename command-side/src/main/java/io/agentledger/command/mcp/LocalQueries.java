package io.agentledger.command.mcp;

import io.agentledger.api.common.ErrorCode;
import org.axonframework.messaging.responsetypes.ResponseTypes;
import org.axonframework.queryhandling.QueryExecutionException;
import org.axonframework.queryhandling.QueryGateway;
import org.springframework.stereotype.Component;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks the query bus of this process, as the read tools must: the standalone process answers from its read models;
 * a command node on its own has no query handler, and its read tools answer {@code UNAVAILABLE}.
 */
@Component
public class LocalQueries {

    static final long TIMEOUT_SECONDS = 10;

    private final QueryGateway gateway;

    LocalQueries(QueryGateway gateway) {
        this.gateway = gateway;
    }

    public <R> R ask(Object query, Class<R> responseType) throws InterruptedException {
        try {
            return gateway.query(query, ResponseTypes.instanceOf(responseType)).get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | CompletionException e) {
            Throwable cause = e.getCause();
            while ((cause instanceof CompletionException || cause instanceof QueryExecutionException)
                    && cause.getCause() != null) {
                cause = cause.getCause();
            }
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(cause);
        } catch (TimeoutException e) {
            throw new ToolException(ErrorCode.UNAVAILABLE, "The read model did not answer in time; retry");
        }
    }
}
