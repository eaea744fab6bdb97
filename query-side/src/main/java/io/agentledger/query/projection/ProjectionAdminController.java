package io.agentledger.query.projection;

import io.agentledger.api.common.PageRequest;
import io.agentledger.query.web.InvalidRequestException;
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

/**
 * Operations on the projections (the read models' event processors) of this process. The projections are shared by
 * every tenant, so only the platform's operator runs them, whatever tenant its principal belongs to.
 */
@RestController
@RequestMapping("/v1/admin/projections")
@PreAuthorize("hasRole('OPERATOR')")
class ProjectionAdminController {

    private final ProjectionOperations operations;

    ProjectionAdminController(ProjectionOperations operations) {
        this.operations = operations;
    }

    @GetMapping
    ProjectionList projections() {
        return new ProjectionList(operations.statuses(), null);
    }

    /** Every projection on one page, in the shape of the other lists. */
    record ProjectionList(List<ProjectionStatus> items, String nextCursor) {
    }

    /** 202: the replay runs on the processor's own threads; follow it with GET (state REPLAYING, replayProgress). */
    @PostMapping("/{name}/replay")
    ResponseEntity<ProjectionStatus> replay(@PathVariable String name) {
        operations.replay(name);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operations.status(name));
    }

    /** Every tenant's parked events, or with {@code tenantId} one tenant's. */
    @GetMapping("/{name}/dead-letters")
    DeadLetterPage deadLetters(@PathVariable String name,
                               @RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                               @RequestParam(required = false) String cursor,
                               @RequestParam(required = false) String tenantId) {
        return operations.deadLetters(name, tenant(tenantId), Pages.request(limit, cursor));
    }

    /** Retries every tenant's parked sequences, or with {@code tenantId} one tenant's. */
    @PostMapping("/{name}/dead-letters/retry")
    ResponseEntity<RetryOutcome> retry(@PathVariable String name,
                                       @RequestParam(required = false) String tenantId) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(operations.retry(name, tenant(tenantId)));
    }

    private static String tenant(String tenantId) {
        if (tenantId != null && tenantId.isBlank()) {
            throw new InvalidRequestException("tenantId", "must not be blank");
        }
        return tenantId;
    }
}
