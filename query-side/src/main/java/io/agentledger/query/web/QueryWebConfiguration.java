package io.agentledger.query.web;

import io.agentledger.api.common.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.util.List;

@Configuration(proxyBeanMethods = false)
public class QueryWebConfiguration implements WebMvcConfigurer {

    /**
     * Until authentication lands every request reads as the admin of the default tenant; the security filter chain
     * will supply the real caller here and nowhere else, and every query takes its tenant from it.
     */
    static final Caller UNAUTHENTICATED_ADMIN = new Caller(Caller.DEFAULT_TENANT, "anonymous", "admin");

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
                return callerOf(webRequest.getNativeRequest(HttpServletRequest.class));
            }
        });
    }

    static Caller callerOf(HttpServletRequest request) {
        return UNAUTHENTICATED_ADMIN;
    }
}
