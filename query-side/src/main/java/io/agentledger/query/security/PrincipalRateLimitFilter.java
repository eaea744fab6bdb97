package io.agentledger.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The query side's per-principal request rate, as the command side's (a separate deployable shares no code but
 * shared-api). A per-principal request rate (Bucket4j token bucket on this node): generous by default, with a burst of two
 * seconds' worth, so a busy agent is never throttled by accident but a runaway one is.
 */
class PrincipalRateLimitFilter extends OncePerRequestFilter {

    private final ObjectMapper mapper;
    private final long requestsPerSecond;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    PrincipalRateLimitFilter(ObjectMapper mapper, long requestsPerSecond) {
        this.mapper = mapper;
        this.requestsPerSecond = requestsPerSecond;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication == null || !authentication.isAuthenticated() || requestsPerSecond <= 0) {
            chain.doFilter(request, response);
            return;
        }
        ConsumptionProbe probe = buckets.computeIfAbsent(authentication.getName(), name -> newBucket())
                .tryConsumeAndReturnRemaining(1);
        if (probe.isConsumed()) {
            chain.doFilter(request, response);
            return;
        }
        long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(probe.getNanosToWaitForRefill()) + 1);
        response.setHeader("Retry-After", Long.toString(seconds));
        QuerySecurityConfiguration.problem(response, mapper, ErrorCode.RATE_LIMITED,
                "More than " + requestsPerSecond + " requests per second; retry after " + seconds + " s");
    }

    private Bucket newBucket() {
        return Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(requestsPerSecond * 2)
                        .refillGreedy(requestsPerSecond, Duration.ofSeconds(1)).build())
                .build();
    }
}
