package io.agentledger.query.task;

import io.agentledger.api.common.Caller;
import io.agentledger.api.project.FindProjectQuery;
import io.agentledger.api.project.ProjectView;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Queries;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.nio.charset.StandardCharsets;

/** Writes a project's imported plan back as a spec-kit tasks.md. */
@RestController
class SpecKitExportController {

    static final MediaType TEXT_MARKDOWN = new MediaType("text", "markdown", StandardCharsets.UTF_8);

    private final Queries queries;

    SpecKitExportController(Queries queries) {
        this.queries = queries;
    }

    @GetMapping("/v1/projects/{projectId}/exports/spec-kit")
    ResponseEntity<String> specKit(@PathVariable String projectId, Caller caller) {
        ProjectView project = queries.ask(new FindProjectQuery(caller.tenantId(), projectId), ProjectView.class);
        if (project == null) {
            throw new NotFoundException("No project " + projectId);
        }
        TaskPlan plan = queries.ask(new FindTaskPlanQuery(caller.tenantId(), projectId), TaskPlan.class);
        return ResponseEntity.ok().contentType(TEXT_MARKDOWN).body(SpecKitWriter.write(project.name(), plan));
    }
}
