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
import io.agentledger.command.web.IdempotencyFilter;
import io.agentledger.command.web.Ids;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
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
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.DeferredResult;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

@RestController
class TaskController {

    /** Longer than any wait (30 s): the dispenser answers at the deadline; this only guards against a lost one. */
    static final long DEFERRED_TIMEOUT_MILLIS = 60_000;

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

    /**
     * The next READY task for the agent. A request that must wait for one answers later without holding its
     * thread; one with an {@code Idempotency-Key} waits and claims in its own thread, inside the transaction that
     * stores its answer.
     */
    @PostMapping("/v1/projects/{projectId}/tasks/claim-next")
    @PreAuthorize("hasRole('AGENT')")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = ClaimedTaskView.class)))
    @ApiResponse(responseCode = "204", description = "no task turned up in time")
    Object claimNext(@PathVariable String projectId, @Valid @RequestBody(required = false) ClaimNextRequest request,
                     @RequestHeader(value = IdempotencyFilter.HEADER, required = false) String idempotencyKey,
                     Caller caller) throws InterruptedException {
        return claimNext(projectId, request, idempotencyKey != null, caller);
    }

    /** @param here wait and claim in this thread (see {@link #claimNext(Caller, String, NextClaim, boolean)}) */
    Object claimNext(String projectId, ClaimNextRequest request, boolean here, Caller caller)
            throws InterruptedException {
        NextClaim next = request == null ? new NextClaim(null, null) : new NextClaim(request.labels(),
                request.waitSeconds());
        return answer(claimNext(caller, projectId, next, here),
                claimed -> claimed.map(ResponseEntity::ok).orElseGet(() -> ResponseEntity.noContent().build()));
    }

    @PostMapping("/v1/tasks/{id}/heartbeat")
    @PreAuthorize("hasRole('AGENT')")
    TaskView heartbeat(@PathVariable String id, @Valid @RequestBody LeaseRequest request, Caller caller) {
        return commands.send(new HeartbeatTaskCommand(id, caller.tenantId(), caller.principalId(),
                request.leaseId()), caller);
    }

    /**
     * Completes the task; with {@code next}, then claims the next task of its project for the same agent, in one
     * request. The completion stands whether or not a next task is found.
     */
    @PostMapping("/v1/tasks/{id}/complete")
    @PreAuthorize("hasRole('AGENT')")
    @ApiResponse(responseCode = "200", content = @Content(schema = @Schema(oneOf = {TaskView.class,
            CompletedWithNext.class})))
    Object complete(@PathVariable String id, @Valid @RequestBody CompleteRequest request,
                    @RequestHeader(value = IdempotencyFilter.HEADER, required = false) String idempotencyKey,
                    Caller caller) throws InterruptedException {
        return complete(id, request, idempotencyKey != null, caller);
    }

    /** @param here wait and claim the next task in this thread */
    Object complete(String id, CompleteRequest request, boolean here, Caller caller) throws InterruptedException {
        TaskView completed = commands.send(new CompleteTaskCommand(id, caller.tenantId(), caller.principalId(),
                request.leaseId(), request.result(), request.learnings()), caller);
        if (request.next() == null) {
            return completed;
        }
        return answer(claimNext(caller, completed.projectId(), request.next(), here),
                claimed -> new CompletedWithNext(completed, claimed.orElse(null)));
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

    /**
     * The claim of the next task, with its related knowledge: decided at once, waited for without a thread
     * (completes later), or, with {@code here}, waited for and claimed in this thread.
     */
    private CompletableFuture<Optional<ClaimedTaskView>> claimNext(Caller caller, String projectId, NextClaim next,
                                                                   boolean here) throws InterruptedException {
        List<String> labels = next.labels() == null ? List.of()
                : next.labels().stream().map(l -> l.strip().toLowerCase()).toList();
        int wait = next.waitSeconds() == null ? 0 : next.waitSeconds();
        CompletableFuture<Optional<TaskView>> claimed = here
                ? CompletableFuture.completedFuture(dispenser.claimNextHere(caller, projectId, labels, wait))
                : dispenser.claimNext(caller, projectId, labels, wait);
        return claimed.thenApply(task -> task.map(t -> withKnowledge(caller, t)));
    }

    /**
     * The answer itself when the claim is decided; otherwise a deferred answer, given when it is (the claim's
     * failure as a problem), or 204-like "nothing" at its deadline. A client that goes away stops the wait.
     */
    private static <T> Object answer(CompletableFuture<Optional<ClaimedTaskView>> claimed,
                                     Function<Optional<ClaimedTaskView>, T> response) {
        if (claimed.isDone()) {
            try {
                return response.apply(claimed.join());
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException failure ? failure : e;
            }
        }
        DeferredResult<T> deferred = new DeferredResult<>(DEFERRED_TIMEOUT_MILLIS);
        claimed.whenComplete((task, failure) -> {
            if (failure == null) {
                deferred.setResult(response.apply(task));
            } else {
                deferred.setErrorResult(failure instanceof CompletionException ? failure.getCause() : failure);
            }
        });
        deferred.onError(failure -> claimed.cancel(false));
        deferred.onTimeout(() -> claimed.cancel(false));
        return deferred;
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

    /** The {@code next} of a completion: which task to claim next, as claim-next's body says. */
    record NextClaim(@Size(max = TaskRules.MAX_NAMES)
                     List<@NotBlank @Size(max = TaskRules.MAX_NAME_LENGTH) String> labels,
                     @Min(0) @Max(30) Integer waitSeconds) {
    }

    /** A completion with {@code next}: the completed task, and the task claimed next or null. */
    record CompletedWithNext(TaskView completed, ClaimedTaskView next) {
    }

    record LeaseRequest(@NotBlank @Size(max = 64) String leaseId) {
    }

    record CompleteRequest(@NotBlank @Size(max = 64) String leaseId,
                           @Size(max = TaskRules.MAX_RESULT) String result,
                           @Size(max = TaskRules.MAX_LEARNINGS) List<@NotNull Learning> learnings,
                           @Valid NextClaim next) {
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
