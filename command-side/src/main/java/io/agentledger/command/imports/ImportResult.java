package io.agentledger.command.imports;

import java.util.List;

/**
 * The answer of an import: how many tasks it created, updated and left as they were, every task's id, and what
 * was repaired in the document to import it (empty when nothing was).
 */
record ImportResult(int created, int updated, int unchanged, List<ImportedTask> tasks, List<ImportWarning> warnings) {

    record ImportedTask(String externalRef, String id) {
    }
}
