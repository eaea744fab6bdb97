package io.agentledger.command;

/** The process makes no outbound calls: Axon's update checker phones home unless told not to. */
public final class AxonUpdateCheck {

    private AxonUpdateCheck() {
    }

    public static void disable() {
        System.setProperty("axoniq.update-checker.disabled", "true");
    }
}
