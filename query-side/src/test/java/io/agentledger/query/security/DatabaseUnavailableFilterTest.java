package io.agentledger.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.Filter;
import org.junit.jupiter.api.Test;
import org.springframework.core.Ordered;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.boot.web.servlet.FilterRegistrationBean;

import java.sql.SQLTransientConnectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A database failure inside Spring Security's chain (the revocation check) is a 503, not the container's 500. */
class DatabaseUnavailableFilterTest {

    private final FilterRegistrationBean<DatabaseUnavailableFilter> registration =
            new QuerySecurityConfiguration().queryDatabaseUnavailableFilter(new ObjectMapper());

    @Test
    void aConnectionThatCannotBeHadBeforeSpringMvcIsAnswered503Unavailable() throws Exception {
        // registered outside Spring Security's chain, which sits at -100
        assertThat(registration.getOrder()).isLessThan(-100).isGreaterThan(Ordered.HIGHEST_PRECEDENCE);
        Filter filter = registration.getFilter();
        MockHttpServletResponse response = new MockHttpServletResponse();
        filter.doFilter(new MockHttpServletRequest("GET", "/v1/projects"), response, (request, ignored) -> {
            throw new CannotGetJdbcConnectionException("Failed to obtain JDBC Connection",
                    new SQLTransientConnectionException("Connection is not available, request timed out"));
        });

        assertThat(response.getStatus()).isEqualTo(503);
        assertThat(response.getContentType()).startsWith("application/problem+json");
        assertThat(response.getContentAsString()).contains("\"code\":\"UNAVAILABLE\"");
    }

    @Test
    void otherFailuresAreLeftAlone() {
        Filter filter = registration.getFilter();
        assertThatThrownBy(() -> filter.doFilter(new MockHttpServletRequest("GET", "/v1/projects"),
                new MockHttpServletResponse(), (request, response) -> {
                    throw new IllegalStateException("a bug");
                })).isInstanceOf(IllegalStateException.class);
    }
}
