package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/** Checks that a recorded body holds the fields an adapter reads, named as JSON pointers. */
final class RecordedFields {

    private static final ObjectMapper JSON = new ObjectMapper();

    private RecordedFields() {
    }

    static JsonNode parse(String body) {
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void assertHas(String recordedBody, List<String> pointers) {
        JsonNode body = parse(recordedBody);
        assertThat(pointers).as("fields the adapter reads, present in the recorded body")
                .allSatisfy(pointer -> assertThat(body.at(pointer).isMissingNode()).as(pointer).isFalse());
    }

    static void assertLacks(String recordedBody, List<String> pointers) {
        JsonNode body = parse(recordedBody);
        assertThat(pointers).allSatisfy(pointer -> assertThat(body.at(pointer).isMissingNode()).as(pointer).isTrue());
    }
}
