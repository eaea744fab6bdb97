package io.agentledger.command.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.command.web.CommandWebConfiguration;
import io.agentledger.command.web.RequestIdFilter;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.spec.McpSchema;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.MDC;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The MCP server at {@code /mcp}: the Streamable HTTP transport in its stateless form, so any command node answers
 * any request (no session to pin to a node). It is a servlet behind the same Spring Security filter chain as the
 * REST API; the request's verified {@link Authentication} is handed to the tool call through the transport context.
 */
@Configuration(proxyBeanMethods = false)
public class McpConfiguration {

    public static final String ENDPOINT = "/mcp";
    static final String AUTHENTICATION = "agentledger.authentication";
    static final String REQUEST_ID = "agentledger.request-id";
    /** A claim-next may wait 30 s for a task; the tool call must outlive it. */
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    static final String INSTRUCTIONS = "AgentLedger: shared tasks and knowledge. Claim a task, heartbeat its lease "
            + "before claim.leaseExpiresAt, then complete_task or fail_task with claim.leaseId. "
            + "Errors carry the REST API's code.";

    @Bean
    HttpServletStatelessServerTransport mcpTransport(ObjectMapper mapper) {
        return HttpServletStatelessServerTransport.builder()
                .jsonMapper(new JacksonMcpJsonMapper(mapper))
                .messageEndpoint(ENDPOINT)
                .contextExtractor(McpConfiguration::transportContext)
                .maxRequestSize(CommandWebConfiguration.MAX_BODY_BYTES)
                .build();
    }

    @Bean
    ServletRegistrationBean<HttpServletStatelessServerTransport> mcpServlet(HttpServletStatelessServerTransport transport) {
        ServletRegistrationBean<HttpServletStatelessServerTransport> registration =
                new ServletRegistrationBean<>(transport, ENDPOINT);
        registration.setName("mcp");
        return registration;
    }

    @Bean(destroyMethod = "close")
    McpStatelessSyncServer mcpServer(HttpServletStatelessServerTransport transport, List<ToolSet> toolSets,
                                     ToolRunner runner, ObjectMapper mapper) {
        McpJsonMapper json = new JacksonMcpJsonMapper(mapper);
        List<SyncToolSpecification> tools = toolSets.stream()
                .flatMap(set -> set.tools().stream())
                .map(tool -> new SyncToolSpecification(McpSchema.Tool.builder()
                        .name(tool.name())
                        .description(tool.description())
                        .inputSchema(json, tool.inputSchema())
                        .build(), (context, request) -> runner.call(tool, context, request)))
                .toList();
        return McpServer.sync(transport)
                .serverInfo("agentledger", "1")
                .instructions(INSTRUCTIONS)
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).build())
                .jsonMapper(json)
                // on the request thread: the security context and the request id stay with the call
                .immediateExecution(true)
                .requestTimeout(REQUEST_TIMEOUT)
                .tools(tools)
                .build();
    }

    /** Runs on the request thread, after the security filter chain has verified the bearer token. */
    static McpTransportContext transportContext(HttpServletRequest request) {
        Map<String, Object> values = new HashMap<>();
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication != null) {
            values.put(AUTHENTICATION, authentication);
        }
        String requestId = MDC.get(RequestIdFilter.MDC_KEY);
        if (requestId != null) {
            values.put(REQUEST_ID, requestId);
        }
        return McpTransportContext.create(values);
    }
}
