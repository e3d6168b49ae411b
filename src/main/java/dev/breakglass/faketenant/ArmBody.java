package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/**
 * Checks an ARM request body against its spec fragment (required properties, types, enums), so that
 * a malformed request from the product fails a test with the 400 ARM would send. Each provider says
 * how its 400 looks ({@code badRequest}).
 */
final class ArmBody {

    private final Function<String, ApiError> badRequest;

    ArmBody(Function<String, ApiError> badRequest) {
        this.badRequest = badRequest;
    }

    ApiError invalid(String message) {
        return badRequest.apply(message);
    }

    ObjectNode object(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isObject()) {
            throw invalid("The property '" + path + "' is required and must be an object.");
        }
        return (ObjectNode) value;
    }

    ArrayNode optionalArray(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isArray()) {
            throw invalid("The property '" + path + "' must be an array.");
        }
        return (ArrayNode) value;
    }

    String string(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isTextual() || value.asText().isEmpty()) {
            throw invalid("The property '" + path + "' is required and must be a non-empty string.");
        }
        return value.asText();
    }

    boolean bool(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isBoolean()) {
            throw invalid("The property '" + path + "' is required and must be true or false.");
        }
        return value.asBoolean();
    }

    boolean optionalBool(JsonNode parent, String field, String path, boolean fallback) {
        JsonNode value = parent.get(field);
        if (value == null || value.isNull()) {
            return fallback;
        }
        if (!value.isBoolean()) {
            throw invalid("The property '" + path + "' must be true or false.");
        }
        return value.asBoolean();
    }

    String oneOf(JsonNode parent, String field, String path, List<String> allowed) {
        String value = string(parent, field, path);
        if (!allowed.contains(value)) {
            throw invalid("The property '" + path + "' has an invalid value '" + value + "'; allowed values are "
                    + String.join(", ", allowed) + ".");
        }
        return value;
    }

    /** An ISO-8601 duration such as {@code PT5M}. */
    Duration duration(JsonNode parent, String field, String path) {
        String value = string(parent, field, path);
        try {
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid("The property '" + path + "' must be an ISO 8601 duration, got '" + value + "'.");
        }
    }

    double number(JsonNode parent, String field, String path) {
        JsonNode value = parent.get(field);
        if (value == null || !value.isNumber()) {
            throw invalid("The property '" + path + "' is required and must be a number.");
        }
        return value.asDouble();
    }
}
