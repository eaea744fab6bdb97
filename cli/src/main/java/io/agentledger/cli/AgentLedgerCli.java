package io.agentledger.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;

/**
 * {@code agentledger}: the HTTP API for shell agents and people. Tables for people, {@code --json} for machines;
 * exit 0 when done, 1 when the API refused (its code on stderr), 2 for a usage error, 3 when there was nothing to
 * claim.
 */
@Command(name = "agentledger", mixinStandardHelpOptions = true, version = "agentledger 0.1",
        description = "Claim, work and complete AgentLedger tasks; search and add knowledge.",
        subcommandsRepeatable = false, usageHelpAutoWidth = true)
public final class AgentLedgerCli {

    public static final int OK = 0;
    public static final int API_ERROR = 1;
    public static final int USAGE = 2;
    public static final int NOTHING_TO_CLAIM = 3;
    static final String DEFAULT_URL = "http://localhost:8080";

    private final Map<String, String> env;
    private final ObjectMapper mapper = new ObjectMapper();
    private PrintWriter out;

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--url", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Server URL (default: $AGENTLEDGER_URL, the URL logged in to, " + DEFAULT_URL + ")")
    private String url;

    @Option(names = "--config", scope = ScopeType.INHERIT, paramLabel = "FILE",
            description = "Config file (default: $AGENTLEDGER_CONFIG or ~/.config/agentledger/config.json)")
    private Path config;

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print the API's JSON instead of a table")
    private boolean json;

    public AgentLedgerCli(Map<String, String> env) {
        this.env = env;
    }

    public static void main(String[] args) {
        System.exit(commandLine(System.getenv()).execute(args));
    }

    /** The command line, ready to execute; tests set its out and err. */
    public static CommandLine commandLine(Map<String, String> env) {
        AgentLedgerCli cli = new AgentLedgerCli(env);
        CommandLine commandLine = new CommandLine(cli);
        cli.out = commandLine.getOut();
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            PrintWriter err = line.getErr();
            if (e instanceof ApiException api) {
                err.println("error: " + api.code() + (api.status() > 0 ? " (" + api.status() + ")" : "") + ": "
                        + api.getMessage());
                err.flush();
                return API_ERROR;
            }
            if (e instanceof UncheckedIOException io) {
                err.println("error: " + io.getCause().getMessage());
                err.flush();
                return API_ERROR;
            }
            throw e;
        });
        return commandLine;
    }

    /** Redirects the command output (the CommandLine's out is only known after construction). */
    public static CommandLine withOut(CommandLine commandLine, PrintWriter out) {
        commandLine.setOut(out);
        ((AgentLedgerCli) commandLine.getCommand()).out = out;
        return commandLine;
    }

    @Command(name = "login", description = "Exchange an API key for tokens, kept in the config file (0600).")
    int login(@Option(names = "--api-key", paramLabel = "KEY",
            description = "API key (default: $AGENTLEDGER_API_KEY, else read from stdin)") String apiKey)
            throws IOException {
        String key = apiKey != null ? apiKey : env.get("AGENTLEDGER_API_KEY");
        if (key == null) {
            key = new String(System.in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
        if (key.isEmpty()) {
            throw new CommandLine.ParameterException(spec.commandLine(), "An API key is required");
        }
        ConfigStore.Config saved = client().login(key);
        print(mapper.createObjectNode().put("url", saved.url()).put("config", store().file().toString())
                .put("expiresAt", saved.expiresAt().toString()), "Logged in to " + saved.url() + " ("
                + store().file() + ")");
        return OK;
    }

    @Command(name = "token", description = "Print a valid access token (for MCP clients and curl).")
    int token() {
        String token = client().accessToken();
        print(mapper.createObjectNode().put("accessToken", token), token);
        return OK;
    }

    @Command(name = "projects", description = "List the projects of your tenant.")
    int projects() {
        JsonNode page = call(client().get("/v1/projects?limit=200"));
        table(page, List.of("id", "status", "name"), List.of("ID", "STATUS", "NAME"));
        return OK;
    }

    @Command(name = "tasks", description = "List a project's tasks, highest priority first.")
    int tasks(@Parameters(paramLabel = "PROJECT") String project,
              @Option(names = "--status", paramLabel = "STATUS", description = "READY, IN_PROGRESS, ... (repeatable)")
              List<String> statuses,
              @Option(names = "--label", paramLabel = "LABEL") String label,
              @Option(names = "--limit", defaultValue = "50") int limit) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.add("limit=" + limit);
        if (statuses != null) {
            statuses.forEach(s -> query.add("status=" + encode(s)));
        }
        if (label != null) {
            query.add("label=" + encode(label));
        }
        JsonNode page = call(client().get("/v1/projects/" + encode(project) + "/tasks" + query));
        table(page, List.of("id", "status", "priority", "externalRef", "claim.agentId", "title"),
                List.of("ID", "STATUS", "PRIORITY", "REF", "AGENT", "TITLE"));
        return OK;
    }

    @Command(name = "claim-next", description = "Claim the next READY task you can do; exit 3 if there is none.")
    int claimNext(@Parameters(paramLabel = "PROJECT") String project,
                  @Option(names = "--label", paramLabel = "LABEL", description = "only tasks with this label (repeatable)")
                  List<String> labels,
                  @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
                          description = "wait up to this long (0..30) for one") int waitSeconds) {
        ObjectNode body = mapper.createObjectNode().put("waitSeconds", waitSeconds);
        if (labels != null) {
            labels.forEach(body.putArray("labels")::add);
        }
        ApiClient.Response response = client().post("/v1/projects/" + encode(project) + "/tasks/claim-next", body);
        if (response.status() == 204) {
            if (json) {
                out.println("{\"claimed\":false}");
            } else {
                out.println("Nothing to claim");
            }
            out.flush();
            return NOTHING_TO_CLAIM;
        }
        task(call(response));
        return OK;
    }

    @Command(name = "heartbeat", description = "Extend the lease of your claimed task.")
    int heartbeat(@Parameters(paramLabel = "TASK") String task,
                  @Option(names = "--lease", required = true, paramLabel = "LEASE_ID") String lease) {
        task(call(client().post("/v1/tasks/" + encode(task) + "/heartbeat",
                mapper.createObjectNode().put("leaseId", lease))));
        return OK;
    }

    @Command(name = "complete", description = "Complete your claimed task, with what you learned; with --next, "
            + "also claim the project's next task (exit 3 if there is none).")
    int complete(@Parameters(paramLabel = "TASK") String task,
                 @Option(names = "--lease", required = true, paramLabel = "LEASE_ID") String lease,
                 @Option(names = "--result", paramLabel = "TEXT") String result,
                 @Option(names = "--learning", paramLabel = "TITLE=BODY",
                         description = "a learning, kept as a knowledge entry (repeatable)") List<String> learnings,
                 @Option(names = "--tag", paramLabel = "TAG", description = "tag of the learnings (repeatable)")
                 List<String> tags,
                 @Option(names = "--next", description = "then claim the next task, in the same request")
                 boolean next,
                 @Option(names = "--next-label", paramLabel = "LABEL",
                         description = "with --next: only tasks with this label (repeatable)") List<String> nextLabels,
                 @Option(names = "--next-wait", paramLabel = "SECONDS", defaultValue = "0",
                         description = "with --next: wait up to this long (0..30) for one") int nextWait) {
        ObjectNode body = mapper.createObjectNode().put("leaseId", lease).put("result", result);
        if (learnings != null) {
            ArrayNode items = body.putArray("learnings");
            for (String learning : learnings) {
                int equals = learning.indexOf('=');
                if (equals < 1) {
                    throw new CommandLine.ParameterException(spec.commandLine(),
                            "--learning must be TITLE=BODY: " + learning);
                }
                ObjectNode item = items.addObject().put("title", learning.substring(0, equals).strip())
                        .put("body", learning.substring(equals + 1).strip());
                if (tags != null) {
                    tags.forEach(item.putArray("tags")::add);
                }
            }
        }
        if (!next) {
            task(call(client().post("/v1/tasks/" + encode(task) + "/complete", body)));
            return OK;
        }
        ObjectNode claim = body.putObject("next").put("waitSeconds", nextWait);
        if (nextLabels != null) {
            nextLabels.forEach(claim.putArray("labels")::add);
        }
        JsonNode answer = call(client().post("/v1/tasks/" + encode(task) + "/complete", body));
        JsonNode claimed = answer.path("next");
        if (json) {
            print(answer, null);
        } else {
            task(answer.path("completed"));
            out.println();
            if (claimed.isObject()) {
                task(claimed);
            } else {
                out.println("Nothing to claim");
            }
        }
        out.flush();
        return claimed.isObject() ? OK : NOTHING_TO_CLAIM;
    }

    @Command(name = "fail", description = "Fail your claimed task (retried while attempts remain).")
    int fail(@Parameters(paramLabel = "TASK") String task,
             @Option(names = "--lease", required = true, paramLabel = "LEASE_ID") String lease,
             @Option(names = "--reason", required = true, paramLabel = "TEXT") String reason,
             @Option(names = "--no-retry", description = "do not retry it") boolean noRetry) {
        task(call(client().post("/v1/tasks/" + encode(task) + "/fail", mapper.createObjectNode()
                .put("leaseId", lease).put("reason", reason).put("retryable", !noRetry))));
        return OK;
    }

    @Command(name = "release", description = "Give your claimed task back (attempt not counted).")
    int release(@Parameters(paramLabel = "TASK") String task,
                @Option(names = "--lease", paramLabel = "LEASE_ID", description = "required unless you are admin")
                String lease) {
        ObjectNode body = mapper.createObjectNode();
        if (lease != null) {
            body.put("leaseId", lease);
        }
        task(call(client().post("/v1/tasks/" + encode(task) + "/release", body)));
        return OK;
    }

    @Command(name = "kb-search", description = "Search the knowledge base (words, \"phrases\", -exclusions).")
    int kbSearch(@Parameters(paramLabel = "QUERY", arity = "1..*") List<String> words,
                 @Option(names = "--project", paramLabel = "PROJECT") String project,
                 @Option(names = "--tag", paramLabel = "TAG") String tag,
                 @Option(names = "--limit", defaultValue = "10") int limit) {
        StringJoiner query = new StringJoiner("&", "?", "");
        query.add("q=" + encode(String.join(" ", words))).add("limit=" + limit);
        if (project != null) {
            query.add("projectId=" + encode(project));
        }
        if (tag != null) {
            query.add("tag=" + encode(tag));
        }
        JsonNode hits = call(client().get("/v1/knowledge/search" + query));
        if (!json) {
            hits.path("items").forEach(hit -> ((ObjectNode) hit).put("snippet",
                    hit.path("snippet").asText().replace("<mark>", "").replace("</mark>", "")
                            .replace('\n', ' ')));
        }
        table(hits, List.of("id", "score", "title", "snippet"), List.of("ID", "SCORE", "TITLE", "SNIPPET"));
        return OK;
    }

    @Command(name = "kb-add", description = "Record a knowledge entry.")
    int kbAdd(@Option(names = "--title", required = true) String title,
              @Option(names = "--body", paramLabel = "TEXT", description = "the text, or - to read it from stdin",
                      required = true) String body,
              @Option(names = "--tag", paramLabel = "TAG", description = "(repeatable)") List<String> tags,
              @Option(names = "--project", paramLabel = "PROJECT") String project,
              @Option(names = "--task", paramLabel = "TASK", description = "the task it came from") String task)
            throws IOException {
        ObjectNode request = mapper.createObjectNode().put("title", title)
                .put("body", "-".equals(body) ? new String(System.in.readAllBytes(), StandardCharsets.UTF_8) : body)
                .put("projectId", project).put("sourceTaskId", task);
        if (tags != null) {
            tags.forEach(request.putArray("tags")::add);
        }
        JsonNode entry = call(client().post("/v1/knowledge", request));
        print(entry, "Recorded " + entry.path("id").asText() + " (revision " + entry.path("revision").asInt() + ")");
        return OK;
    }

    @Command(name = "import-spec-kit", description = "Import a spec-kit tasks.md into a project (admin).")
    int importSpecKit(@Parameters(paramLabel = "PROJECT") String project,
                      @Parameters(paramLabel = "TASKS_MD") Path file) throws IOException {
        JsonNode result = call(client().postText("/v1/projects/" + encode(project) + "/imports/spec-kit",
                "text/markdown", Files.readString(file)));
        print(result, "created " + result.path("created").asInt() + ", updated " + result.path("updated").asInt()
                + ", unchanged " + result.path("unchanged").asInt());
        return OK;
    }

    @Command(name = "export-spec-kit", description = "Export a project's tasks as a spec-kit tasks.md.")
    int exportSpecKit(@Parameters(paramLabel = "PROJECT") String project,
                      @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "default: stdout")
                      Path output) throws IOException {
        String markdown = client().get("/v1/projects/" + encode(project) + "/exports/spec-kit").body();
        if (output == null) {
            out.print(markdown);
            out.flush();
        } else {
            Files.writeString(output, markdown);
        }
        return OK;
    }

    private ApiClient client() {
        ConfigStore store = store();
        String server = url != null ? url : env.get("AGENTLEDGER_URL");
        if (server == null) {
            server = store.read().url();
        }
        return new ApiClient(server == null ? DEFAULT_URL : server, store, mapper, Clock.systemUTC());
    }

    private ConfigStore store() {
        Path file = config;
        if (file == null && env.get("AGENTLEDGER_CONFIG") != null) {
            file = Path.of(env.get("AGENTLEDGER_CONFIG"));
        }
        if (file == null) {
            String home = env.getOrDefault("HOME", System.getProperty("user.home"));
            String xdg = env.get("XDG_CONFIG_HOME");
            file = (xdg != null ? Path.of(xdg) : Path.of(home, ".config")).resolve("agentledger/config.json");
        }
        return new ConfigStore(file, mapper);
    }

    private JsonNode call(ApiClient.Response response) {
        return client().json(response);
    }

    private void task(JsonNode task) {
        if (json) {
            print(task, null);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"id", task.path("id").asText()});
        rows.add(new String[] {"title", task.path("title").asText()});
        rows.add(new String[] {"status", task.path("status").asText()});
        rows.add(new String[] {"priority", task.path("priority").asText()});
        JsonNode claim = task.path("claim");
        if (claim.isObject()) {
            rows.add(new String[] {"lease", claim.path("leaseId").asText()});
            rows.add(new String[] {"expires", claim.path("leaseExpiresAt").asText()});
        }
        if (!task.path("description").isMissingNode() && !task.path("description").isNull()) {
            rows.add(new String[] {"description", task.path("description").asText()});
        }
        task.path("relatedKnowledge").forEach(k -> rows.add(new String[] {"knowledge",
                k.path("title").asText() + " (" + k.path("id").asText() + ")"}));
        Tables.print(out, null, rows);
    }

    private void table(JsonNode page, List<String> fields, List<String> headers) {
        if (json) {
            print(page, null);
            return;
        }
        List<String[]> rows = new ArrayList<>();
        for (JsonNode item : page.path("items")) {
            rows.add(fields.stream().map(field -> Tables.field(item, field)).toArray(String[]::new));
        }
        Tables.print(out, headers.toArray(String[]::new), rows);
        if (page.hasNonNull("nextCursor")) {
            out.println("(more: use --json for the cursor)");
            out.flush();
        }
    }

    private void print(JsonNode node, String human) {
        out.println(json || human == null ? node.toString() : human);
        out.flush();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
