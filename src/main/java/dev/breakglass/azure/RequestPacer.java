package dev.breakglass.azure;

import dev.breakglass.reconcile.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

/**
 * Sends at most one request per interval, one at a time, for the client that owns it: the
 * Conditional Access service allows one request per second per tenant, for all apps together
 * (https://learn.microsoft.com/graph/throttling-limits#identity-and-access-service-limits).
 * The interval is counted from the end of the previous call, not its start, so that a request that
 * travels faster than the one before it still reaches the service a full interval later.
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

    /** Waits for this client's turn, makes the call, and starts the next interval when it returns. */
    synchronized <T> T call(Supplier<T> request) {
        Instant now = Instant.now(clock);
        if (now.isBefore(next)) {
            sleeper.sleep(Duration.between(now, next));
        }
        try {
            return request.get();
        } finally {
            next = Instant.now(clock).plus(interval);
        }
    }
}
