package io.agentledger.command.task;

import io.agentledger.api.task.Learning;
import io.agentledger.command.DomainException;
import io.agentledger.command.Names;

import java.util.List;

/** The limits of a task's fields, checked where the task decides. */
public final class TaskRules {

    public static final int MAX_TITLE = 500;
    public static final int MAX_DESCRIPTION = 20_000;
    public static final int MAX_NAMES = 32;
    public static final int MAX_NAME_LENGTH = 64;
    public static final int MAX_EXTERNAL_REF = 64;
    static final int MAX_ATTEMPTS = 100;
    static final int MIN_LEASE_SECONDS = 10;
    static final int MAX_LEASE_SECONDS = 86_400;
    static final int MAX_RESULT = 65_536;
    static final int MAX_REASON = 2_000;
    static final int MAX_LEARNINGS = 20;
    static final int MAX_LEARNING_TITLE = 200;
    static final int MAX_LEARNING_BODY = 20_000;

    private TaskRules() {
    }

    static String validTitle(String title) {
        String stripped = title == null ? "" : title.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_TITLE) {
            throw DomainException.invalid("title", "must be 1 to " + MAX_TITLE + " characters");
        }
        return stripped;
    }

    static String validDescription(String description) {
        return maxLength("description", description, MAX_DESCRIPTION);
    }

    public static List<String> validLabels(List<String> labels) {
        return Names.normalized("labels", labels, MAX_NAMES, MAX_NAME_LENGTH);
    }

    static List<String> validCapabilities(List<String> capabilities) {
        return Names.normalized("requiredCapabilities", capabilities, MAX_NAMES, MAX_NAME_LENGTH);
    }

    static String validExternalRef(String externalRef) {
        return maxLength("externalRef", externalRef == null ? null : externalRef.strip(), MAX_EXTERNAL_REF);
    }

    static String validResult(String result) {
        return maxLength("result", result, MAX_RESULT);
    }

    static String validReason(String reason) {
        String stripped = reason == null ? "" : reason.strip();
        if (stripped.isEmpty() || stripped.length() > MAX_REASON) {
            throw DomainException.invalid("reason", "must be 1 to " + MAX_REASON + " characters");
        }
        return stripped;
    }

    static List<Learning> validLearnings(List<Learning> learnings) {
        if (learnings == null) {
            return List.of();
        }
        if (learnings.size() > MAX_LEARNINGS) {
            throw DomainException.invalid("learnings", "must be at most " + MAX_LEARNINGS);
        }
        return learnings.stream().map(learning -> {
            if (learning == null) {
                throw DomainException.invalid("learnings", "must not contain null");
            }
            String title = learning.title() == null ? "" : learning.title().strip();
            if (title.isEmpty() || title.length() > MAX_LEARNING_TITLE) {
                throw DomainException.invalid("learnings.title", "must be 1 to " + MAX_LEARNING_TITLE + " characters");
            }
            String body = learning.body() == null ? "" : learning.body();
            if (body.isBlank() || body.length() > MAX_LEARNING_BODY) {
                throw DomainException.invalid("learnings.body", "must be 1 to " + MAX_LEARNING_BODY + " characters");
            }
            return new Learning(title, body, Names.normalized("learnings.tags", learning.tags(), MAX_NAMES,
                    MAX_NAME_LENGTH));
        }).toList();
    }

    static void requireRange(String field, int value, int min, int max) {
        if (value < min || value > max) {
            throw DomainException.invalid(field, "must be between " + min + " and " + max);
        }
    }

    private static String maxLength(String field, String value, int max) {
        if (value != null && value.length() > max) {
            throw DomainException.invalid(field, "must be at most " + max + " characters");
        }
        return value;
    }
}
