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
import java.util.UUID;
import java.util.logging.Logger;

/**
 * JSON and RFC 9457 problem responses; never an exception's text, a stack trace or an SDK error. Every problem
 * carries a {@code correlationId} that is also logged with the request and the error code (TESTS.md F11), so an
 * operator can find what a caller saw without the response ever holding more than a stable code.
 */
final class HttpJson {

    static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    /** Seconds a client should wait before polling a running run again. */
    static final int RETRY_AFTER_SECONDS = 5;
    /** The worker's per-invocation logger is not reachable here; this named logger reaches the same host sink. */
    private static final Logger LOG = LogRedaction.install(Logger.getLogger("dev.breakglass.functions.http"));

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
        problem.put("correlationId", UUID.randomUUID().toString());
        return problem;
    }

    static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, ObjectNode problem) {
        boolean retryable = status == HttpStatus.SERVICE_UNAVAILABLE || status == HttpStatus.TOO_MANY_REQUESTS;
        return problem(request, status, problem, retryable ? RETRY_AFTER_SECONDS : -1, null);
    }

    /** A problem whose cause has a URL of its own (the run that blocks this request), in {@code Location}. */
    static HttpResponseMessage problemAt(HttpRequestMessage<?> request, HttpStatus status, String errorCode,
            String detail, String location) {
        return problem(request, status, problemBody(status, errorCode, detail), -1, location);
    }

    /** 429 with an integer {@code Retry-After} of at least one second (RFC 9110 §10.2.3: delay-seconds). */
    static HttpResponseMessage tooManyRequests(HttpRequestMessage<?> request, String errorCode, String detail,
            long retryAfterSeconds) {
        return problem(request, HttpStatus.TOO_MANY_REQUESTS, problemBody(HttpStatus.TOO_MANY_REQUESTS, errorCode,
                detail), Math.max(1, retryAfterSeconds), null);
    }

    /**
     * @param retryAfterSeconds the {@code Retry-After} header's value, or negative for none
     * @param location          the {@code Location} header's value, or null for none
     */
    private static HttpResponseMessage problem(HttpRequestMessage<?> request, HttpStatus status, ObjectNode problem,
            long retryAfterSeconds, String location) {
        if (!problem.hasNonNull("correlationId")) {
            problem.put("correlationId", UUID.randomUUID().toString());
        }
        LOG.info(() -> "Answered " + status.value() + " errorCode=" + problem.path("errorCode").asText() + " correlationId="
                + problem.path("correlationId").asText() + " for " + request.getHttpMethod() + " " + request.getUri());
        var builder = request.createResponseBuilder(status).header("Content-Type", "application/problem+json");
        if (retryAfterSeconds >= 0) {
            builder.header("Retry-After", String.valueOf(retryAfterSeconds));
        }
        if (location != null) {
            builder.header("Location", location);
        }
        return builder.body(write(problem)).build();
    }

    /** A problem's correlation id, for the log line that records the error behind it. */
    static String correlationId(ObjectNode problem) {
        return problem.path("correlationId").asText();
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
