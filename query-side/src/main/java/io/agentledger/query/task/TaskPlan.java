package io.agentledger.query.task;

import io.agentledger.api.task.TaskStatus;

import java.util.List;

/** A project's imported plan as it stands: the layout of the import with each task's current title and status. */
record TaskPlan(List<Phase> phases) {

    record Phase(String heading, List<Line> lines) {
    }

    /** {@code dependsOn} is the line's explicit dependency list (plan ids); the phase rules imply the rest. */
    record Line(String externalRef, String section, boolean parallel, String story, List<String> dependsOn,
                String title, String description, TaskStatus status) {
    }
}
