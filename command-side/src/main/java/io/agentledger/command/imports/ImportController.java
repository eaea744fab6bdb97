package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.common.Caller;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Imports plans written by planning tools into a project's tasks. */
@RestController
@PreAuthorize("hasRole('ADMIN')")
class ImportController {

    static final String TEXT_MARKDOWN = "text/markdown";

    private final PlanImporter importer;

    ImportController(PlanImporter importer) {
        this.importer = importer;
    }

    @PostMapping(path = "/v1/projects/{projectId}/imports/spec-kit",
            consumes = {TEXT_MARKDOWN, MediaType.TEXT_PLAIN_VALUE})
    ImportResult specKit(@PathVariable String projectId, @RequestBody(required = false) String markdown,
                         Caller caller) {
        return importer.importPlan(caller, projectId, SpecKitParser.parse(markdown));
    }

    /** {@code tag} picks the tag of a tagged file; by default {@code master}, or the only one. */
    @PostMapping(path = "/v1/projects/{projectId}/imports/task-master", consumes = MediaType.APPLICATION_JSON_VALUE)
    ImportResult taskMaster(@PathVariable String projectId, @RequestBody JsonNode tasksJson,
                            @RequestParam(required = false) String tag, Caller caller) {
        return importer.importPlan(caller, projectId, TaskMasterParser.parse(tasksJson, tag));
    }
}
