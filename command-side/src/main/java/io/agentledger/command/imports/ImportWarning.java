package io.agentledger.command.imports;

/**
 * Something an import repaired in the document instead of refusing it; {@code field} locates it like a
 * validation error does ({@code master.tasks[3].subtasks[5].id}).
 */
record ImportWarning(String field, String message) {
}
