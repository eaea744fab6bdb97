package io.agentledger.command.auth;

import io.agentledger.api.common.Caller;
import io.agentledger.command.web.Callers;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.Optional;

/** Puts the authenticated caller's tenant and principal on every log line of its request (never a credential). */
class CallerLoggingFilter extends OncePerRequestFilter {

    static final String TENANT = "tenantId";
    static final String PRINCIPAL = "principalId";

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Optional<Caller> caller = Callers.current();
        caller.ifPresent(c -> {
            MDC.put(TENANT, c.tenantId());
            MDC.put(PRINCIPAL, c.principalId());
        });
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(TENANT);
            MDC.remove(PRINCIPAL);
        }
    }
}
