package io.agentledger.query.web;

import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import org.springframework.context.annotation.Configuration;

/**
 * The OpenAPI document (/v3/api-docs, Swagger UI): every operation takes the access token of POST /v1/auth/token
 * as a bearer token.
 */
@Configuration(proxyBeanMethods = false)
@OpenAPIDefinition(info = @Info(title = "AgentLedger API", version = "v1"),
        security = @SecurityRequirement(name = QueryApiDocumentation.BEARER))
@SecurityScheme(name = QueryApiDocumentation.BEARER, type = SecuritySchemeType.HTTP, scheme = "bearer",
        bearerFormat = "JWT", description = "The accessToken of POST /v1/auth/token")
public class QueryApiDocumentation {

    public static final String BEARER = "bearerAuth";
}
