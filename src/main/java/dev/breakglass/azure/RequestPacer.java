package dev.breakglass.azure;

import dev.breakglass.reconcile.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Lets at most one request through per interval, process-wide for the client that owns it: the
 * Conditional Access service allows one request per second per tenant, for all apps together
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 */
final class RequestPacer {

    private final Duration interval;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant next = Instant.MIN;

    RequestPacer(Duration interval, Clock clock, Sleeper sleeper) {
        this.interval = interval;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Waits until the next request may go, and reserves that slot. */
    synchronized void acquire() {
        Instant now = Instant.now(clock);
        if (now.isBefore(next)) {
            sleeper.sleep(Duration.between(now, next));
            now = Instant.now(clock);
        }
        next = now.plus(interval);
    }
}
