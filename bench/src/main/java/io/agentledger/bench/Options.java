package io.agentledger.bench;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} pairs of the command line. */
public final class Options {

    private final Map<String, String> values;

    private Options(Map<String, String> values) {
        this.values = values;
    }

    public static Options parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got " + args[i]);
            }
            values.put(args[i].substring(2), args[i + 1]);
        }
        return new Options(values);
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String get(String name) {
        String value = values.get(name);
        if (value == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return value;
    }

    public String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    public int integer(String name, int fallback) {
        return has(name) ? Integer.parseInt(values.get(name).replace("_", "")) : fallback;
    }

    public boolean flag(String name, boolean fallback) {
        return has(name) ? Boolean.parseBoolean(values.get(name)) : fallback;
    }

    /** "60s", "2m", "500ms" or plain seconds. */
    public Duration duration(String name, Duration fallback) {
        if (!has(name)) {
            return fallback;
        }
        String text = values.get(name).strip().toLowerCase();
        if (text.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(text.substring(0, text.length() - 2)));
        }
        if (text.endsWith("m")) {
            return Duration.ofMinutes(Long.parseLong(text.substring(0, text.length() - 1)));
        }
        return Duration.ofSeconds(Long.parseLong(text.endsWith("s") ? text.substring(0, text.length() - 1) : text));
    }

    /** The command line again, for the record of a run. */
    public String commandLine() {
        StringBuilder line = new StringBuilder("java -jar bench/target/agentledger-bench.jar");
        values.forEach((name, value) -> line.append(" --").append(name).append(' ').append(value));
        return line.toString();
    }
}
