package io.agentledger.query.analytics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The analytics endpoints through the real security chain: JSON, CSV, roles, tenants and bad input. */
class AnalyticsQueryHttpTest extends AnalyticsTestSupport {

    private static final Instant READY_SINCE = Instant.parse("2025-03-03T06:00:00Z");

    private final String analyst = analyst(tenant);

    @Test
    void theSummaryIsServedAsJson() throws Exception {
        Scenario scenario = scenario();
        Instant before = Instant.now();

        Response response = get(summaryPath(scenario.project(), "from=2025-02-28&to=2025-03-04"), analyst);

        assertThat(response.status()).as(response.raw().body()).isEqualTo(200);
        assertThat(response.header("Content-Type")).startsWith("application/json");
        ObjectNode body = (ObjectNode) response.body();
        Instant asOf = Instant.parse(body.remove("asOf").asText());
        assertThat(asOf).isBetween(before, Instant.now());
        assertThat(body.remove("oldestReadyAgeSeconds").asLong())
                .isEqualTo(Duration.between(READY_SINCE, asOf).toSeconds());
        assertThat(body).isEqualTo(mapper.readTree("""
                {"projectId": "%s", "from": "2025-02-28", "to": "2025-03-04",
                 "countsByStatus": {"BLOCKED": 1, "READY": 2, "IN_PROGRESS": 1, "COMPLETED": 4, "FAILED": 1,
                                    "CANCELLED": 1},
                 "createdPerDay": [{"date": "2025-02-28", "count": 0}, {"date": "2025-03-01", "count": 3},
                                   {"date": "2025-03-02", "count": 2}, {"date": "2025-03-03", "count": 2},
                                   {"date": "2025-03-04", "count": 0}],
                 "completedPerDay": [{"date": "2025-02-28", "count": 0}, {"date": "2025-03-01", "count": 3},
                                     {"date": "2025-03-02", "count": 0}, {"date": "2025-03-03", "count": 1},
                                     {"date": "2025-03-04", "count": 0}],
                 "leadTime": {"p50": 46800.0, "p95": 126180.0},
                 "cycleTime": {"p50": 46800.0, "p95": 92520.0},
                 "failureRate": 0.2, "retryRate": 0.4}
                """.formatted(scenario.project())));

        // statuses in their lifecycle order
        assertThat(response.raw().body()).contains("{\"BLOCKED\":1,\"READY\":2,\"IN_PROGRESS\":1,\"COMPLETED\":4,"
                + "\"FAILED\":1,\"CANCELLED\":1}");
        // nothing to measure is null, not zero
        JsonNode quiet = get(summaryPath(scenario.project(), "from=2024-01-01&to=2024-01-01"), analyst).body();
        assertThat(quiet.get("leadTime").get("p50").isNull()).isTrue();
        assertThat(quiet.get("failureRate").isNull()).isTrue();
        assertThat(quiet.get("retryRate").isNull()).isTrue();
    }

    @Test
    void theSummaryIsServedAsCsvInTheLongLayout() {
        Scenario scenario = scenario();

        HttpResponse<String> response = fetch(summaryPath(scenario.project(), "from=2025-02-28&to=2025-03-04"),
                analyst, "text/csv");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(response.headers().firstValue("Content-Disposition"))
                .hasValue("attachment; filename=\"analytics-summary.csv\"");
        List<String> lines = Arrays.asList(response.body().split("\r\n", -1));
        Instant asOf = Instant.parse(lines.get(4).substring("asOf,,".length()));
        assertThat(lines).containsExactly(
                "metric,key,value",
                "projectId,," + scenario.project(),
                "from,,2025-02-28",
                "to,,2025-03-04",
                "asOf,," + asOf,
                "countsByStatus,BLOCKED,1",
                "countsByStatus,READY,2",
                "countsByStatus,IN_PROGRESS,1",
                "countsByStatus,COMPLETED,4",
                "countsByStatus,FAILED,1",
                "countsByStatus,CANCELLED,1",
                "createdPerDay,2025-02-28,0",
                "createdPerDay,2025-03-01,3",
                "createdPerDay,2025-03-02,2",
                "createdPerDay,2025-03-03,2",
                "createdPerDay,2025-03-04,0",
                "completedPerDay,2025-02-28,0",
                "completedPerDay,2025-03-01,3",
                "completedPerDay,2025-03-02,0",
                "completedPerDay,2025-03-03,1",
                "completedPerDay,2025-03-04,0",
                "leadTime,p50,46800",
                "leadTime,p95,126180",
                "cycleTime,p50,46800",
                "cycleTime,p95,92520",
                "failureRate,,0.2",
                "retryRate,,0.4",
                "oldestReadyAgeSeconds,," + Duration.between(READY_SINCE, asOf).toSeconds(),
                "");
    }

    @Test
    void agentsAreServedAsJsonPagesAndAsCsv() throws Exception {
        Scenario scenario = scenario();

        Response all = get("/v1/analytics/agents", analyst);
        assertThat(all.status()).as(all.raw().body()).isEqualTo(200);
        assertThat(all.body()).isEqualTo(mapper.readTree("""
                {"items": [
                  {"agentId": "%s", "claims": 7, "completions": 3, "failures": 2, "leaseExpiries": 0,
                   "cycleTime": {"p50": 3000.0}},
                  {"agentId": "%s", "claims": 3, "completions": 2, "failures": 0, "leaseExpiries": 1,
                   "cycleTime": {"p50": 44400.0}}],
                 "nextCursor": null}
                """.formatted(scenario.agentA(), scenario.agentB())));

        Response first = get("/v1/analytics/agents?limit=1&projectId=" + scenario.project(), analyst);
        assertThat(first.body().get("items")).hasSize(1);
        assertThat(first.body().get("items").get(0).get("cycleTime").get("p50").asDouble()).isEqualTo(48300.0);
        Response second = get("/v1/analytics/agents?limit=1&projectId=" + scenario.project() + "&cursor="
                + first.body().get("nextCursor").asText(), analyst);
        assertThat(second.body().get("items").get(0).get("agentId").asText()).isEqualTo(scenario.agentB());
        assertThat(second.body().get("nextCursor").isNull()).isTrue();

        HttpResponse<String> csv = fetch("/v1/analytics/agents?projectId=" + scenario.otherProject(), analyst,
                "text/csv");
        assertThat(csv.statusCode()).as(csv.body()).isEqualTo(200);
        assertThat(csv.headers().firstValue("Content-Type")).hasValue("text/csv;charset=UTF-8");
        assertThat(csv.body()).isEqualTo("agentId,claims,completions,failures,leaseExpiries,cycleTimeP50\r\n"
                + scenario.agentA() + ",1,1,0,0,100\r\n");
        // a CSV export is every agent, never a page
        assertThat(fetch("/v1/analytics/agents?limit=1", analyst, "text/csv").body().split("\r\n")).hasSize(3);
        // the other tenant sees only its own agent's failure
        assertThat(get("/v1/analytics/agents", analyst(scenario.otherTenant())).body().get("items"))
                .isEqualTo(mapper.readTree("""
                        [{"agentId": "%s", "claims": 1, "completions": 0, "failures": 1, "leaseExpiries": 0,
                          "cycleTime": {"p50": null}}]
                        """.formatted(scenario.agentA())));
    }

    @Test
    void analystsAndAdminsMayReadAnalyticsButNoOtherRole() {
        String project = project(tenant, "2025-01-01T00:00:00Z");
        awaitProject(tenant, project);
        String summary = summaryPath(project, "");

        assertThat(get(summary, analyst).status()).isEqualTo(200);
        assertThat(get(summary, token(tenant, UUID.randomUUID().toString(), "admin")).status()).isEqualTo(200);
        for (String role : List.of("agent", "auditor")) {
            String token = token(tenant, UUID.randomUUID().toString(), role);
            for (String path : List.of(summary, "/v1/analytics/agents")) {
                Response json = get(path, token);
                assertThat(json.status()).isEqualTo(403);
                assertThat(json.code()).isEqualTo("FORBIDDEN");
                HttpResponse<String> csv = fetch(path, token, "text/csv");
                assertThat(csv.statusCode()).isEqualTo(403);
                assertThat(csv.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            }
        }
        assertThat(get(summary, null).status()).isEqualTo(401);
    }

    @Test
    void anotherTenantsOrAnUnknownProjectIsNotFound() {
        String theirs = project("analytics-other-" + UUID.randomUUID(), "2025-01-01T00:00:00Z");
        String ours = project(tenant, "2025-01-01T00:00:00Z");
        awaitProject(tenant, ours);

        for (String path : List.of(summaryPath(theirs, ""), summaryPath(UUID.randomUUID().toString(), ""),
                "/v1/analytics/agents?projectId=" + theirs)) {
            Response response = get(path, analyst);
            assertThat(response.status()).as(path).isEqualTo(404);
            assertThat(response.code()).isEqualTo("NOT_FOUND");
            HttpResponse<String> csv = fetch(path, analyst, "text/csv");
            assertThat(csv.statusCode()).isEqualTo(404);
            assertThat(csv.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
    }

    @Test
    void badRangesAndPagesAreRejected() {
        String project = project(tenant, "2025-01-01T00:00:00Z");
        awaitProject(tenant, project);

        assertInvalid(summaryPath(project, "from=2025-13-01"), "from");
        assertInvalid(summaryPath(project, "from=yesterday"), "from");
        assertInvalid(summaryPath(project, "to=2025-03-01T00:00:00Z"), "to");
        assertInvalid(summaryPath(project, "from=%2B10000-01-01"), "from");
        assertInvalid(summaryPath(project, "from=1969-12-31&to=1970-01-01"), "from");
        assertInvalid(summaryPath(project, "from=2025-03-02&to=2025-03-01"), "from");
        assertInvalid(summaryPath(project, "from=2024-01-01&to=2025-01-01"), "from");
        assertInvalid("/v1/analytics/agents?limit=0", "limit");
        assertInvalid("/v1/analytics/agents?limit=201", "limit");
        assertInvalid("/v1/analytics/agents?cursor=not-a-cursor", "cursor");
        assertInvalid("/v1/analytics/agents?cursor=" + AgentCursor.encode("x").substring(1), "cursor");
        Response notANumber = get("/v1/analytics/agents?limit=many", analyst);
        assertThat(notANumber.status()).isEqualTo(400);
        assertThat(notANumber.code()).isEqualTo("MALFORMED_REQUEST");
        // the longest range allowed
        assertThat(get(summaryPath(project, "from=2024-01-01&to=2024-12-31"), analyst).body()
                .get("createdPerDay")).hasSize(366);
    }

    @Test
    void theRangeDefaultsToTheLastThirtyDays() {
        String project = project(tenant, "2025-01-01T00:00:00Z");
        awaitProject(tenant, project);

        JsonNode byDefault = get(summaryPath(project, ""), analyst).body();
        LocalDate today = LocalDate.ofInstant(Instant.parse(byDefault.get("asOf").asText()), ZoneOffset.UTC);
        assertThat(byDefault.get("to").asText()).isEqualTo(today.toString());
        assertThat(byDefault.get("from").asText()).isEqualTo(today.minusDays(29).toString());
        assertThat(byDefault.get("createdPerDay")).hasSize(30);
        assertThat(byDefault.get("createdPerDay").get(29).get("date").asText()).isEqualTo(today.toString());

        JsonNode upTo = get(summaryPath(project, "to=2025-03-31"), analyst).body();
        assertThat(upTo.get("from").asText()).isEqualTo("2025-03-02");
        JsonNode fromOnly = get(summaryPath(project, "from=" + today.minusDays(2)), analyst).body();
        assertThat(fromOnly.get("createdPerDay")).hasSize(3);
        JsonNode future = get(summaryPath(project, "from=2999-01-01"), analyst).body();
        assertThat(future.get("to").asText()).isEqualTo("2999-01-01");
        JsonNode asJson = get(summaryPath(project, ""), analyst).body();
        assertThat(fetch(summaryPath(project, ""), analyst, "application/json").headers()
                .firstValue("Content-Type")).hasValue("application/json");
        assertThat(asJson.get("countsByStatus").size()).isEqualTo(6);
    }

    /** Rejected as JSON and as CSV, except paging parameters: a CSV export has no pages and ignores them. */
    private void assertInvalid(String path, String field) {
        boolean paging = "limit".equals(field) || "cursor".equals(field);
        for (String accept : paging ? List.of("application/json") : List.of("application/json", "text/csv")) {
            HttpResponse<String> raw = fetch(path, analyst, accept);
            assertThat(raw.statusCode()).as(path + " " + raw.body()).isEqualTo(400);
            assertThat(raw.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        }
        Response response = get(path, analyst);
        assertThat(response.code()).isEqualTo("VALIDATION_FAILED");
        assertThat(response.body().get("errors").get(0).get("field").asText()).isEqualTo(field);
    }

    private static String summaryPath(String project, String query) {
        return "/v1/analytics/projects/" + project + "/summary" + (query.isEmpty() ? "" : "?" + query);
    }
}
