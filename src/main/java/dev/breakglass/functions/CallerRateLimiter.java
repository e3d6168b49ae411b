package dev.breakglass.functions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A token bucket per caller (TESTS.md A10): each caller may make {@code burst} requests at once and then one
 * per {@code refillEvery}; beyond that the caller is told how long to wait, before the request costs a storage
 * read.
 *
 * <p>Per instance, in memory: a shared counter would cost a table write per poll, the very storage load the
 * limit protects against, and a caller that reaches several instances still gets a bounded multiple of the
 * limit (the Functions plan caps the instance count). Memory is bounded: at most {@code maxCallers} buckets,
 * the least recently used dropped first, so a flood of distinct callers (forged {@code x-forwarded-for}
 * values) cannot exhaust the heap; a dropped caller starts again with a full bucket, which only costs the
 * reads the limit would have spared.
 */
final class CallerRateLimiter {

    private final int burst;
    private final Duration refillEvery;
    private final Clock clock;
    private final Map<String, Bucket> buckets;

    CallerRateLimiter(int burst, Duration refillEvery, int maxCallers, Clock clock) {
        this.burst = burst;
        this.refillEvery = refillEvery;
        this.clock = clock;
        this.buckets = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Bucket> eldest) {
                return size() > maxCallers;
            }
        };
    }

    /** Takes one token for {@code caller}: empty when allowed, else how long until the next token. */
    synchronized Optional<Duration> acquire(String caller) {
        Instant now = clock.instant();
        Bucket bucket = buckets.computeIfAbsent(caller, key -> new Bucket(burst, now));
        bucket.refill(now, burst, refillEvery);
        if (bucket.tokens > 0) {
            bucket.tokens--;
            return Optional.empty();
        }
        return Optional.of(Duration.between(now, bucket.refilledAt.plus(refillEvery)));
    }

    /** How many callers are remembered (for the memory bound's test). */
    synchronized int callers() {
        return buckets.size();
    }

    private static final class Bucket {
        private int tokens;
        /** When the last token was added; tokens accrue from here. */
        private Instant refilledAt;

        Bucket(int tokens, Instant refilledAt) {
            this.tokens = tokens;
            this.refilledAt = refilledAt;
        }

        void refill(Instant now, int burst, Duration every) {
            long earned = Duration.between(refilledAt, now).toNanos() / every.toNanos();
            if (earned <= 0) {
                return;
            }
            tokens = (int) Math.min(burst, tokens + earned);
            refilledAt = tokens == burst ? now : refilledAt.plus(every.multipliedBy(earned));
        }
    }
}
