package dev.breakglass.azure;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.logging.Logger;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * Slows down before Graph throttles (TESTS.md C11). Graph adds {@code x-ms-throttle-limit-percentage} to successful
 * responses once the app has used more than 0.8 of a limit, with values from 0.8 to 1.8
 * (https://learn.microsoft.com/graph/throttling-limits#regular-responses-requests). While the last such value seen is
 * at least 0.8, and until a quiet period has passed without one, this client's Graph requests go one at a time:
 * whatever issued them (a step's side-by-side reads, the units of an in-process run, concurrent queue invocations in
 * one worker) waits here instead of adding to the load and ending in 429s.
 *
 * <p>Gating at the HTTP client, once, covers every source of concurrency without each knowing about throttling. Only
 * the header is read: never a body or another header. Each change of mode is logged as one metric-shaped line,
 * {@code breakglass.throttle percentage=0.9 concurrency=1}, for a log-based alert.
 */
final class GraphPressure implements Interceptor {

    static final String HEADER = "x-ms-throttle-limit-percentage";
    static final double THRESHOLD = 0.8;
    /** Long enough to span a few of Graph's 10-second limit windows after the last warning. */
    static final Duration QUIET_PERIOD = Duration.ofSeconds(30);
    private static final Logger LOG = Logger.getLogger("dev.breakglass.throttle");

    private final Clock clock;
    private final Semaphore oneAtATime = new Semaphore(1, true);
    private volatile Instant reducedUntil = Instant.MIN;
    private boolean reduced;

    GraphPressure(Clock clock) {
        this.clock = clock;
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        if (!reduced()) {
            return observe(chain.proceed(chain.request()));
        }
        oneAtATime.acquireUninterruptibly();
        try {
            return observe(chain.proceed(chain.request()));
        } finally {
            oneAtATime.release();
        }
    }

    /** Whether requests go one at a time now; logs the return to normal once the quiet period has passed. */
    boolean reduced() {
        if (clock.instant().isBefore(reducedUntil)) {
            return true;
        }
        synchronized (this) {
            if (reduced && !clock.instant().isBefore(reducedUntil)) {
                reduced = false;
                LOG.info(() -> "breakglass.throttle percentage=none concurrency=unlimited quietFor="
                        + QUIET_PERIOD.toSeconds() + "s");
            }
        }
        return false;
    }

    private Response observe(Response response) {
        String value = response.isSuccessful() ? response.header(HEADER) : null;
        if (value != null) {
            observed(value.trim());
        }
        return response;
    }

    /** One value of the header, from a successful response. */
    void observed(String value) {
        double percentage;
        try {
            percentage = Double.parseDouble(value);
        } catch (NumberFormatException notANumber) {
            return;
        }
        if (!(percentage >= THRESHOLD)) {
            return;
        }
        synchronized (this) {
            reducedUntil = clock.instant().plus(QUIET_PERIOD);
            if (!reduced) {
                reduced = true;
                LOG.info(() -> String.format(Locale.ROOT, "breakglass.throttle percentage=%s concurrency=1",
                        percentage));
            }
        }
    }
}
