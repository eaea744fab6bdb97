package io.agentledger.command.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentledger.command.CommandSideTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(OutputCaptureExtension.class)
class StructuredLoggingHttpTest extends CommandSideTest {

    @Test
    void everyLogLineOfARequestIsJsonWithRequestCorrelationTenantAndPrincipal(CapturedOutput output)
            throws Exception {
        String requestId = "log-" + UUID.randomUUID();
        String correlationId = "corr-" + UUID.randomUUID();
        Response created = send(request("/v1/projects").header("X-Request-Id", requestId)
                .header("X-Correlation-Id", correlationId)
                .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"Logged\"}")));
        assertThat(created.status()).isEqualTo(201);

        List<JsonNode> lines = new ArrayList<>();
        for (String line : output.getOut().split("\\R")) {
            if (line.contains(requestId)) {
                lines.add(mapper.readTree(line));
            }
        }
        assertThat(lines).isNotEmpty();
        JsonNode sending = lines.stream().filter(l -> l.path("message").asText().equals("Sending CreateProjectCommand"))
                .findFirst().orElseThrow();
        assertThat(sending.get("requestId").asText()).isEqualTo(requestId);
        assertThat(sending.get("correlationId").asText()).isEqualTo(correlationId);
        assertThat(sending.get("tenantId").asText()).isEqualTo("default");
        assertThat(sending.get("principalId").asText()).isNotBlank();
        assertThat(sending.has("@timestamp")).isTrue();
        assertThat(sending.path("log").path("level").asText()).isEqualTo("DEBUG");
    }
}
