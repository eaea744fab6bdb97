package io.agentledger.command.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.TestingAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;

import static org.assertj.core.api.Assertions.assertThat;

class PrincipalRateLimitFilterTest {

    private final PrincipalRateLimitFilter filter = new PrincipalRateLimitFilter(new ObjectMapper(), 2);

    @AfterEach
    void clear() {
        SecurityContextHolder.clearContext();
    }

    @Test
    void aPrincipalOverItsRateGets429WithRetryAfterWhileOthersGoOn() throws Exception {
        authenticate("busy");
        for (int i = 0; i < 4; i++) {
            assertThat(call().getStatus()).as("burst of two seconds' worth").isEqualTo(200);
        }
        MockHttpServletResponse limited = call();
        assertThat(limited.getStatus()).isEqualTo(429);
        assertThat(limited.getHeader("Retry-After")).isEqualTo("1");
        assertThat(limited.getContentAsString()).contains("\"code\":\"RATE_LIMITED\"");

        authenticate("quiet");
        assertThat(call().getStatus()).isEqualTo(200);
    }

    @Test
    void anonymousRequestsAreNotCounted() throws Exception {
        for (int i = 0; i < 10; i++) {
            assertThat(call().getStatus()).isEqualTo(200);
        }
    }

    private static void authenticate(String principal) {
        SecurityContextHolder.getContext().setAuthentication(new TestingAuthenticationToken(principal, null, "ROLE_AGENT"));
    }

    private MockHttpServletResponse call() throws Exception {
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/projects"), response, new MockFilterChain());
        return response;
    }
}
