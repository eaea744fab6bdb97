package io.agentledger.command.web;

import io.agentledger.api.common.Caller;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The one place that says who sent a request. Until authentication lands every request acts as the admin of the
 * default tenant; the security filter chain will supply the real principal here.
 */
public final class Callers {

    static final Caller UNAUTHENTICATED_ADMIN = new Caller(Caller.DEFAULT_TENANT, "anonymous", "admin");

    private Callers() {
    }

    public static Caller of(HttpServletRequest request) {
        return UNAUTHENTICATED_ADMIN;
    }
}
