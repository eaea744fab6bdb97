package io.agentledger.command.mcp;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentledger.api.common.ErrorCode;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The arguments of a tool call. They are read into the same request records the REST controllers take and checked
 * against the same constraints, so a tool accepts exactly what the endpoint accepts.
 */
public final class ToolArguments {

    private final Map<String, Object> values;
    private final ObjectMapper mapper;
    private final Validator validator;

    ToolArguments(Map<String, Object> values, ObjectMapper mapper, Validator validator) {
        this.values = values == null ? Map.of() : values;
        this.mapper = mapper;
        this.validator = validator;
    }

    /** The arguments as a request record, valid by its constraints. */
    public <T> T as(Class<T> type) {
        T request;
        try {
            request = mapper.convertValue(values, type);
        } catch (IllegalArgumentException e) {
            throw new ToolException(ErrorCode.MALFORMED_REQUEST,
                    "The arguments could not be read: check their names and types against the tool's schema");
        }
        Set<ConstraintViolation<T>> violations = validator.validate(request);
        if (!violations.isEmpty()) {
            List<Map<String, String>> errors = violations.stream()
                    .map(v -> Map.of("field", v.getPropertyPath().toString(), "message", v.getMessage()))
                    .sorted(Comparator.comparing(e -> e.get("field")))
                    .toList();
            throw new ToolException(ErrorCode.VALIDATION_FAILED, "The arguments have invalid fields", errors);
        }
        return request;
    }

    /** A required string argument, such as the id a REST path would carry. */
    public String text(String name) {
        String value = optionalText(name);
        if (value == null || value.isBlank()) {
            throw ToolException.invalid(name, "must not be blank");
        }
        return value;
    }

    /** An optional string argument; null when absent. */
    public String optionalText(String name) {
        Object value = values.get(name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof String text)) {
            throw ToolException.invalid(name, "must be a string");
        }
        return text;
    }

    /** An optional integer argument, or the default when absent. */
    public int integer(String name, int defaultValue) {
        Object value = values.get(name);
        if (value == null) {
            return defaultValue;
        }
        if (value instanceof Number number && number.doubleValue() == Math.rint(number.doubleValue())) {
            return number.intValue();
        }
        throw ToolException.invalid(name, "must be an integer");
    }

    /** An optional list of strings; empty when absent. */
    public List<String> texts(String name) {
        Object value = values.get(name);
        if (value == null) {
            return List.of();
        }
        if (value instanceof List<?> list && list.stream().allMatch(String.class::isInstance)) {
            return list.stream().map(String.class::cast).toList();
        }
        throw ToolException.invalid(name, "must be an array of strings");
    }
}
