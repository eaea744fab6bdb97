package io.agentledger.command.imports;

import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.DomainException;
import io.agentledger.command.task.TaskRules;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a spec-kit {@code tasks.md}: phases ({@code ## Phase N: Name}), sub-headings, and task lines
 * ({@code - [ ] T012 [P] [US1] Description}, {@code [X]} when done). The phase decides a task's priority and its
 * implicit dependencies; an explicit {@code (depends on T010, T011)} adds to them. Other text, other level-2
 * headings and fenced code are not part of the plan. The rules are described in docs/imports.md.
 */
final class SpecKitParser {

    private static final Pattern PHASE = Pattern.compile("^##\\s+(Phase\\s+\\d+\\s*:\\s*(.+?))\\s*$",
            Pattern.CASE_INSENSITIVE);
    private static final Pattern LEVEL_TWO = Pattern.compile("^##\\s.*$");
    private static final Pattern SUB_HEADING = Pattern.compile("^#{3,6}\\s+(.+?)\\s*$");
    private static final Pattern FENCE = Pattern.compile("^\\s*(```|~~~).*$");
    private static final Pattern CHECKBOX = Pattern.compile("^\\s*[-*+]\\s+\\[([ xX])]\\s*(.*)$");
    private static final Pattern TASK_ID = Pattern.compile("^(T\\d+)(?:\\s+(.*))?$");
    private static final Pattern MARKER = Pattern.compile("^\\[(P|US\\d+)]\\s*(.*)$");
    private static final Pattern DEPENDS_ON = Pattern.compile(
            "\\s*\\(\\s*depends\\s+on\\s+(T\\d+(?:\\s*(?:,|and)\\s*T\\d+)*)\\s*\\)", Pattern.CASE_INSENSITIVE);
    private static final Pattern DEPENDENCY_ID = Pattern.compile("T\\d+");
    private static final Pattern STORY_PRIORITY = Pattern.compile("\\s*\\(\\s*Priority\\s*:\\s*P(\\d{1,9})\\s*\\)",
            Pattern.CASE_INSENSITIVE);
    private static final String ELLIPSIS = "…";

    private SpecKitParser() {
    }

    /** @throws DomainException VALIDATION_FAILED naming the line of the first thing that is not a plan */
    static ImportPlan parse(String markdown) {
        try {
            return parse(new StringReader(markdown == null ? "" : markdown));
        } catch (IOException e) {
            throw new UncheckedIOException("a string cannot fail to be read", e);
        }
    }

    /**
     * Reads the plan line by line as it arrives, so a large body is never held whole.
     *
     * @throws DomainException VALIDATION_FAILED naming the line of the first thing that is not a plan
     * @throws IOException when the body cannot be read (or runs past its limit)
     */
    static ImportPlan parse(Reader markdown) throws IOException {
        List<Phase> phases = new ArrayList<>();
        Phase phase = null;
        String section = null;
        boolean fenced = false;
        LineReader lines = new LineReader(markdown);
        int number = 0;
        for (String line = lines.next(); line != null; line = lines.next()) {
            String source = "line " + (++number);
            if (FENCE.matcher(line).matches()) {
                fenced = !fenced;
                continue;
            }
            if (fenced) {
                continue;
            }
            Matcher matcher;
            if ((matcher = PHASE.matcher(line)).matches()) {
                phase = new Phase(matcher.group(1), matcher.group(2), new ArrayList<>());
                phases.add(phase);
                section = null;
            } else if (LEVEL_TWO.matcher(line).matches()) {
                phase = null;
            } else if ((matcher = SUB_HEADING.matcher(line)).matches()) {
                section = matcher.group(1);
            } else if ((matcher = CHECKBOX.matcher(line)).matches()) {
                if (phase == null) {
                    throw DomainException.invalid(source, "is a task line outside a \"## Phase N: Name\" heading");
                }
                phase.lines().add(taskLine(source, !matcher.group(1).isBlank(), matcher.group(2), section));
            }
        }
        if (phases.stream().allMatch(p -> p.lines().isEmpty())) {
            throw DomainException.invalid("body", "has no task lines (\"- [ ] T001 Description\")");
        }
        return new ImportPlan(plannedTasks(phases), layout(phases), List.of());
    }

    /**
     * Lines as {@code \\R} separates them (a line feed, carriage return, both, or another Unicode line break), so
     * line numbers are the ones an editor shows.
     */
    private static final class LineReader {

        private final Reader in;
        private final StringBuilder line = new StringBuilder();
        private int pending = -1;

        LineReader(Reader in) {
            this.in = in instanceof BufferedReader ? in : new BufferedReader(in);
        }

        /** The next line without its break, or null at the end. */
        String next() throws IOException {
            line.setLength(0);
            int c = pending >= 0 ? pending : in.read();
            pending = -1;
            if (c < 0) {
                return null;
            }
            while (c >= 0 && !isBreak(c)) {
                line.append((char) c);
                c = in.read();
            }
            if (c == '\r') {
                int after = in.read();
                if (after != '\n') {
                    pending = after;
                }
            }
            return line.toString();
        }

        private static boolean isBreak(int c) {
            return c == '\n' || c == '\u000B' || c == '\f' || c == '\r' || c == '\u0085' || c == '\u2028'
                    || c == '\u2029';
        }
    }

    private static TaskLine taskLine(String source, boolean done, String afterBox, String section) {
        Matcher id = TASK_ID.matcher(afterBox.strip());
        if (!id.matches()) {
            throw DomainException.invalid(source, "has no task id like T001 after its checkbox");
        }
        String rest = id.group(2) == null ? "" : id.group(2);
        boolean parallel = false;
        String story = null;
        Matcher marker;
        while ((marker = MARKER.matcher(rest)).matches()) {
            if ("P".equals(marker.group(1))) {
                parallel = true;
            } else {
                story = marker.group(1);
            }
            rest = marker.group(2);
        }
        List<String> explicit = new ArrayList<>();
        Matcher depends = DEPENDS_ON.matcher(rest);
        while (depends.find()) {
            Matcher ids = DEPENDENCY_ID.matcher(depends.group(1));
            while (ids.find()) {
                explicit.add(ids.group());
            }
        }
        String text = DEPENDS_ON.matcher(rest).replaceAll("").strip();
        if (text.isEmpty()) {
            throw DomainException.invalid(source, "has no description after task id " + id.group(1));
        }
        if (text.length() > TaskRules.MAX_DESCRIPTION) {
            throw DomainException.invalid(source, "is longer than " + TaskRules.MAX_DESCRIPTION + " characters");
        }
        return new TaskLine(source, id.group(1), done, parallel, story, section, text,
                List.copyOf(new LinkedHashSet<>(explicit)));
    }

    private static List<PlannedTask> plannedTasks(List<Phase> phases) {
        List<String> setup = refsOf(phases, Kind.SETUP);
        List<String> foundational = refsOf(phases, Kind.FOUNDATIONAL);
        List<String> stories = refsOf(phases, Kind.STORY);
        List<String> beforeStories = foundational.isEmpty() ? setup : foundational;
        List<PlannedTask> tasks = new ArrayList<>();
        for (Phase phase : phases) {
            List<String> gate = switch (phase.kind()) {
                case SETUP -> List.of();
                case FOUNDATIONAL -> setup;
                case STORY -> beforeStories;
                case POLISH -> stories.isEmpty() ? beforeStories : stories;
            };
            TaskLine previous = null;
            for (TaskLine line : phase.lines()) {
                Set<String> dependsOn = new LinkedHashSet<>(gate);
                if (!line.parallel() && previous != null) {
                    dependsOn.add(previous.id());
                }
                dependsOn.addAll(line.explicitDependsOn());
                List<String> labels = line.story() == null ? List.of(phase.label())
                        : List.of(line.story(), phase.label());
                tasks.add(new PlannedTask(line.source(), line.id(), title(line.text()),
                        line.text().length() > TaskRules.MAX_TITLE ? line.text() : null, phase.priority(), labels,
                        List.copyOf(dependsOn), line.done() ? TaskStatus.COMPLETED : null));
                previous = line;
            }
        }
        return tasks;
    }

    private static List<PlanPhase> layout(List<Phase> phases) {
        return phases.stream().map(phase -> new PlanPhase(phase.heading(), phase.lines().stream()
                .map(line -> new PlanItem(null, line.id(), line.section(), line.parallel(), line.story(),
                        line.explicitDependsOn()))
                .toList())).toList();
    }

    private static List<String> refsOf(List<Phase> phases, Kind kind) {
        return phases.stream().filter(p -> p.kind() == kind)
                .flatMap(p -> p.lines().stream().map(TaskLine::id)).toList();
    }

    /** A line longer than a title may be is cut at a word; the whole line is then the task's description. */
    static String title(String text) {
        if (text.length() <= TaskRules.MAX_TITLE) {
            return text;
        }
        int cut = text.lastIndexOf(' ', TaskRules.MAX_TITLE - 1);
        if (cut < TaskRules.MAX_TITLE / 2) {
            cut = TaskRules.MAX_TITLE - 1;
        }
        return text.substring(0, cut).strip() + ELLIPSIS;
    }

    private enum Kind {
        SETUP, FOUNDATIONAL, STORY, POLISH;

        static Kind of(String phaseName) {
            String name = phaseName.toLowerCase(Locale.ROOT);
            if (name.startsWith("setup")) {
                return SETUP;
            }
            if (name.startsWith("foundational")) {
                return FOUNDATIONAL;
            }
            return name.startsWith("polish") ? POLISH : STORY;
        }
    }

    private record Phase(String heading, String name, List<TaskLine> lines) {

        Kind kind() {
            return Kind.of(name);
        }

        /** Setup and Foundational block everything, Polish waits for everything; a story says how urgent it is. */
        TaskPriority priority() {
            return switch (kind()) {
                case SETUP, FOUNDATIONAL -> TaskPriority.HIGH;
                case POLISH -> TaskPriority.LOW;
                case STORY -> {
                    Matcher matcher = STORY_PRIORITY.matcher(name);
                    if (!matcher.find()) {
                        yield TaskPriority.MEDIUM;
                    }
                    int level = Integer.parseInt(matcher.group(1));
                    yield level <= 1 ? TaskPriority.HIGH : level == 2 ? TaskPriority.MEDIUM : TaskPriority.LOW;
                }
            };
        }

        /** The phase's name without its priority, short enough to be a label. */
        String label() {
            String label = STORY_PRIORITY.matcher(name).replaceAll("").strip();
            return label.length() <= TaskRules.MAX_NAME_LENGTH ? label
                    : label.substring(0, TaskRules.MAX_NAME_LENGTH).strip();
        }
    }

    private record TaskLine(String source, String id, boolean done, boolean parallel, String story, String section,
                            String text, List<String> explicitDependsOn) {
    }
}
