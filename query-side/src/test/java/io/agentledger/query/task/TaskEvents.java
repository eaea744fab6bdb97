package io.agentledger.query.task;

import io.agentledger.api.task.TaskClaimedEvent;
import io.agentledger.api.task.TaskCreatedEvent;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;

import java.time.Instant;
import java.util.List;

/** Task events as the command side would append them. */
public final class TaskEvents {

    private TaskEvents() {
    }

    public static TaskCreatedEvent created(String tenant, String project, String task, String title, TaskPriority priority,
                                    List<String> labels) {
        return new TaskCreatedEvent(task, tenant, project, title, "about " + title, priority, labels,
                List.of("java"), List.of(), List.of(), "ext-" + task, 3, 900, TaskStatus.READY);
    }

    public static TaskCreatedEvent created(String project, String task, String title) {
        return created("default", project, task, title, TaskPriority.MEDIUM, List.of());
    }

    public static TaskClaimedEvent claimed(String tenant, String project, String task, String agent, int attempt) {
        return new TaskClaimedEvent(task, tenant, project, agent, "lease-" + attempt,
                Instant.parse("2030-01-01T00:00:00Z").plusSeconds(attempt), 900, attempt);
    }

    public static TaskClaimedEvent claimed(String project, String task, String agent, int attempt) {
        return claimed("default", project, task, agent, attempt);
    }
}
