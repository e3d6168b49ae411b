package dev.breakglass.reconcile;

import java.time.Duration;

/** What a driver wants to hear while steps run: progress for the CLI, logs for the Functions host. */
public interface StepEvents {

    StepEvents NONE = new StepEvents() {
    };

    default void observed(String step, String target, Observation observation) {
    }

    default void retrying(String step, String target, Duration delay, String reason) {
    }

    default void finished(String step, String target, Outcome outcome) {
    }
}
