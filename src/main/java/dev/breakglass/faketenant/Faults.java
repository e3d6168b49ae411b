package dev.breakglass.faketenant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Fault injection. A rule matches a method ({@code "*"} = any) and a regex over the whole request path
 * (e.g. {@code "/v1.0/users"}, {@code "/v1.0/identity/conditionalAccess/policies/.*"}, {@code "/secrets/.*"}),
 * fires once unless told {@link Rule#times(int)} or {@link Rule#always()}, and the first registered rule that
 * still has firings left wins. Errors are rendered in the envelope of the API the path belongs to.
 *
 * <pre>{@code
 * tenant.faults().on("POST", "/v1.0/users").lostResponse();          // user created, client sees 503
 * tenant.faults().on("*", "/v1.0/roleManagement/.*").times(2).throttle("2.128");
 * tenant.faults().on("PUT", "/secrets/.*").reset();
 * }</pre>
 */
public final class Faults {

    enum Kind { THROTTLE, ERROR, RESET, LOST_RESPONSE, LOST_RESPONSE_RESET, DELAY }

    /** What a fired rule does. {@code retryAfter} null = no Retry-After header. */
    record Fault(Kind kind, int status, String code, String message, String retryAfter, Duration delay) {
    }

    private static final class Armed {
        final String method;
        final Pattern path;
        final Fault fault;
        int remaining; // -1 = always

        Armed(String method, Pattern path, Fault fault, int remaining) {
            this.method = method;
            this.path = path;
            this.fault = fault;
            this.remaining = remaining;
        }
    }

    private final List<Armed> rules = new ArrayList<>();

    /** Starts a rule for requests with this method ({@code "*"} = any) whose path matches {@code pathRegex} in full. */
    public Rule on(String method, String pathRegex) {
        return new Rule(Objects.requireNonNull(method), Pattern.compile(pathRegex));
    }

    public synchronized void clear() {
        rules.clear();
    }

    synchronized Optional<Fault> take(Call call) {
        for (Armed rule : rules) {
            boolean methodMatches = rule.method.equals("*") || rule.method.equalsIgnoreCase(call.method);
            if (rule.remaining != 0 && methodMatches && rule.path.matcher(call.path).matches()) {
                if (rule.remaining > 0) {
                    rule.remaining--;
                }
                return Optional.of(rule.fault);
            }
        }
        return Optional.empty();
    }

    private synchronized void arm(Rule rule, Fault fault) {
        rules.add(new Armed(rule.method, rule.path, fault, rule.times));
    }

    /** A rule being configured; it is armed by the terminal call (throttle, serverError, error, reset, lostResponse, delay). */
    public final class Rule {
        private final String method;
        private final Pattern path;
        private int times = 1;

        private Rule(String method, Pattern path) {
            this.method = method;
            this.path = path;
        }

        public Rule times(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("times must be at least 1");
            }
            this.times = n;
            return this;
        }

        public Rule always() {
            this.times = -1;
            return this;
        }

        /**
         * 429 with this raw Retry-After value ("3", "2.128", an HTTP-date) or none when null: Graph may send
         * fractional seconds, and the Conditional Access service sends none at all
         * (https://learn.microsoft.com/graph/throttling, https://learn.microsoft.com/graph/throttling-limits).
         */
        public void throttle(String retryAfter) {
            arm(this, new Fault(Kind.THROTTLE, 429, null, null, retryAfter, null));
        }

        /** A 5xx (500, 502, 503, 504) with the API's own error body. */
        public void serverError(int status) {
            if (status < 500 || status > 599) {
                throw new IllegalArgumentException("not a 5xx status: " + status);
            }
            arm(this, new Fault(Kind.ERROR, status, null, null, null, null));
        }

        /** Any status with this error code and message, e.g. 403 Authorization_RequestDenied. */
        public void error(int status, String code, String message) {
            arm(this, new Fault(Kind.ERROR, status, Objects.requireNonNull(code), Objects.requireNonNull(message), null, null));
        }

        /** Closes the connection without an answer; the journal records status 0. */
        public void reset() {
            arm(this, new Fault(Kind.RESET, 0, null, null, null, null));
        }

        /** Performs the request (state changes) and then answers 503 instead of the real response. */
        public void lostResponse() {
            arm(this, new Fault(Kind.LOST_RESPONSE, 503, null, null, null, null));
        }

        /** Performs the request (state changes) and then closes the connection without an answer. */
        public void lostResponseWithReset() {
            arm(this, new Fault(Kind.LOST_RESPONSE_RESET, 0, null, null, null, null));
        }

        /** Waits this long, then answers normally. */
        public void delay(Duration delay) {
            arm(this, new Fault(Kind.DELAY, 0, null, null, null, Objects.requireNonNull(delay)));
        }
    }
}
