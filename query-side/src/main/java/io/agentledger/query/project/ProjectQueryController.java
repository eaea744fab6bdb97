package io.agentledger.query.project;

import io.agentledger.api.common.Caller;
import io.agentledger.api.common.PageRequest;
import io.agentledger.api.project.FindProjectQuery;
import io.agentledger.api.project.FindProjectsQuery;
import io.agentledger.api.project.ProjectPage;
import io.agentledger.api.project.ProjectStatus;
import io.agentledger.api.project.ProjectView;
import io.agentledger.query.web.InvalidRequestException;
import io.agentledger.query.web.NotFoundException;
import io.agentledger.query.web.Pages;
import io.agentledger.query.web.Queries;
import io.agentledger.query.web.ReadYourWrites;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Locale;

@RestController
@RequestMapping("/v1/projects")
class ProjectQueryController {

    private final Queries queries;

    ProjectQueryController(Queries queries) {
        this.queries = queries;
    }

    @GetMapping
    ProjectPage list(@RequestParam(defaultValue = "" + PageRequest.DEFAULT_LIMIT) int limit,
                     @RequestParam(required = false) String cursor,
                     @RequestParam(required = false) String status,
                     Caller caller) {
        FindProjectsQuery query = new FindProjectsQuery(caller.tenantId(), status(status),
                Pages.request(limit, cursor));
        return queries.ask(query, ProjectPage.class);
    }

    @GetMapping("/{id}")
    ProjectView get(@PathVariable String id, @RequestParam(required = false) Long minVersion, Caller caller) {
        FindProjectQuery query = new FindProjectQuery(caller.tenantId(), id);
        ProjectView project = ReadYourWrites.await(
                () -> queries.ask(query, ProjectView.class),
                ProjectView::version, minVersion);
        if (project == null) {
            throw new NotFoundException("No project " + id);
        }
        return project;
    }

    private static ProjectStatus status(String status) {
        if (status == null) {
            return null;
        }
        try {
            return ProjectStatus.valueOf(status.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("status", "must be ACTIVE or ARCHIVED");
        }
    }
}
