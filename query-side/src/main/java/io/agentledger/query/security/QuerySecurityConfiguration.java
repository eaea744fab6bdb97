package io.agentledger.query.security;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.query.principal.PrincipalProjection;
import io.agentledger.query.web.QueryWebConfiguration;
import io.agentledger.query.web.RequestIdFilter;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.MDC;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

import javax.crypto.Mac;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The query side on its own is an OAuth2 resource server for the command side's access tokens: same secret
 * ({@code AGENTLEDGER_JWT_SECRET}), same checks of signature, expiry, issuer and audience, and revocations read
 * from its principals read model. The standalone process uses the command side's identical chain instead.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class QuerySecurityConfiguration {

    static final String ISSUER = "agentledger";
    static final String AUDIENCE = "agentledger-api";
    private static final long REVOCATION_FRESHNESS_NANOS = 1_000_000_000L;

    @Bean
    public JwtDecoder jwtDecoder(@Value("${agentledger.jwt-secret:}") String configured,
                                 @Value("${agentledger.data-dir:./data}") Path dataDirectory) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(signingKey(secret(configured, dataDirectory)))
                .macAlgorithm(MacAlgorithm.HS256).build();
        OAuth2Error wrongAudience = new OAuth2Error("invalid_token", "The token is not meant for this API", null);
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(JwtValidators.createDefaultWithIssuer(ISSUER),
                jwt -> jwt.getAudience() != null && jwt.getAudience().contains(AUDIENCE)
                        ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(wrongAudience)));
        return decoder;
    }

    /** Requests the firewall refuses are malformed requests: 400 problem+json, as on the command side. */
    @Bean
    public WebSecurityCustomizer rejectedRequestsAsProblems(ObjectMapper mapper) {
        return web -> web.requestRejectedHandler((request, response, e) -> problem(response, mapper,
                ErrorCode.MALFORMED_REQUEST, "The request path or headers are not acceptable"));
    }

    /** Lets an encoded slash in a path reach the firewall above instead of Tomcat's HTML error page. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
        return factory -> factory.addConnectorCustomizers(connector ->
                connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    @Bean
    public SecurityFilterChain querySecurity(HttpSecurity http, ObjectMapper mapper, PrincipalProjection principals,
                                             @Value("${agentledger.rate-limit.requests-per-second:200}")
                                             long requestsPerSecond) throws Exception {
        Map<String, long[]> checked = new ConcurrentHashMap<>();
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs",
                                "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(token -> {
                            String role = token.getClaimAsString("role");
                            if (token.getSubject() == null || token.getClaimAsString("tenant") == null
                                    || role == null || token.getClaimAsStringList("capabilities") == null
                                    || !List.of("admin", "agent", "auditor", "analyst", "operator").contains(role)) {
                                throw new InvalidBearerTokenException("The token lacks required claims");
                            }
                            if (revoked(checked, principals, token.getSubject())) {
                                throw new InvalidBearerTokenException("The principal was revoked");
                            }
                            return new JwtAuthenticationToken(token, List.of(new SimpleGrantedAuthority(
                                    "ROLE_" + role.toUpperCase(Locale.ROOT))), token.getSubject());
                        }))
                        .authenticationEntryPoint((request, response, e) -> {
                            response.setHeader("WWW-Authenticate", "Bearer");
                            problem(response, mapper, ErrorCode.UNAUTHENTICATED,
                                    "A valid bearer access token is required (POST /v1/auth/token)");
                        })
                        .accessDeniedHandler((request, response, e) ->
                                problem(response, mapper, ErrorCode.FORBIDDEN, "Your role may not do this")))
                .addFilterAfter(new PrincipalRateLimitFilter(mapper, requestsPerSecond),
                        BearerTokenAuthenticationFilter.class)
                .addFilterAfter((request, response, chain) -> {
                    // the caller's tenant and principal on every log line of the request, as on the command side
                    QueryWebConfiguration.currentCaller().ifPresent(c -> {
                        MDC.put("tenantId", c.tenantId());
                        MDC.put("principalId", c.principalId());
                    });
                    try {
                        chain.doFilter(request, response);
                    } finally {
                        MDC.remove("tenantId");
                        MDC.remove("principalId");
                    }
                }, PrincipalRateLimitFilter.class);
        return http.build();
    }

    @Bean
    public FilterRegistrationBean<RequestIdFilter> queryRequestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    /** Outside Spring Security's chain (at -100): a database that cannot be reached there is a 503, not a 500. */
    @Bean
    public FilterRegistrationBean<DatabaseUnavailableFilter> queryDatabaseUnavailableFilter(ObjectMapper mapper) {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration =
                new FilterRegistrationBean<>(new DatabaseUnavailableFilter(mapper));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** Revocations are looked up at most once a second per principal; a revoked one stays revoked. */
    private static boolean revoked(Map<String, long[]> checked, PrincipalProjection principals, String id) {
        long now = System.nanoTime();
        long[] status = checked.get(id);
        if (status == null || (status[0] == 0 && now - status[1] > REVOCATION_FRESHNESS_NANOS)) {
            status = new long[]{principals.isRevoked(id) ? 1 : 0, now};
            checked.put(id, status);
        }
        return status[0] == 1;
    }

    static void problem(HttpServletResponse response, ObjectMapper mapper, ErrorCode code, String detail)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(
                org.springframework.http.HttpStatus.valueOf(code.status()), detail);
        problem.setType(URI.create("urn:agentledger:problem:" + code.name().toLowerCase(Locale.ROOT).replace('_', '-')));
        problem.setTitle(code.title());
        problem.setProperty("code", code.name());
        response.setStatus(code.status());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        mapper.writeValue(response.getOutputStream(), problem);
    }

    /** The command side's secret: configured, or the one it generated in the shared data directory. */
    private static byte[] secret(String configured, Path dataDirectory) {
        if (configured != null && !configured.isEmpty()) {
            return configured.getBytes(StandardCharsets.UTF_8);
        }
        Path file = dataDirectory.resolve("jwt-secret");
        if (!Files.exists(file)) {
            throw new IllegalStateException("Set AGENTLEDGER_JWT_SECRET to the command side's secret");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Derived exactly as the command side derives the key it signs with. */
    public static SecretKey signingKey(byte[] secret) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("AGENTLEDGER_JWT_SECRET must be at least 32 bytes");
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return new SecretKeySpec(mac.doFinal("agentledger access tokens".getBytes(StandardCharsets.UTF_8)),
                    "HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
