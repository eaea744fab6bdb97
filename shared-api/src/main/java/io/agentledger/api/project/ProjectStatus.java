package io.agentledger.api.project;

public enum ProjectStatus {
    ACTIVE,
    ARCHIVED
}
