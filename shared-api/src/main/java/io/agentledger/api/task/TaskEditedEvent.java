package io.agentledger.api.task;

import org.axonframework.serialization.Revision;

import java.util.List;

/** The task's editable fields after the edit (all present). */
@Revision("1")
public record TaskEditedEvent(String taskId,
                              String tenantId,
                              String projectId,
                              String title,
                              String description,
                              TaskPriority priority,
                              List<String> labels) {
}
