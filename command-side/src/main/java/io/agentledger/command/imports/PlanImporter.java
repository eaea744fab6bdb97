package io.agentledger.command.imports;

import io.agentledger.api.common.Caller;
import io.agentledger.api.project.PlanItem;
import io.agentledger.api.project.PlanPhase;
import io.agentledger.api.project.RecordProjectPlanCommand;
import io.agentledger.api.task.CancelTaskCommand;
import io.agentledger.api.task.CreateTaskCommand;
import io.agentledger.api.task.EditTaskCommand;
import io.agentledger.api.task.MarkTaskCompletedCommand;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.command.registry.RegisteredTask;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.task.TaskRules;
import io.agentledger.command.web.CommandSender;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;

/**
 * Brings a project's tasks in line with a plan, idempotently by external ref: a task the project does not have yet
 * is created (dependencies first, so each names tasks that exist), one whose content changed is edited, one the plan
 * marks finished is completed or cancelled; nothing is deleted, and a finished task is left as it is. The plan is
 * checked whole before the first command, and the commands share one transaction, so an import takes effect
 * entirely or not at all.
 */
@Component
class PlanImporter {

    static final int MAX_ATTEMPTS = 3;
    static final int LEASE_SECONDS = 900;
    static final String CANCELLED_REASON = "Cancelled in the imported plan";

    private final Registry registry;
    private final CommandSender commands;
    private final TransactionTemplate transaction;

    PlanImporter(Registry registry, CommandSender commands, PlatformTransactionManager transactions) {
        this.registry = registry;
        this.commands = commands;
        this.transaction = new TransactionTemplate(transactions);
    }

    ImportResult importPlan(Caller caller, String projectId, ImportPlan plan) {
        registry.requireActiveProject(caller.tenantId(), projectId);
        List<PlannedTask> order = PlanValidator.creationOrder(plan.tasks());
        return transaction.execute(status -> apply(caller, projectId, plan, order));
    }

    private ImportResult apply(Caller caller, String projectId, ImportPlan plan, List<PlannedTask> order) {
        String tenantId = caller.tenantId();
        Map<String, RegisteredTask> existing = registry.tasksByExternalRef(tenantId, projectId,
                order.stream().map(PlannedTask::externalRef).toList());
        Map<String, String> ids = new HashMap<>();
        existing.forEach((ref, task) -> ids.put(ref, task.taskId()));
        int created = 0;
        int updated = 0;
        for (PlannedTask task : order) {
            RegisteredTask current = existing.get(task.externalRef());
            if (current == null) {
                ids.put(task.externalRef(), create(caller, projectId, task, ids));
                created++;
            } else if (update(caller, task, current)) {
                updated++;
            }
        }
        if (!plan.layout().isEmpty()) {
            commands.send(new RecordProjectPlanCommand(projectId, tenantId, withTaskIds(plan.layout(), ids)), caller);
        }
        List<ImportResult.ImportedTask> tasks = plan.tasks().stream()
                .map(task -> new ImportResult.ImportedTask(task.externalRef(), ids.get(task.externalRef())))
                .toList();
        return new ImportResult(created, updated, order.size() - created - updated, tasks, plan.warnings());
    }

    private String create(Caller caller, String projectId, PlannedTask task, Map<String, String> ids) {
        String id = UUID.randomUUID().toString();
        List<String> dependsOn = task.dependsOn().stream().map(ids::get).toList();
        Map<String, TaskStatus> statuses = registry.statusesInProject(caller.tenantId(), projectId, dependsOn);
        List<String> unmet = dependsOn.stream().filter(d -> statuses.get(d) != TaskStatus.COMPLETED).toList();
        commands.send(new CreateTaskCommand(id, caller.tenantId(), projectId, task.title(), task.description(),
                task.priority(), task.labels(), List.of(), dependsOn, unmet, task.externalRef(), MAX_ATTEMPTS,
                LEASE_SECONDS), caller);
        finish(caller, id, task.finalStatus());
        return id;
    }

    /** Answers whether anything changed. A finished task is history: the plan does not change it any more. */
    private boolean update(Caller caller, PlannedTask task, RegisteredTask current) {
        if (current.terminal()) {
            return false;
        }
        boolean edited = !task.title().equals(current.title())
                || !Objects.equals(task.description(), current.description())
                || task.priority() != current.priority()
                || !TaskRules.validLabels(task.labels()).equals(current.labels());
        if (edited) {
            commands.send(new EditTaskCommand(current.taskId(), caller.tenantId(), task.title(),
                    task.description(), task.priority(), task.labels()), caller);
        }
        return finish(caller, current.taskId(), task.finalStatus()) || edited;
    }

    private boolean finish(Caller caller, String taskId, TaskStatus finalStatus) {
        if (finalStatus == TaskStatus.COMPLETED) {
            commands.send(new MarkTaskCompletedCommand(taskId, caller.tenantId()), caller);
            return true;
        }
        if (finalStatus == TaskStatus.CANCELLED) {
            commands.send(new CancelTaskCommand(taskId, caller.tenantId(), CANCELLED_REASON), caller);
            return true;
        }
        return false;
    }

    private static List<PlanPhase> withTaskIds(List<PlanPhase> layout, Map<String, String> ids) {
        return layout.stream().map(phase -> new PlanPhase(phase.heading(), phase.items().stream()
                .map(item -> new PlanItem(ids.get(item.externalRef()), item.externalRef(), item.section(),
                        item.parallel(), item.story(), item.dependsOn()))
                .toList())).toList();
    }
}
