package dev.breakglass.runs;

import dev.breakglass.reconcile.StepKey;
import java.time.Instant;

/**
 * One unit of work's condition within a run (Kubernetes style: a state, a CamelCase reason for
 * machines and a plain-English message for people).
 *
 * @param attempts   how many times the step has run in this run
 * @param leaseUntil while {@link StepState#Running}, when the holder's claim lapses
 * @param leaseHolder the queue message id holding the lease: a redelivery of the same message may take over
 */
public record StepCondition(StepKey key, StepState state, String reason, String message, int attempts,
        Instant updatedAt, Instant leaseUntil, String leaseHolder) {
}
