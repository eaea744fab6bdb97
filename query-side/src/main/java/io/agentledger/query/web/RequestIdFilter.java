package io.agentledger.query.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Honours a sane {@code X-Request-Id}, makes one up otherwise, echoes it and keeps it in the MDC, so every log line
 * of the request and every command it sends carry it. The request's correlation id is the client's
 * {@code X-Correlation-Id} when it sends a sane one, else the request id.
 */
public class RequestIdFilter extends OncePerRequestFilter {

    public static final String HEADER = "X-Request-Id";
    public static final String MDC_KEY = "requestId";
    public static final String CORRELATION_HEADER = "X-Correlation-Id";
    public static final String CORRELATION_MDC_KEY = "correlationId";
    private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String sent = request.getHeader(HEADER);
        String requestId = sent != null && SANE.matcher(sent).matches() ? sent : UUID.randomUUID().toString();
        response.setHeader(HEADER, requestId);
        String correlation = request.getHeader(CORRELATION_HEADER);
        MDC.put(MDC_KEY, requestId);
        MDC.put(CORRELATION_MDC_KEY, correlation != null && SANE.matcher(correlation).matches() ? correlation
                : requestId);
        try {
            chain.doFilter(request, response);
        } finally {
            MDC.remove(MDC_KEY);
            MDC.remove(CORRELATION_MDC_KEY);
        }
    }
}
