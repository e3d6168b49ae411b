package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;

/** A response before it is written: status, headers, body (empty for 204). */
final class Reply {
    final int status;
    final Map<String, String> headers = new LinkedHashMap<>();
    final byte[] body;

    private Reply(int status, byte[] body) {
        this.status = status;
        this.body = body;
    }

    static Reply json(int status, JsonNode body) {
        return new Reply(status, Json.bytes(body));
    }

    static Reply empty(int status) {
        return new Reply(status, new byte[0]);
    }

    Reply header(String name, String value) {
        headers.put(name, value);
        return this;
    }
}
