package dev.breakglass.reconcile;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Exponential backoff with jitter, for failures that carry no Retry-After (Conditional Access sends
 * none on its 429s: https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 * Attempt 1 waits between {@code initial} and 1.5 × {@code initial}; each later attempt doubles, up
 * to {@code max}.
 */
public final class Backoff {

    public static final Backoff DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60), new SecureRandom());

    private final Duration initial;
    private final Duration max;
    private final RandomGenerator random;

    public Backoff(Duration initial, Duration max, RandomGenerator random) {
        this.initial = initial;
        this.max = max;
        this.random = random;
    }

    /** The wait before retry number {@code attempt} (1-based). */
    public Duration delay(int attempt) {
        long base = initial.toMillis() << Math.min(Math.max(attempt - 1, 0), 20);
        long capped = Math.min(base, max.toMillis());
        long jitter = (long) (capped * 0.5 * random.nextDouble());
        return Duration.ofMillis(Math.min(capped + jitter, max.toMillis() + max.toMillis() / 2));
    }
}
