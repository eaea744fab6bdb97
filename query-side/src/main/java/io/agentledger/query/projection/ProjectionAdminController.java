package io.agentledger.query.projection;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.query.web.Pages;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/** Operations on the projections (the read models' event processors) of this process. */
@RestController
@RequestMapping("/v1/admin/projections")
@PreAuthorize("hasRole('ADMIN')")
class ProjectionAdminController {

    private final ProjectionOperations operations;

    ProjectionAdminController(ProjectionOperations operations) {
        this.operations = operations;
    }

    @GetMapping
    ProjectionList projections(Caller caller) {
        return new ProjectionList(operations.statuses(caller.tenantId()), null);
    }

    /** Every projection on one page, in the shape of the other lists. */
    record ProjectionList(List<ProjectionStatus> items, String nextCursor) {
    }

    /** 202: the replay runs on the processor's own threads; follow it with GET (state REPLAYING, replayProgress). */
    @PostMapping("/{name}/replay")
    ResponseEntity<ProjectionStatus> replay(@PathVariable String name, Caller caller) {
        operations.replay(name);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operations.status(name, caller.tenantId()));
    }

    @GetMapping("/{name}/dead-letters")
    DeadLetterPage deadLetters(@PathVariable String name,
                               @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                               @RequestParam(required = false) String cursor,
                               Caller caller) {
        return operations.deadLetters(name, caller.tenantId(), Pages.request(limit, cursor));
    }

    @PostMapping("/{name}/dead-letters/retry")
    ResponseEntity<RetryOutcome> retry(@PathVariable String name, Caller caller) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operations.retry(name, caller.tenantId()));
    }
}
