package io.agentledger.api.task;

public enum TaskStatus {
    BLOCKED,
    READY,
    IN_PROGRESS,
    COMPLETED,
    FAILED,
    CANCELLED
}
