package io.agentledger.command.imports;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.api.common.Caller;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Imports plans written by planning tools into a project's tasks. Their bodies may be up to 16 MiB
 * (RequestBodyFilter) and are parsed as they arrive: the Markdown line by line, the JSON by Jackson straight from
 * the stream into its tree; neither is held as bytes and again as text.
 */
@RestController
@PreAuthorize("hasRole('ADMIN')")
class ImportController {

    static final String TEXT_MARKDOWN = "text/markdown";

    private final PlanImporter importer;

    ImportController(PlanImporter importer) {
        this.importer = importer;
    }

    /** The text is decoded in the charset its Content-Type names, UTF-8 when it names none. */
    @PostMapping(path = "/v1/projects/{projectId}/imports/spec-kit",
            consumes = {TEXT_MARKDOWN, MediaType.TEXT_PLAIN_VALUE})
    @io.swagger.v3.oas.annotations.parameters.RequestBody(description = "A spec-kit tasks.md", required = true,
            content = {@Content(mediaType = TEXT_MARKDOWN, schema = @Schema(type = "string")),
                    @Content(mediaType = MediaType.TEXT_PLAIN_VALUE, schema = @Schema(type = "string"))})
    ImportResult specKit(@PathVariable String projectId, @Parameter(hidden = true) InputStream markdown,
                         @Parameter(hidden = true) @RequestHeader(HttpHeaders.CONTENT_TYPE) MediaType contentType,
                         Caller caller)
            throws IOException {
        Charset charset = contentType.getCharset() == null ? StandardCharsets.UTF_8 : contentType.getCharset();
        return importer.importPlan(caller, projectId,
                SpecKitParser.parse(new InputStreamReader(markdown, charset)));
    }

    /** {@code tag} picks the tag of a tagged file; by default {@code master}, or the only one. */
    @PostMapping(path = "/v1/projects/{projectId}/imports/task-master", consumes = MediaType.APPLICATION_JSON_VALUE)
    ImportResult taskMaster(@PathVariable String projectId, @RequestBody JsonNode tasksJson,
                            @RequestParam(required = false) String tag, Caller caller) {
        return importer.importPlan(caller, projectId, TaskMasterParser.parse(tasksJson, tag));
    }
}
