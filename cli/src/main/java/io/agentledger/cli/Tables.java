package io.agentledger.cli;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.PrintWriter;
import java.util.List;

/** Plain aligned columns for people; the last column is cut so a row fits a terminal line. */
final class Tables {

    static final int MAX_CELL = 60;

    private Tables() {
    }

    /** A field of a JSON object by dotted path; empty when absent or null. */
    static String field(JsonNode node, String path) {
        JsonNode value = node;
        for (String part : path.split("\\.")) {
            value = value.path(part);
        }
        return value.isMissingNode() || value.isNull() ? "" : value.asText();
    }

    static void print(PrintWriter out, String[] headers, List<String[]> rows) {
        int columns = headers != null ? headers.length : rows.isEmpty() ? 0 : rows.get(0).length;
        int[] widths = new int[columns];
        if (headers != null) {
            measure(widths, headers);
        }
        rows.forEach(row -> measure(widths, row));
        if (headers != null) {
            line(out, widths, headers);
        }
        rows.forEach(row -> line(out, widths, row));
        out.flush();
    }

    private static void measure(int[] widths, String[] row) {
        for (int i = 0; i < row.length; i++) {
            widths[i] = Math.max(widths[i], Math.min(MAX_CELL, row[i].length()));
        }
    }

    private static void line(PrintWriter out, int[] widths, String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            String cell = row[i].length() > MAX_CELL ? row[i].substring(0, MAX_CELL - 1) + "…" : row[i];
            line.append(i == row.length - 1 ? cell : String.format("%-" + widths[i] + "s  ", cell));
        }
        out.println(line.toString().stripTrailing());
    }
}
