package dev.breakglass.reconcile;

import java.time.Duration;

/** Waits. Injected so that tests can measure waits and drivers can cap them. */
@FunctionalInterface
public interface Sleeper {

    Sleeper REAL = duration -> {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    };

    void sleep(Duration duration);
}
