package io.agentledger.command.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.ErrorCode;
import io.agentledger.api.task.CancelTaskCommand;
import io.agentledger.api.task.ClaimTaskCommand;
import io.agentledger.api.task.ClaimedTaskView;
import io.agentledger.api.task.CompleteTaskCommand;
import io.agentledger.api.task.CreateTaskCommand;
import io.agentledger.api.task.EditTaskCommand;
import io.agentledger.api.task.FailTaskCommand;
import io.agentledger.api.task.HeartbeatTaskCommand;
import io.agentledger.api.task.Learning;
import io.agentledger.api.task.ReleaseTaskCommand;
import io.agentledger.api.task.TaskPriority;
import io.agentledger.api.task.TaskStatus;
import io.agentledger.api.task.TaskView;
import io.agentledger.command.DomainException;
import io.agentledger.command.knowledge.RelatedKnowledgeFinder;
import io.agentledger.command.registry.Registry;
import io.agentledger.command.web.CommandSender;
import io.agentledger.command.web.Ids;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;

@RestController
class TaskController {

    private final CommandSender commands;
    private final Registry registry;
    private final ClaimDispenser dispenser;
    private final RelatedKnowledgeFinder knowledge;

    TaskController(CommandSender commands, Registry registry, ClaimDispenser dispenser,
                   RelatedKnowledgeFinder knowledge) {
        this.commands = commands;
        this.registry = registry;
        this.dispenser = dispenser;
        this.knowledge = knowledge;
    }

    /** Set-based rules are checked against the command side's registry, which never lags behind the store. */
    @PostMapping("/v1/projects/{projectId}/tasks")
    @PreAuthorize("hasAnyRole('ADMIN', 'AGENT')")
    ResponseEntity<TaskView> create(@PathVariable String projectId, @Valid @RequestBody CreateTaskRequest request,
                                    Caller caller) {
        requireActiveProject(caller, projectId);
        String id = request.id() == null ? UUID.randomUUID().toString() : request.id().toLowerCase();
        List<String> dependsOn = request.dependsOn() == null ? List.of()
                : List.copyOf(new LinkedHashSet<>(request.dependsOn()));
        Map<String, TaskStatus> dependencies = registry.statusesInProject(caller.tenantId(), projectId, dependsOn);
        List<String> unknown = dependsOn.stream().filter(d -> !dependencies.containsKey(d)).toList();
        if (!unknown.isEmpty()) {
            throw new DomainException(ErrorCode.UNKNOWN_DEPENDENCY,
                    "No tasks " + unknown + " in project " + projectId);
        }
        List<String> unmet = dependsOn.stream().filter(d -> dependencies.get(d) != TaskStatus.COMPLETED).toList();
        TaskView task = commands.send(new CreateTaskCommand(id, caller.tenantId(), projectId, request.title(),
                request.description(), request.priority(), request.labels(), request.requiredCapabilities(),
                dependsOn, unmet, request.externalRef(),
                request.maxAttempts() == null ? 3 : request.maxAttempts(),
                request.leaseSeconds() == null ? 900 : request.leaseSeconds()), caller);
        return ResponseEntity.created(URI.create("/v1/tasks/" + id)).body(task);
    }

    @PatchMapping("/v1/tasks/{id}")
    @PreAuthorize("hasAnyRole('ADMIN', 'AGENT')")
    TaskView edit(@PathVariable String id, @Valid @RequestBody EditTaskRequest request, Caller caller) {
        return commands.send(new EditTaskCommand(id, caller.tenantId(), request.title(), request.description(),
                request.priority(), request.labels()), caller);
    }

    @PostMapping("/v1/tasks/{id}/claim")
    @PreAuthorize("hasRole('AGENT')")
    ClaimedTaskView claim(@PathVariable String id, @Valid @RequestBody(required = false) ClaimRequest request,
                          Caller caller) {
        if (registry.projectOfTaskArchived(caller.tenantId(), id).orElse(false)) {
            throw new DomainException(ErrorCode.PROJECT_ARCHIVED, "The task's project is archived");
        }
        TaskView task = commands.send(new ClaimTaskCommand(id, caller.tenantId(), caller.principalId(),
                caller.capabilities(), UUID.randomUUID().toString(), request == null ? null : request.leaseSeconds()),
                caller);
        return withKnowledge(caller, task);
    }

    @PostMapping("/v1/projects/{projectId}/tasks/claim-next")
    @PreAuthorize("hasRole('AGENT')")
    ResponseEntity<ClaimedTaskView> claimNext(@PathVariable String projectId,
                                       @Valid @RequestBody(required = false) ClaimNextRequest request,
                                       Caller caller) throws InterruptedException {
        requireActiveProject(caller, projectId);
        List<String> labels = request == null || request.labels() == null ? List.of()
                : request.labels().stream().map(l -> l.strip().toLowerCase()).toList();
        int wait = request == null || request.waitSeconds() == null ? 0 : request.waitSeconds();
        return dispenser.claimNext(caller, projectId, labels, wait)
                .map(task -> ResponseEntity.ok(withKnowledge(caller, task)))
                .orElseGet(() -> ResponseEntity.noContent().build());
    }

    @PostMapping("/v1/tasks/{id}/heartbeat")
    @PreAuthorize("hasRole('AGENT')")
    TaskView heartbeat(@PathVariable String id, @Valid @RequestBody LeaseRequest request, Caller caller) {
        return commands.send(new HeartbeatTaskCommand(id, caller.tenantId(), caller.principalId(),
                request.leaseId()), caller);
    }

    @PostMapping("/v1/tasks/{id}/complete")
    @PreAuthorize("hasRole('AGENT')")
    TaskView complete(@PathVariable String id, @Valid @RequestBody CompleteRequest request, Caller caller) {
        return commands.send(new CompleteTaskCommand(id, caller.tenantId(), caller.principalId(), request.leaseId(),
                request.result(), request.learnings()), caller);
    }

    @PostMapping("/v1/tasks/{id}/fail")
    @PreAuthorize("hasRole('AGENT')")
    TaskView fail(@PathVariable String id, @Valid @RequestBody FailRequest request, Caller caller) {
        return commands.send(new FailTaskCommand(id, caller.tenantId(), caller.principalId(), request.leaseId(),
                request.reason(), request.retryable() == null || request.retryable()), caller);
    }

    @PostMapping("/v1/tasks/{id}/release")
    @PreAuthorize("hasAnyRole('ADMIN', 'AGENT')")
    TaskView release(@PathVariable String id, @Valid @RequestBody(required = false) ReleaseRequest request,
                     Caller caller) {
        boolean byAdmin = "admin".equals(caller.role());
        String leaseId = request == null ? null : request.leaseId();
        if (!byAdmin && leaseId == null) {
            throw DomainException.invalid("leaseId", "is required for the claimant");
        }
        return commands.send(new ReleaseTaskCommand(id, caller.tenantId(), caller.principalId(), leaseId, byAdmin),
                caller);
    }

    @PostMapping("/v1/tasks/{id}/cancel")
    @PreAuthorize("hasRole('ADMIN')")
    TaskView cancel(@PathVariable String id, @Valid @RequestBody(required = false) CancelRequest request,
                    Caller caller) {
        return commands.send(new CancelTaskCommand(id, caller.tenantId(), request == null ? null : request.reason()),
                caller);
    }

    private ClaimedTaskView withKnowledge(Caller caller, TaskView task) {
        return new ClaimedTaskView(task, knowledge.relatedTo(caller.tenantId(), task));
    }

    private void requireActiveProject(Caller caller, String projectId) {
        registry.requireActiveProject(caller.tenantId(), projectId);
    }

    record CreateTaskRequest(@Pattern(regexp = Ids.UUID_PATTERN, message = "must be a UUID") String id,
                             @NotBlank @Size(max = TaskRules.MAX_TITLE) String title,
                             @Size(max = TaskRules.MAX_DESCRIPTION) String description,
                             TaskPriority priority,
                             @Size(max = TaskRules.MAX_NAMES) List<@NotNull String> labels,
                             @Size(max = TaskRules.MAX_NAMES) List<@NotNull String> requiredCapabilities,
                             @Size(max = 100) List<@NotNull @Pattern(regexp = Ids.UUID_PATTERN,
                                     message = "must be a UUID") String> dependsOn,
                             @Size(max = TaskRules.MAX_EXTERNAL_REF) String externalRef,
                             @Min(1) @Max(TaskRules.MAX_ATTEMPTS) Integer maxAttempts,
                             @Min(TaskRules.MIN_LEASE_SECONDS) @Max(TaskRules.MAX_LEASE_SECONDS) Integer leaseSeconds) {
    }

    record EditTaskRequest(@Size(min = 1, max = TaskRules.MAX_TITLE) String title,
                           @Size(max = TaskRules.MAX_DESCRIPTION) String description,
                           TaskPriority priority,
                           @Size(max = TaskRules.MAX_NAMES) List<@NotNull String> labels) {
    }

    record ClaimRequest(@Min(TaskRules.MIN_LEASE_SECONDS) @Max(TaskRules.MAX_LEASE_SECONDS) Integer leaseSeconds) {
    }

    record ClaimNextRequest(@Size(max = TaskRules.MAX_NAMES)
                            List<@NotBlank @Size(max = TaskRules.MAX_NAME_LENGTH) String> labels,
                            @Min(0) @Max(30) Integer waitSeconds) {
    }

    record LeaseRequest(@NotBlank @Size(max = 64) String leaseId) {
    }

    record CompleteRequest(@NotBlank @Size(max = 64) String leaseId,
                           @Size(max = TaskRules.MAX_RESULT) String result,
                           @Size(max = TaskRules.MAX_LEARNINGS) List<@NotNull Learning> learnings) {
    }

    record FailRequest(@NotBlank @Size(max = 64) String leaseId,
                       @NotBlank @Size(max = TaskRules.MAX_REASON) String reason,
                       Boolean retryable) {
    }

    record ReleaseRequest(@Size(max = 64) String leaseId) {
    }

    record CancelRequest(@Size(max = TaskRules.MAX_REASON) String reason) {
    }
}
