package io.agentledger.command.mcp;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.web.Callers;
import io.agentledger.command.web.RequestIdFilter;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.validation.Validator;
import org.slf4j.MDC;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;

/**
 * Runs one tool call as the caller of the HTTP request that carried it, whichever thread the SDK runs it on: the
 * security context (for the role rules of the controllers and {@link Callers}) and the request id (for the events'
 * metadata) are set for the call and restored after it.
 */
@Component
class ToolRunner {

    private final ObjectMapper mapper;
    private final Validator validator;

    ToolRunner(ObjectMapper mapper, Validator validator) {
        this.mapper = mapper;
        this.validator = validator;
    }

    CallToolResult call(McpTool tool, McpTransportContext context, CallToolRequest request) {
        SecurityContext previous = SecurityContextHolder.getContext();
        String previousRequestId = MDC.get(RequestIdFilter.MDC_KEY);
        SecurityContext callContext = SecurityContextHolder.createEmptyContext();
        callContext.setAuthentication((Authentication) context.get(McpConfiguration.AUTHENTICATION));
        SecurityContextHolder.setContext(callContext);
        if (context.get(McpConfiguration.REQUEST_ID) instanceof String requestId) {
            MDC.put(RequestIdFilter.MDC_KEY, requestId);
        }
        try {
            Caller caller = Callers.current().orElseThrow(
                    () -> new ToolException(ErrorCode.UNAUTHENTICATED, "A bearer access token is required"));
            Object result = tool.handler().call(new ToolArguments(request.arguments(), mapper, validator), caller);
            return CallToolResult.builder().addTextContent(json(result)).isError(false).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(new ToolException(ErrorCode.UNAVAILABLE, "The call was interrupted; retry"));
        } catch (Exception e) {
            return error(e);
        } finally {
            SecurityContextHolder.setContext(previous);
            if (previousRequestId == null) {
                MDC.remove(RequestIdFilter.MDC_KEY);
            } else {
                MDC.put(RequestIdFilter.MDC_KEY, previousRequestId);
            }
        }
    }

    private CallToolResult error(Exception e) {
        return CallToolResult.builder().addTextContent(json(ToolErrors.of(e))).isError(true).build();
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A tool answer could not be written as JSON", e);
        }
    }
}
