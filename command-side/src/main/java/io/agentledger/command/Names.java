package io.agentledger.command;

import java.util.List;
import java.util.Locale;

/** Capabilities, labels and tags are matched exactly, so they are kept trimmed, lower-case, unique and sorted. */
public final class Names {

    private Names() {
    }

    /** @throws DomainException VALIDATION_FAILED naming the field when a name is blank or too long, or too many */
    public static List<String> normalized(String field, List<String> names, int maxCount, int maxLength) {
        if (names == null) {
            return List.of();
        }
        List<String> result = names.stream()
                .map(name -> name == null ? "" : name.strip().toLowerCase(Locale.ROOT))
                .distinct().sorted().toList();
        if (result.size() > maxCount || result.stream().anyMatch(n -> n.isEmpty() || n.length() > maxLength)) {
            throw DomainException.invalid(field, "must be at most " + maxCount
                    + " non-blank names of at most " + maxLength + " characters");
        }
        return result;
    }
}
