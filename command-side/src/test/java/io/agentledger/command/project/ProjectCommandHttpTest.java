package io.agentledger.command.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.axonframework.eventhandling.GenericDomainEventMessage;
import org.axonframework.eventsourcing.eventstore.EventStorageEngine;
import org.axonframework.modelling.command.AggregateStreamCreationException;
import org.axonframework.modelling.command.ConcurrencyException;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProjectCommandHttpTest extends CommandSideTest {

    @Autowired
    EventStorageEngine storageEngine;

    @Test
    void createRenameArchiveAnswersWithTheVersionAfterEachCommand() {
        Response created = post("/v1/projects", "{\"name\":\"Apollo\",\"description\":\"moon\"}");
        assertThat(created.status()).isEqualTo(201);
        String id = created.body().get("id").asText();
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(created.header("Location")).isEqualTo("/v1/projects/" + id);
        assertThat(created.body().get("name").asText()).isEqualTo("Apollo");
        assertThat(created.body().get("status").asText()).isEqualTo("ACTIVE");
        assertThat(created.body().get("version").asLong()).isZero();
        assertThat(created.body().has("createdAt")).isTrue();

        Response renamed = patch("/v1/projects/" + id, "{\"name\":\"Gemini\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().get("name").asText()).isEqualTo("Gemini");
        assertThat(renamed.body().get("description").asText()).isEqualTo("moon");
        assertThat(renamed.body().get("version").asLong()).isEqualTo(1);

        Response archived = post("/v1/projects/" + id + "/archive", "");
        assertThat(archived.status()).isEqualTo(200);
        assertThat(archived.body().get("status").asText()).isEqualTo("ARCHIVED");
        assertThat(archived.body().get("version").asLong()).isEqualTo(2);

        Response refused = patch("/v1/projects/" + id, "{\"description\":\"later\"}");
        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("PROJECT_ARCHIVED");
        assertThat(refused.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aClientSuppliedIdIsUsedAndASecondCreateWithItIsAlreadyExists() {
        String id = UUID.randomUUID().toString();
        assertThat(post("/v1/projects", "{\"id\":\"" + id + "\",\"name\":\"First\"}").status()).isEqualTo(201);

        Response again = post("/v1/projects", "{\"id\":\"" + id + "\",\"name\":\"Second\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.code()).isEqualTo("ALREADY_EXISTS");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM domain_event_entry WHERE aggregate_identifier = ?",
                Long.class, id)).isEqualTo(1);
    }

    @Test
    void eventsAreJsonWithWhoAndWhyInTheirMetadata() throws Exception {
        Response created = send(request("/v1/projects")
                .header("X-Request-Id", "req-42")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"name\":\"Audited\"}")));
        assertThat(created.header("X-Request-Id")).isEqualTo("req-42");
        String id = created.body().get("id").asText();

        Map<String, Object> row = jdbc.queryForMap("SELECT payload_type, payload_revision,"
                + " convert_from(payload, 'UTF8') AS payload, convert_from(meta_data, 'UTF8') AS meta"
                + " FROM domain_event_entry WHERE aggregate_identifier = ?", id);
        assertThat(row.get("payload_type")).isEqualTo("io.agentledger.api.project.ProjectCreatedEvent");
        assertThat(row.get("payload_revision")).isEqualTo("1");
        JsonNode payload = mapper.readTree((String) row.get("payload"));
        assertThat(payload.get("name").asText()).isEqualTo("Audited");
        assertThat(payload.get("tenantId").asText()).isEqualTo("default");
        JsonNode meta = mapper.readTree((String) row.get("meta"));
        assertThat(meta.get("requestId").asText()).isEqualTo("req-42");
        assertThat(meta.get("tenantId").asText()).isEqualTo("default");
        assertThat(meta.get("principalId").asText()).isEqualTo(claimOf(accessToken(ADMIN_KEY), "sub"));
        assertThat(meta.get("role").asText()).isEqualTo("admin");
        assertThat(meta.get("causationId").asText()).isNotBlank();
        assertThat(meta.get("correlationId").asText()).isNotBlank();
    }

    private String claimOf(String jwt, String claim) throws Exception {
        return mapper.readTree(java.util.Base64.getUrlDecoder().decode(jwt.split("\\.")[1])).get(claim).asText();
    }

    @Test
    void aGeneratedRequestIdIsEchoed() {
        Response response = post("/v1/projects", "{\"name\":\"Echo\"}");
        assertThat(response.header("X-Request-Id")).matches("[0-9a-f-]{36}");
    }

    @Test
    void aDuplicateAppendIsAConcurrencyFailureNotAGenericStoreError() {
        String id = post("/v1/projects", "{\"name\":\"Raced\"}").body().get("id").asText();

        assertThatThrownBy(() -> storageEngine.appendEvents(List.of(
                new GenericDomainEventMessage<>("Project", id, 0, Map.of("late", true)))))
                .isInstanceOf(AggregateStreamCreationException.class);
        patch("/v1/projects/" + id, "{\"name\":\"Raced again\"}");
        assertThatThrownBy(() -> storageEngine.appendEvents(List.of(
                new GenericDomainEventMessage<>("Project", id, 1, Map.of("late", true)))))
                .isInstanceOf(ConcurrencyException.class);
    }

    @Test
    void unknownProjectsAreNotFound() {
        Response response = patch("/v1/projects/" + UUID.randomUUID(), "{\"name\":\"Nobody\"}");
        assertThat(response.status()).isEqualTo(404);
        assertThat(response.code()).isEqualTo("NOT_FOUND");
        assertThat(post("/v1/projects/" + UUID.randomUUID() + "/archive", "").code()).isEqualTo("NOT_FOUND");
    }

    @Test
    void eachSideMigratesWithItsOwnHistoryTable() {
        List<String> versions = jdbc.queryForList(
                "SELECT version FROM flyway_command_history WHERE success AND version <> '0' ORDER BY installed_rank",
                String.class);
        assertThat(versions).containsExactly("1", "2", "3", "4", "5", "6");
    }
}
