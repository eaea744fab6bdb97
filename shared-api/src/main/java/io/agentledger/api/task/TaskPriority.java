package io.agentledger.api.task;

/** Declared from most to least urgent: claim-next takes the lowest rank first. */
public enum TaskPriority {
    CRITICAL,
    HIGH,
    MEDIUM,
    LOW;

    public int rank() {
        return ordinal();
    }
}
