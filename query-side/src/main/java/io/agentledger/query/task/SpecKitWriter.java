package io.agentledger.query.task;

import io.agentledger.api.task.TaskStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Writes a project's plan as a spec-kit {@code tasks.md}: the imported phases and sub-headings in their order, each
 * task line with its markers, its current title, an explicit depends-on list as imported, and a checked box when
 * the task is COMPLETED. Importing what it writes changes nothing.
 */
final class SpecKitWriter {

    private static final String ELLIPSIS = "…";

    private SpecKitWriter() {
    }

    static String write(String projectName, TaskPlan plan) {
        List<String> out = new ArrayList<>();
        out.add("# Tasks: " + oneLine(projectName));
        out.add("");
        for (TaskPlan.Phase phase : plan.phases()) {
            out.add("## " + phase.heading());
            out.add("");
            String section = null;
            for (TaskPlan.Line line : phase.lines()) {
                if (line.section() != null && !Objects.equals(line.section(), section)) {
                    if (!out.get(out.size() - 1).isEmpty()) {
                        out.add("");
                    }
                    out.add("### " + line.section());
                    out.add("");
                    section = line.section();
                }
                out.add(taskLine(line));
            }
            if (!out.get(out.size() - 1).isEmpty()) {
                out.add("");
            }
            out.add("---");
            out.add("");
        }
        return String.join("\n", out);
    }

    private static String taskLine(TaskPlan.Line line) {
        StringBuilder text = new StringBuilder("- [").append(line.status() == TaskStatus.COMPLETED ? 'X' : ' ')
                .append("] ").append(line.externalRef());
        if (line.parallel()) {
            text.append(" [P]");
        }
        if (line.story() != null) {
            text.append(" [").append(line.story()).append(']');
        }
        text.append(' ').append(oneLine(lineText(line)));
        if (!line.dependsOn().isEmpty()) {
            text.append(" (depends on ").append(String.join(", ", line.dependsOn())).append(')');
        }
        return text.toString();
    }

    /** A line too long for a title was imported as a shortened title with the whole line as description. */
    private static String lineText(TaskPlan.Line line) {
        String title = line.title();
        if (line.description() != null && title.endsWith(ELLIPSIS)
                && line.description().startsWith(title.substring(0, title.length() - ELLIPSIS.length()))) {
            return line.description();
        }
        return title;
    }

    private static String oneLine(String text) {
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
