package io.agentledger.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import javax.sql.DataSource;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.agentledger.standalone.StandaloneHttp.accessToken;
import static io.agentledger.standalone.StandaloneHttp.getJson;
import static io.agentledger.standalone.StandaloneHttp.postJson;
import static io.agentledger.standalone.StandaloneHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * quality.md's bad-input check: a corpus of malformed requests against every endpoint of api.md (bad JSON, wrong
 * types, huge strings, invalid UUIDs, unknown enum values, SQL and HTML injection text, 2 MiB bodies (17 MiB for the
 * imports, which take up to 16 MiB), wrong content types, missing fields) gets only 4xx problem+json answers with a code, and leaves the event store and every read
 * model exactly as they were.
 */
class MalformedRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final String HUGE = "x".repeat(300_000);
    private static final String TWO_MIB = "{\"title\":\"" + "y".repeat(2 * 1024 * 1024) + "\"}";
    private static final int SEVENTEEN_MIB = 17 * 1024 * 1024;
    private static final List<String> BAD_IDS = List.of("not-a-uuid", "' OR '1'='1", "1; DROP TABLE domain_event_entry; --",
            "<script>alert(1)</script>", "00000000-0000-0000-0000-00000000000g", "z".repeat(2_000), "%00", "..");
    private static final List<String> INJECTIONS = List.of("' OR 1=1 --", "\"; DROP TABLE tasks; --",
            "<img src=x onerror=alert(1)>", "${jndi:ldap://x/a}");
    /** Tables whose content any accepted command or projected event would change. */
    private static final List<String> STATE_TABLES = List.of("domain_event_entry", "snapshot_event_entry",
            "tenant", "principal_account", "api_key", "project_registry", "task_state", "task_dependency",
            "projects", "project_task_counts", "principals", "tasks", "knowledge_entries", "knowledge_revisions",
            "audit_log", "dead_letter_entry", "task_plan_phases", "task_plan_items");

    private final List<Probe> corpus = new ArrayList<>();

    private record Probe(String label, String method, String path, String token, String contentType, String body) {
    }

    @Test
    void everyMalformedRequestIsA4xxProblemAndChangesNothing() throws Exception {
        Path dataDir = Files.createTempDirectory("agentledger-malformed",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        List<String> args = new ArrayList<>(StandaloneLaunch.arguments(dataDir));
        args.add("--agentledger.rate-limit.requests-per-second=0");
        try (ConfigurableApplicationContext app = StandaloneApplication.application().run(args.toArray(String[]::new))) {
            String base = "http://localhost:" + app.getEnvironment().getProperty("local.server.port");
            String admin = accessToken(base, Files.readString(dataDir.resolve("bootstrap-admin-key")).strip());
            String operator = accessToken(base, Files.readString(dataDir.resolve("bootstrap-operator-key")).strip());
            String project = postJson(base + "/v1/projects", admin, "{\"name\":\"Target\"}").get("id").asText();
            String claimed = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                    "{\"title\":\"claimed\",\"requiredCapabilities\":[\"java\"]}").get("id").asText();
            String ready = postJson(base + "/v1/projects/" + project + "/tasks", admin,
                    "{\"title\":\"ready\",\"requiredCapabilities\":[\"java\"]}").get("id").asText();
            JsonNode registered = postJson(base + "/v1/principals", admin,
                    "{\"name\":\"agent-1\",\"role\":\"agent\",\"capabilities\":[\"java\"]}");
            String agent = accessToken(base, registered.get("apiKey").asText());
            String lease = postJson(base + "/v1/tasks/" + claimed + "/claim", agent, "{}")
                    .get("claim").get("leaseId").asText();
            String knowledge = postJson(base + "/v1/knowledge", admin,
                    "{\"title\":\"Vacuum\",\"body\":\"tune autovacuum\",\"tags\":[\"db\"]}").get("id").asText();
            await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(base, operator));

            buildCorpus(project, claimed, ready, registered.get("id").asText(), knowledge, lease, admin, agent,
                    operator);
            JdbcTemplate jdbc = new JdbcTemplate(app.getBean(DataSource.class));
            Map<String, String> before = fingerprint(jdbc);

            List<String> failures = new ArrayList<>();
            for (Probe probe : corpus) {
                HttpResponse<String> response = send(request(base, probe));
                String problem = problemFailure(response);
                if (problem != null) {
                    failures.add(probe.method() + " " + abbreviate(probe.path()) + " [" + probe.label() + "] → "
                            + response.statusCode() + " " + problem + ": " + abbreviate(response.body()));
                }
            }

            System.out.println("malformed requests sent: " + corpus.size());
            assertThat(corpus).hasSizeGreaterThanOrEqualTo(200);
            assertThat(failures).as("answers that are not a 4xx problem+json with a code").isEmpty();
            await().atMost(Duration.ofSeconds(30)).until(() -> caughtUp(base, operator));
            assertThat(fingerprint(jdbc)).as("event store and read models").isEqualTo(before);
        }
    }

    private void buildCorpus(String project, String claimed, String ready, String principal, String knowledge,
                             String lease, String admin, String agent, String operator) {
        // JSON bodies: a valid example per endpoint, and which of its fields are enums or UUIDs
        jsonEndpoint("POST", "/v1/auth/token", null, "{\"grantType\":\"api_key\",\"apiKey\":\"alk_nope\"}",
                List.of("grantType"), List.of());
        jsonEndpoint("POST", "/v1/principals", admin,
                "{\"name\":\"p\",\"role\":\"agent\",\"capabilities\":[\"java\"]}", List.of("role"), List.of());
        jsonEndpoint("POST", "/v1/tenants", admin, "{\"name\":\"t\"}", List.of(), List.of());
        jsonEndpoint("POST", "/v1/projects", admin, "{\"name\":\"p\",\"description\":\"d\",\"id\":\""
                + java.util.UUID.randomUUID() + "\"}", List.of(), List.of("id"));
        jsonEndpoint("PATCH", "/v1/projects/" + project, admin, "{\"name\":\"p\",\"description\":\"d\"}",
                List.of(), List.of());
        jsonEndpoint("POST", "/v1/projects/" + project + "/tasks", admin,
                "{\"title\":\"t\",\"description\":\"d\",\"priority\":\"HIGH\",\"labels\":[\"a\"],"
                        + "\"requiredCapabilities\":[\"java\"],\"dependsOn\":[\"" + ready + "\"],\"externalRef\":\"T1\","
                        + "\"maxAttempts\":3,\"leaseSeconds\":60,\"id\":\"" + java.util.UUID.randomUUID() + "\"}",
                List.of("priority"), List.of("id", "dependsOn"));
        jsonEndpoint("PATCH", "/v1/tasks/" + ready, admin,
                "{\"title\":\"t\",\"description\":\"d\",\"priority\":\"LOW\",\"labels\":[\"a\"]}",
                List.of("priority"), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + ready + "/claim", agent, "{\"leaseSeconds\":60}", List.of(), List.of());
        jsonEndpoint("POST", "/v1/projects/" + project + "/tasks/claim-next", agent,
                "{\"labels\":[\"a\"],\"waitSeconds\":0}", List.of(), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + claimed + "/heartbeat", agent, "{\"leaseId\":\"" + lease + "\"}",
                List.of(), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + claimed + "/complete", agent, "{\"leaseId\":\"" + lease
                        + "\",\"result\":\"r\",\"learnings\":[{\"title\":\"l\",\"body\":\"b\",\"tags\":[\"x\"]}]}",
                List.of(), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + claimed + "/fail", agent, "{\"leaseId\":\"" + lease
                + "\",\"reason\":\"r\",\"retryable\":true}", List.of(), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + claimed + "/release", agent, "{\"leaseId\":\"" + lease + "\"}",
                List.of(), List.of());
        jsonEndpoint("POST", "/v1/tasks/" + ready + "/cancel", admin, "{\"reason\":\"r\"}", List.of(), List.of());
        jsonEndpoint("POST", "/v1/knowledge", admin, "{\"title\":\"t\",\"body\":\"b\",\"tags\":[\"x\"],\"projectId\":\""
                + project + "\",\"sourceTaskId\":\"" + claimed + "\"}", List.of(), List.of("projectId", "sourceTaskId"));
        jsonEndpoint("PUT", "/v1/knowledge/" + knowledge, admin, "{\"title\":\"t\",\"body\":\"b\",\"tags\":[\"x\"]}",
                List.of(), List.of());
        jsonEndpoint("POST", "/v1/projects/" + project + "/imports/task-master", admin,
                "{\"tasks\":[{\"id\":1,\"title\":\"t\"}]}", List.of(), List.of());

        // path ids that are no UUIDs (or injection text) on every endpoint that takes one
        String valid = "{}";
        for (String id : BAD_IDS) {
            String e = URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
            add("bad id", "PATCH", "/v1/projects/" + e, admin, "application/json", "{\"name\":\"n\"}");
            add("bad id", "POST", "/v1/projects/" + e + "/archive", admin, null, null);
            add("bad id", "POST", "/v1/tasks/" + e + "/complete", agent, "application/json", "{\"leaseId\":\"l\"}");
            add("bad id", "POST", "/v1/tasks/" + e + "/claim", agent, "application/json", valid);
            add("bad id", "POST", "/v1/projects/" + e + "/tasks", admin, "application/json", "{\"title\":\"t\"}");
            add("bad id", "GET", "/v1/tasks/" + e, admin, null, null);
            add("bad id", "GET", "/v1/projects/" + e, admin, null, null);
            add("bad id", "GET", "/v1/knowledge/" + e, admin, null, null);
            add("bad id", "POST", "/v1/knowledge/" + e + "/retire", admin, null, null);
            add("bad id", "POST", "/v1/principals/" + e + "/revoke", admin, null, null);
            add("bad id", "GET", "/v1/audit/aggregates/" + e + "/state", admin, null, null);
            add("bad name", "POST", "/v1/admin/projections/" + e + "/replay", operator, null, null);
            add("bad name", "GET", "/v1/admin/projections/" + e + "/dead-letters", operator, null, null);
            add("bad name", "POST", "/v1/admin/projections/" + e + "/dead-letters/retry", operator, null, null);
        }

        // query parameters of the wrong type, out of range, unknown enum values, forged cursors
        // (a filter value that matches nothing, such as an unknown assignee or tag, is a valid request: 200 empty)
        List<String> limits = List.of("limit=0", "limit=201", "limit=abc", "limit=-5", "limit=99999999999");
        List<String> cursors = List.of("cursor=" + enc("' OR 1=1 --"), "cursor=%3Cscript%3E");
        for (String path : List.of("/v1/projects", "/v1/principals", "/v1/projects/" + project + "/tasks",
                "/v1/audit/aggregates/" + claimed + "/events")) {
            for (String query : concat(limits, cursors)) {
                add("bad query", "GET", path + "?" + query, admin, null, null);
            }
        }
        for (String query : concat(limits, concat(cursors, List.of("tenantId=%20")))) {
            add("bad query", "GET", "/v1/admin/projections/tasks/dead-letters?" + query, operator, null, null);
        }
        add("bad query", "POST", "/v1/admin/projections/tasks/dead-letters/retry?tenantId=%20", operator, null, null);
        for (String query : limits) {
            add("bad query", "GET", "/v1/audit/events?" + query, admin, null, null);
        }
        String tasks = "/v1/projects/" + project + "/tasks?";
        for (String query : List.of("status=DONE", "status=" + enc("READY' OR '1'='1"), "priority=URGENT",
                "priority=" + enc("<b>x</b>"), "sort=" + enc("title; DROP TABLE tasks"), "sort=-nope")) {
            add("bad filter", "GET", tasks + query, admin, null, null);
        }
        for (String query : List.of("minVersion=abc", "minVersion=" + enc("1 OR 1=1"))) {
            add("bad minVersion", "GET", "/v1/tasks/" + claimed + "?" + query, admin, null, null);
            add("bad minVersion", "GET", "/v1/projects/" + project + "?" + query, admin, null, null);
            add("bad minVersion", "GET", "/v1/knowledge/" + knowledge + "?" + query, admin, null, null);
        }
        add("bad revision", "GET", "/v1/knowledge/" + knowledge + "?revision=abc", admin, null, null);
        add("bad revision", "GET", "/v1/knowledge/" + knowledge + "?revision=999", admin, null, null);
        for (String query : List.of("limit=0", "limit=abc", "limit=" + enc("1 OR 1=1"))) {
            add("bad search", "GET", "/v1/knowledge/search?q=vacuum&" + query, admin, null, null);
        }
        for (String query : List.of("fromVersion=abc", "fromVersion=" + enc("1; DROP TABLE audit_log"))) {
            add("bad audit", "GET", "/v1/audit/aggregates/" + claimed + "/events?" + query, admin, null, null);
        }
        for (String query : List.of("afterPosition=abc", "afterPosition=" + enc("0 OR 1=1"))) {
            add("bad audit", "GET", "/v1/audit/events?" + query, admin, null, null);
        }
        for (String query : List.of("asOf=yesterday", "asOf=" + enc("2024-13-45T99:00:00Z"), "version=abc",
                "version=-1")) {
            add("bad state", "GET", "/v1/audit/aggregates/" + claimed + "/state?" + query, admin, null, null);
        }
        for (String query : List.of("from=yesterday", "to=" + enc("' OR 1=1 --"), "from=2024-13-45")) {
            add("bad export", "GET", "/v1/audit/export?" + query, admin, null, null);
        }

        // the spec-kit import takes Markdown only; its endpoint and the admin ones refuse other roles' bodies
        String specKit = "/v1/projects/" + project + "/imports/spec-kit";
        add("json to markdown", "POST", specKit, admin, "application/json", "{\"tasks\":[]}");
        add("xml to markdown", "POST", specKit, admin, "application/xml", "<tasks/>");
        add("2 MiB markdown", "POST", specKit, admin, "text/markdown", "- [ ] T001 " + "z".repeat(2 * 1024 * 1024));
        // the imports take bodies up to 16 MiB (a real Task Master file is 1.5 MB), and refuse larger ones too
        add("17 MiB markdown", "POST", specKit, admin, "text/markdown", "- [ ] T001 " + "z".repeat(SEVENTEEN_MIB));
        add("17 MiB body", "POST", "/v1/projects/" + project + "/imports/task-master", admin, "application/json",
                "{\"tasks\":[{\"id\":1,\"title\":\"" + "y".repeat(SEVENTEEN_MIB) + "\"}]}");
        add("markdown, bad project", "POST", "/v1/projects/not-a-uuid/imports/spec-kit", admin, "text/markdown",
                "- [ ] T001 Do it\n");
        add("agent imports", "POST", specKit, agent, "text/markdown", "- [ ] T001 Do it\n");
        add("agent replays", "POST", "/v1/admin/projections/task-projection/replay", agent, null, null);
        add("agent reads audit", "GET", "/v1/audit/events", agent, null, null);
        add("bad project export", "GET", "/v1/projects/" + enc("' OR 1=1 --") + "/exports/spec-kit", admin, null, null);
        add("bad principal export", "GET", "/v1/projects/" + principal + "/exports/spec-kit", admin, null, null);
        add("bad idempotency key", "POST", "/v1/projects", admin, "application/json", "{\"name\":");
    }

    /** The generic mutations of one JSON endpoint, derived from a valid example of its body. */
    private void jsonEndpoint(String method, String path, String token, String example, List<String> enums,
                              List<String> uuids) {
        add("truncated JSON", method, path, token, "application/json", example.substring(0, example.length() / 2));
        add("trailing garbage", method, path, token, "application/json", example + "}}");
        add("JSON array", method, path, token, "application/json", "[" + example + "]");
        add("JSON string", method, path, token, "application/json", "\"" + example.replace("\"", "'") + "\"");
        add("single quotes", method, path, token, "application/json", example.replace('"', '\''));
        add("2 MiB body", method, path, token, "application/json", TWO_MIB);
        add("text/plain", method, path, token, "text/plain", example);
        add("xml", method, path, token, "application/xml", "<request/>");
        add("form", method, path, token, "application/x-www-form-urlencoded", "title=t&name=n");
        ObjectNode valid = (ObjectNode) read(example);
        if (!path.contains("/claim") && !path.endsWith("/cancel") && !path.endsWith("/release")
                && !method.equals("PATCH")) {
            add("missing fields", method, path, token, "application/json", "{}");
        }
        for (Iterator<String> fields = valid.fieldNames(); fields.hasNext(); ) {
            String field = fields.next();
            JsonNode value = valid.get(field);
            add("object for " + field, method, path, token, "application/json", with(valid, field, "{\"a\":{\"b\":1}}"));
            if (value.isTextual()) {
                add("huge " + field, method, path, token, "application/json", with(valid, field, quote(HUGE)));
                add("array for " + field, method, path, token, "application/json", with(valid, field, "[1,2]"));
            } else if (value.isNumber()) {
                add("text for " + field, method, path, token, "application/json", with(valid, field, "\"twelve\""));
                add("negative " + field, method, path, token, "application/json", with(valid, field, "-1"));
                add("overflow " + field, method, path, token, "application/json",
                        with(valid, field, "99999999999999999999"));
            } else if (value.isArray()) {
                add("string for " + field, method, path, token, "application/json", with(valid, field, "\"a\""));
                add("huge item in " + field, method, path, token, "application/json",
                        with(valid, field, "[" + quote(HUGE) + "]"));
            } else if (value.isBoolean()) {
                add("text for " + field, method, path, token, "application/json", with(valid, field, "\"maybe\""));
            }
        }
        for (String field : enums) {
            add("unknown " + field, method, path, token, "application/json", with(valid, field, "\"SUPREME\""));
            add("injection in " + field, method, path, token, "application/json",
                    with(valid, field, quote(INJECTIONS.get(0))));
        }
        for (String field : uuids) {
            for (String injection : INJECTIONS) {
                String value = valid.get(field).isArray() ? "[" + quote(injection) + "]" : quote(injection);
                add("injection in " + field, method, path, token, "application/json", with(valid, field, value));
            }
        }
    }

    private void add(String label, String method, String path, String token, String contentType, String body) {
        corpus.add(new Probe(label, method, path, token, contentType, body));
    }

    private static HttpRequest.Builder request(String base, Probe probe) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + probe.path()))
                .timeout(Duration.ofSeconds(30))
                .method(probe.method(), probe.body() == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(probe.body()));
        if (probe.contentType() != null) {
            request.header("Content-Type", probe.contentType());
        }
        if (probe.token() != null) {
            request.header("Authorization", "Bearer " + probe.token());
        }
        if (probe.label().equals("bad idempotency key")) {
            request.header("Idempotency-Key", "k".repeat(5_000));
        }
        return request;
    }

    /** Why an answer is not a 4xx problem+json carrying a code and its own status; null when it is one. */
    private static String problemFailure(HttpResponse<String> response) {
        if (response.statusCode() < 400 || response.statusCode() > 499) {
            return "not a 4xx";
        }
        String type = response.headers().firstValue("Content-Type").orElse("");
        if (!type.startsWith("application/problem+json")) {
            return "content type " + type;
        }
        JsonNode problem = read(response.body());
        if (problem == null || !problem.hasNonNull("code") || problem.path("status").asInt() != response.statusCode()) {
            return "no code or status";
        }
        return null;
    }

    private static boolean caughtUp(String base, String admin) throws Exception {
        for (JsonNode projection : getJson(base + "/v1/admin/projections", admin).get("items")) {
            if (projection.path("lag").asLong(-1) != 0) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, String> fingerprint(JdbcTemplate jdbc) {
        Map<String, String> tables = new LinkedHashMap<>();
        tables.put("events", jdbc.queryForObject(
                "SELECT count(*) || '/' || coalesce(max(global_index), 0) FROM domain_event_entry", String.class));
        for (String table : STATE_TABLES) {
            tables.put(table, jdbc.queryForObject("SELECT count(*) || ':' || coalesce(md5(string_agg(t::text, '|' "
                    + "ORDER BY t::text)), '') FROM " + table + " t", String.class));
        }
        return tables;
    }

    private static String with(ObjectNode valid, String field, String json) {
        ObjectNode copy = valid.deepCopy();
        copy.set(field, read(json));
        return copy.toString();
    }

    private static JsonNode read(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (Exception e) {
            return null;
        }
    }

    private static String quote(String text) {
        return MAPPER.getNodeFactory().textNode(text).toString();
    }

    private static List<String> concat(List<String> first, List<String> second) {
        List<String> all = new ArrayList<>(first);
        all.addAll(second);
        return all;
    }

    private static String enc(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    private static String abbreviate(String text) {
        return text == null || text.length() <= 300 ? text : text.substring(0, 300) + "…";
    }
}
