package io.agentledger.query.web;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.TenantScoped;
import org.axonframework.messaging.MessageHandlerInterceptor;
import org.axonframework.queryhandling.QueryBus;
import org.axonframework.queryhandling.QueryMessage;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.security.authentication.AuthenticationCredentialsNotFoundException;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;
import java.util.Optional;

/**
 * Who asks, and the rule that keeps tenants apart: every query names a tenant ({@link TenantScoped}), and the
 * query bus refuses to answer a query for any tenant but the caller's. A new query cannot forget it.
 */
@Configuration(proxyBeanMethods = false)
public class QueryWebConfiguration implements WebMvcConfigurer {

    QueryWebConfiguration(QueryBus queryBus) {
        queryBus.registerHandlerInterceptor(tenantScope());
    }

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new HandlerMethodArgumentResolver() {
            @Override
            public boolean supportsParameter(MethodParameter parameter) {
                return Caller.class.equals(parameter.getParameterType());
            }

            @Override
            public Caller resolveArgument(MethodParameter parameter, ModelAndViewContainer mavContainer,
                                          NativeWebRequest webRequest, WebDataBinderFactory binderFactory) {
                return currentCaller().orElseThrow(
                        () -> new AuthenticationCredentialsNotFoundException("No authenticated caller"));
            }
        });
    }

    /** The caller of the current request, from its verified access token. */
    public static Optional<Caller> currentCaller() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        if (authentication instanceof JwtAuthenticationToken token) {
            List<String> capabilities = token.getToken().getClaimAsStringList("capabilities");
            return Optional.of(new Caller(token.getToken().getClaimAsString("tenant"), token.getName(),
                    token.getToken().getClaimAsString("role"), capabilities == null ? List.of() : capabilities));
        }
        return Optional.empty();
    }

    static MessageHandlerInterceptor<QueryMessage<?, ?>> tenantScope() {
        return (unitOfWork, chain) -> {
            Object query = unitOfWork.getMessage().getPayload();
            if (!(query instanceof TenantScoped scoped)) {
                throw new IllegalStateException(query.getClass().getName() + " does not name its tenant");
            }
            Optional<Caller> caller = currentCaller();
            if (caller.isPresent() && !caller.get().tenantId().equals(scoped.tenantId())) {
                throw new IllegalStateException("A query for another tenant than the caller's was refused");
            }
            return chain.proceed();
        };
    }
}
