package io.agentledger.command.imports;

import io.agentledger.command.DomainException;
import io.agentledger.command.task.TaskRules;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Checks a whole plan before anything is sent, so a plan that cannot be imported creates nothing: every task
 * fits the task rules, no id repeats, every dependency is a task of the plan, and there is no cycle. It answers
 * the order to create the tasks in: dependencies first, otherwise document order.
 */
final class PlanValidator {

    private PlanValidator() {
    }

    /** @throws DomainException VALIDATION_FAILED naming the task's line (or path) */
    static List<PlannedTask> creationOrder(List<PlannedTask> tasks) {
        Map<String, Integer> positions = new LinkedHashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            PlannedTask task = tasks.get(i);
            requireFits(task);
            Integer first = positions.putIfAbsent(task.externalRef(), i);
            if (first != null) {
                throw DomainException.invalid(task.source(), "repeats task id " + task.externalRef()
                        + " of " + tasks.get(first).source());
            }
        }
        for (PlannedTask task : tasks) {
            for (String dependency : task.dependsOn()) {
                if (!positions.containsKey(dependency)) {
                    throw DomainException.invalid(task.source(), "depends on " + dependency
                            + ", which is not a task of the plan");
                }
            }
        }
        return topologicalOrder(tasks, positions);
    }

    private static void requireFits(PlannedTask task) {
        if (task.externalRef().length() > TaskRules.MAX_EXTERNAL_REF) {
            throw DomainException.invalid(task.source(), "has a task id longer than "
                    + TaskRules.MAX_EXTERNAL_REF + " characters");
        }
        if (task.description() != null && task.description().length() > TaskRules.MAX_DESCRIPTION) {
            throw DomainException.invalid(task.source(), "has a description longer than "
                    + TaskRules.MAX_DESCRIPTION + " characters");
        }
    }

    /** Kahn's algorithm, always taking the earliest ready task of the document; what remains lies on a cycle. */
    private static List<PlannedTask> topologicalOrder(List<PlannedTask> tasks, Map<String, Integer> positions) {
        int[] unmet = new int[tasks.size()];
        Map<Integer, List<Integer>> dependants = new HashMap<>();
        for (int i = 0; i < tasks.size(); i++) {
            for (String dependency : tasks.get(i).dependsOn()) {
                unmet[i]++;
                dependants.computeIfAbsent(positions.get(dependency), d -> new ArrayList<>()).add(i);
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < tasks.size(); i++) {
            if (unmet[i] == 0) {
                ready.add(i);
            }
        }
        List<PlannedTask> order = new ArrayList<>(tasks.size());
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(tasks.get(next));
            for (int dependant : dependants.getOrDefault(next, List.of())) {
                if (--unmet[dependant] == 0) {
                    ready.add(dependant);
                }
            }
        }
        if (order.size() < tasks.size()) {
            throw cycle(tasks, positions, unmet);
        }
        return order;
    }

    /** Walks dependencies from the first task left over until one repeats: that stretch is a cycle. */
    private static DomainException cycle(List<PlannedTask> tasks, Map<String, Integer> positions, int[] unmet) {
        int start = 0;
        while (unmet[start] == 0) {
            start++;
        }
        List<Integer> path = new ArrayList<>();
        int current = start;
        while (!path.contains(current)) {
            path.add(current);
            current = tasks.get(current).dependsOn().stream().map(positions::get)
                    .filter(d -> unmet[d] > 0).findFirst().orElseThrow();
        }
        List<Integer> loop = path.subList(path.indexOf(current), path.size());
        StringBuilder names = new StringBuilder();
        for (int position : loop) {
            names.append(tasks.get(position).externalRef()).append(" → ");
        }
        names.append(tasks.get(current).externalRef());
        PlannedTask first = tasks.get(current);
        return DomainException.invalid(first.source(), "closes a dependency cycle " + names);
    }
}
