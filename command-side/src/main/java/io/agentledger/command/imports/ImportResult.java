package io.agentledger.command.imports;

import java.util.List;

/** The answer of an import: how many tasks it created, updated and left as they were, and every task's id. */
record ImportResult(int created, int updated, int unchanged, List<ImportedTask> tasks) {

    record ImportedTask(String externalRef, String id) {
    }
}
