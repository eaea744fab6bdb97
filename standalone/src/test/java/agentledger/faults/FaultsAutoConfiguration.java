package agentledger.faults;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

/** Loaded only where a test puts this package on the packaged jar's {@code loader.path}. */
@AutoConfiguration
public class FaultsAutoConfiguration {

    @Bean
    FilterRegistrationBean<HoldAnswerFilter> holdAnswerFilter() {
        FilterRegistrationBean<HoldAnswerFilter> registration = new FilterRegistrationBean<>(new HoldAnswerFilter());
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        return registration;
    }
}
