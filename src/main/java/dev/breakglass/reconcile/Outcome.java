package dev.breakglass.reconcile;

import java.time.Duration;

/**
 * What {@link Step#apply} (or the {@link StepRunner} around it) decided. Each value tells the driver
 * what to do next: the queue driver re-enqueues {@link RequeueAfter} with a visibility delay, the
 * CLI waits in-process; {@link Terminal} is never retried.
 */
public sealed interface Outcome {

    /** The step's thing is in the desired state (it was, or the step made it so). */
    record Done(String message) implements Outcome {
    }

    /**
     * Not yet: try the whole step again (observe → apply) after {@code delay}. Used for replication
     * lag, throttling beyond what is worth waiting for in-process, and unmet prerequisites.
     */
    record RequeueAfter(Duration delay, String reason) implements Outcome {
    }

    /**
     * Retrying cannot help (forbidden, foreign object, policy violation): the run fails with this
     * CamelCase {@code reason} and a plain-English, actionable {@code message}.
     */
    record Terminal(String reason, String message) implements Outcome {
    }
}
