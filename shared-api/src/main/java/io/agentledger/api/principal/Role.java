package io.agentledger.api.principal;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

import java.util.Locale;

/** What a principal may do. All but {@code operator} act within one tenant; the operator creates tenants. */
public enum Role {
    ADMIN,
    AGENT,
    AUDITOR,
    ANALYST,
    OPERATOR;

    @JsonValue
    public String json() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for a name that is not a role */
    @JsonCreator
    public static Role of(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
