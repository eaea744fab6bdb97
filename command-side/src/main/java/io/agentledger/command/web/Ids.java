package io.agentledger.command.web;

/** The form of ids a client may choose itself on create: a UUID in its usual textual form. */
public final class Ids {

    public static final String UUID_PATTERN =
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$";

    private Ids() {
    }
}
