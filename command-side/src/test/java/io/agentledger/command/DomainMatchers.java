package io.agentledger.command;

import io.agentledger.api.common.ErrorCode;
import org.hamcrest.CustomTypeSafeMatcher;
import org.hamcrest.Matcher;

import java.util.function.Predicate;

/** Matchers for aggregate fixture tests: refusals by their stable code, results by what they hold. */
public final class DomainMatchers {

    private DomainMatchers() {
    }

    public static Matcher<DomainException> hasCode(ErrorCode code) {
        return new CustomTypeSafeMatcher<>("a domain exception with code " + code) {
            @Override
            protected boolean matchesSafely(DomainException item) {
                return item.code() == code;
            }
        };
    }

    public static <T> Matcher<Object> resultMatching(Class<T> type, Predicate<T> check) {
        return new CustomTypeSafeMatcher<>("a matching " + type.getSimpleName()) {
            @Override
            protected boolean matchesSafely(Object item) {
                return type.isInstance(item) && check.test(type.cast(item));
            }
        };
    }
}
