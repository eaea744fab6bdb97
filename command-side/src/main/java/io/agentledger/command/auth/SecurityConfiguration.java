package io.agentledger.command.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.command.web.Problems;
import com.nimbusds.jose.jwk.source.ImmutableSecret;
import io.agentledger.command.principal.Credentials;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.apache.tomcat.util.buf.EncodedSolidusHandling;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.security.config.annotation.web.configuration.WebSecurityCustomizer;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.MacAlgorithm;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;

import java.nio.file.Path;

/**
 * The API is an OAuth2 resource server: every request but token exchange, health and the API documents carries a
 * bearer JWT, HS256-signed by this service, checked for signature, expiry, issuer and audience. Which role may do
 * what is declared on the controllers.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
public class SecurityConfiguration {

    public static final String ISSUER = "agentledger";
    public static final String AUDIENCE = "agentledger-api";

    @Bean
    public Secrets secrets(@Value("${agentledger.jwt-secret:}") String configured,
                           @Value("${agentledger.data-dir:./data}") Path dataDirectory) {
        return Secrets.load(configured, dataDirectory);
    }

    /** Decoded tokens are remembered until they expire (at most this many). */
    static final long DECODED_TOKENS = 10_000;

    @Bean
    public JwtDecoder jwtDecoder(Secrets secrets) {
        NimbusJwtDecoder decoder = NimbusJwtDecoder.withSecretKey(secrets.signingKey())
                .macAlgorithm(MacAlgorithm.HS256)
                .build();
        decoder.setJwtValidator(new DelegatingOAuth2TokenValidator<>(
                JwtValidators.createDefaultWithIssuer(ISSUER), audience()));
        return new CachingJwtDecoder(decoder, DECODED_TOKENS);
    }

    @Bean
    public JwtEncoder jwtEncoder(Secrets secrets) {
        return new NimbusJwtEncoder(new ImmutableSecret<>(secrets.signingKey()));
    }

    @Bean
    public RevokedPrincipals revokedPrincipals(Credentials credentials) {
        return new RevokedPrincipals(credentials::isRevoked);
    }

    /**
     * Requests Spring Security's firewall refuses (encoded slashes, "..", ";" or NUL in the path) are answered 400
     * problem+json like every other malformed request, not with the servlet container's error page.
     */
    @Bean
    public WebSecurityCustomizer rejectedRequestsAsProblems(ObjectMapper mapper) {
        return web -> web.requestRejectedHandler((request, response, e) -> Problems.write(response, mapper,
                ErrorCode.MALFORMED_REQUEST, "The request path or headers are not acceptable"));
    }

    /** Lets an encoded slash in a path reach the firewall above instead of Tomcat's HTML error page. */
    @Bean
    public WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashesToTheFirewall() {
        return factory -> factory.addConnectorCustomizers(connector ->
                connector.setEncodedSolidusHandling(EncodedSolidusHandling.PASS_THROUGH.getValue()));
    }

    @Bean
    public SecurityFilterChain apiSecurity(HttpSecurity http, ObjectMapper mapper, RevokedPrincipals revoked,
                                           @Value("${agentledger.rate-limit.requests-per-second:200}")
                                           long requestsPerSecond) throws Exception {
        ProblemAuthHandlers problems = new ProblemAuthHandlers(mapper);
        http.csrf(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .formLogin(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .requestCache(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .authorizeHttpRequests(requests -> requests
                        .requestMatchers(HttpMethod.POST, "/v1/auth/token").permitAll()
                        .requestMatchers("/actuator/health", "/actuator/health/**", "/v3/api-docs",
                                "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**", "/error").permitAll()
                        .anyRequest().authenticated())
                .oauth2ResourceServer(resourceServer -> resourceServer
                        .jwt(jwt -> jwt.jwtAuthenticationConverter(new CallerAuthentication(revoked)))
                        .authenticationEntryPoint(problems)
                        .accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .addFilterAfter(new PrincipalRateLimitFilter(mapper, requestsPerSecond),
                        BearerTokenAuthenticationFilter.class)
                .addFilterAfter(new CallerLoggingFilter(), PrincipalRateLimitFilter.class);
        return http.build();
    }

    private static OAuth2TokenValidator<Jwt> audience() {
        OAuth2Error wrongAudience = new OAuth2Error("invalid_token", "The token is not meant for this API", null);
        return jwt -> jwt.getAudience() != null && jwt.getAudience().contains(AUDIENCE)
                ? OAuth2TokenValidatorResult.success()
                : OAuth2TokenValidatorResult.failure(wrongAudience);
    }
}
