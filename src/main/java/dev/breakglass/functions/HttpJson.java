package dev.breakglass.functions;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import java.net.URI;

/** JSON and RFC 9457 problem responses; never an exception's text, a stack trace or an SDK error. */
final class HttpJson {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Seconds a client should wait before polling a running run again. */
    static final int RETRY_AFTER_SECONDS = 5;

    private HttpJson() {
    }

    static HttpResponseMessage json(HttpRequestMessage<?> request, HttpStatus status, Object body) {
        return request.createResponseBuilder(status).header("Content-Type", "application/json")
                .body(write(body)).build();
    }

    /**
     * @param errorCode a stable CamelCase code for machines; {@code detail} is for people
     */
    static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, String errorCode,
            String detail) {
        return problem(request, status, problemBody(status, errorCode, detail));
    }

    /** The RFC 9457 body, for callers that add members or headers of their own. */
    static ObjectNode problemBody(HttpStatus status, String errorCode, String detail) {
        ObjectNode problem = JSON.createObjectNode();
        problem.put("type", "https://github.com/breakglass/breakglass/blob/main/docs/api.md#" + errorCode.toLowerCase());
        problem.put("title", status.name().replace('_', ' ').toLowerCase());
        problem.put("status", status.value());
        problem.put("errorCode", errorCode);
        problem.put("detail", detail);
        return problem;
    }

    static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, ObjectNode problem) {
        var builder = request.createResponseBuilder(status).header("Content-Type", "application/problem+json");
        if (status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS) {
            builder.header("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        }
        return builder.body(write(problem)).build();
    }

    /** The absolute URL of a run's status, built from the URL this request arrived on. */
    static String runUrl(HttpRequestMessage<?> request, String runId) {
        URI uri = request.getUri();
        return uri.getScheme() + "://" + uri.getRawAuthority() + "/api/runs/" + runId;
    }

    private static String write(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("serialising a response", e);
        }
    }
}
