package dev.breakglass.reconcile;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed call to Graph, ARM or Key Vault, already classified by the adapter that made it. The
 * message starts with what was being done ({@code "creating emergency user bg01@…: …"}) and never
 * carries a secret, a token or a raw response body.
 */
public final class CloudException extends RuntimeException {

    /** How the {@link StepRunner} treats the failure. */
    public enum Kind {
        /** Throttling, 5xx, connection failures: retry, honouring {@link #retryAfter()}. */
        TRANSIENT,
        /** Forbidden, bad request, policy violations: retrying cannot help. */
        TERMINAL
    }

    private final Kind kind;
    private final int status;
    private final String code;
    private final Duration retryAfter;

    /**
     * @param status     HTTP status, or 0 when no response arrived
     * @param code       the service's error code (for Graph, a {@code details[].code} when it is more specific), or a
     *                   CamelCase reason of ours
     * @param retryAfter the server's Retry-After, or null
     */
    public CloudException(Kind kind, int status, String code, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.status = status;
        this.code = code;
        this.retryAfter = retryAfter;
    }

    public static CloudException terminal(String code, String message) {
        return new CloudException(Kind.TERMINAL, 0, code, message, null);
    }

    public Kind kind() {
        return kind;
    }

    public int status() {
        return status;
    }

    public String code() {
        return code;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }

    public boolean hasCode(String expected) {
        return expected.equals(code);
    }
}
