package io.agentledger.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.query.web.QueryProblemAdvice;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;

/**
 * Answers 503 {@code UNAVAILABLE} when the database cannot be reached by code that runs before Spring MVC's
 * exception handling, above all the revocation check of an access token inside Spring Security's chain; such a
 * failure otherwise escaped the filter chain and the servlet container answered 500. As on the command side.
 */
public class DatabaseUnavailableFilter extends OncePerRequestFilter {

    private static final Logger log = LoggerFactory.getLogger(DatabaseUnavailableFilter.class);

    private final ObjectMapper mapper;

    public DatabaseUnavailableFilter(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        try {
            chain.doFilter(request, response);
        } catch (RuntimeException | ServletException e) {
            if (response.isCommitted() || !unavailable(e)) {
                throw e;
            }
            log.warn("Database unavailable: {}", e.toString());
            response.reset();
            QuerySecurityConfiguration.problem(response, mapper, ErrorCode.UNAVAILABLE,
                    "The database is unavailable; retry later");
        }
    }

    static boolean unavailable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (QueryProblemAdvice.unavailableFailure(cause)) {
                return true;
            }
        }
        return QueryProblemAdvice.databaseUnreachable(e);
    }
}
