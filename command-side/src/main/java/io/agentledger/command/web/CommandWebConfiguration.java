package io.agentledger.command.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import java.time.Clock;
import java.util.List;

@Configuration(proxyBeanMethods = false)
public class CommandWebConfiguration implements WebMvcConfigurer {

    /** Request bodies above this size are refused with 413 before anything parses them. */
    public static final int MAX_BODY_BYTES = 1024 * 1024;
    /** The limit of the plan imports instead: a real Task Master tasks.json of nine tags is 1.5 MB. */
    public static final int MAX_IMPORT_BODY_BYTES = 16 * 1024 * 1024;

    @Override
    public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
        resolvers.add(new CallerArgumentResolver());
    }

    @Bean
    public FilterRegistrationBean<RequestIdFilter> requestIdFilter() {
        FilterRegistrationBean<RequestIdFilter> registration = new FilterRegistrationBean<>(new RequestIdFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }

    @Bean
    public FilterRegistrationBean<RequestBodyFilter> requestBodyFilter(ObjectMapper mapper) {
        FilterRegistrationBean<RequestBodyFilter> registration =
                new FilterRegistrationBean<>(new RequestBodyFilter(mapper, MAX_BODY_BYTES, MAX_IMPORT_BODY_BYTES));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 1);
        return registration;
    }

    /** Outside Spring Security's chain (at -100): a database that cannot be reached there is a 503, not a 500. */
    @Bean
    public FilterRegistrationBean<DatabaseUnavailableFilter> databaseUnavailableFilter(ObjectMapper mapper) {
        FilterRegistrationBean<DatabaseUnavailableFilter> registration =
                new FilterRegistrationBean<>(new DatabaseUnavailableFilter(mapper));
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE + 2);
        return registration;
    }

    /** Runs after authentication (Spring Security's chain sits at -100), so keys are scoped to the principal. */
    @Bean
    public FilterRegistrationBean<IdempotencyFilter> idempotencyFilter(JdbcTemplate jdbc, ObjectMapper mapper,
                                                                       PlatformTransactionManager transactions) {
        FilterRegistrationBean<IdempotencyFilter> registration =
                new FilterRegistrationBean<>(new IdempotencyFilter(jdbc, mapper, Clock.systemUTC(), transactions));
        registration.setOrder(0);
        return registration;
    }
}
