package dev.breakglass.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeType;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecValidationException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Settings for the CLI: a {@code --config} JSON file with the app-setting names as keys, or else
 * the process environment. Unknown keys in a file are an error, so a typo never silently falls back
 * to a default.
 */
final class ConfigFile {

    private static final Set<String> KNOWN = Arrays.stream(Setting.values()).map(Setting::key)
            .collect(Collectors.toUnmodifiableSet());

    private ConfigFile() {
    }

    static Map<String, String> read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new SpecValidationException(List.of("--config " + file + " could not be read as JSON: "
                    + e.getClass().getSimpleName()));
        }
        if (root == null || !root.isObject()) {
            throw new SpecValidationException(List.of("--config " + file + " must hold one JSON object"));
        }
        Map<String, String> settings = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> fields = root.fields(); fields.hasNext(); ) {
            Map.Entry<String, JsonNode> field = fields.next();
            JsonNode value = field.getValue();
            if (!KNOWN.contains(field.getKey())) {
                problems.add(field.getKey() + " is not a breakglass setting (known: " + String.join(", ",
                        KNOWN.stream().sorted().toList()) + ")");
            } else if (value.getNodeType() == JsonNodeType.ARRAY) {
                List<String> items = new ArrayList<>();
                value.forEach(item -> items.add(item.asText()));
                settings.put(field.getKey(), String.join(",", items));
            } else if (value.isValueNode() && !value.isNull()) {
                settings.put(field.getKey(), value.asText());
            } else if (!value.isNull()) {
                problems.add(field.getKey() + " must be a string, number, boolean or list");
            }
        }
        if (!problems.isEmpty()) {
            throw new SpecValidationException(problems);
        }
        return settings;
    }

    /** The BREAKGLASS_* variables of the process environment. */
    static Map<String, String> environment() {
        Map<String, String> settings = new HashMap<>();
        System.getenv().forEach((key, value) -> {
            if (KNOWN.contains(key)) {
                settings.put(key, value);
            }
        });
        return settings;
    }
}
