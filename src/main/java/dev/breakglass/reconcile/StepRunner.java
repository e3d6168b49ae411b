package dev.breakglass.reconcile;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * Runs one step once: observe, then apply only when needed, turning every failure into one
 * {@link Outcome}. Transient failures are retried in-process while the wait is short (the server's
 * Retry-After when it sent one, otherwise {@link Backoff}); a longer wait becomes
 * {@link Outcome.RequeueAfter} so that a queue worker never sleeps for minutes inside a function
 * (Kiota would: it sleeps for any Retry-After). Terminal failures become {@link Outcome.Terminal}.
 * Anything else is a bug and propagates (the poison queue is the last resort).
 */
public final class StepRunner {

    private final Sleeper sleeper;
    private final Backoff backoff;
    private final Duration maxInProcessWait;
    private final int maxInProcessAttempts;
    private final StepEvents events;

    /**
     * @param maxInProcessWait     the longest single wait done in-process; longer waits are requeued
     * @param maxInProcessAttempts attempts within one run before a transient failure is requeued
     */
    public StepRunner(Sleeper sleeper, Backoff backoff, Duration maxInProcessWait, int maxInProcessAttempts,
            StepEvents events) {
        this.sleeper = sleeper;
        this.backoff = backoff;
        this.maxInProcessWait = maxInProcessWait;
        this.maxInProcessAttempts = maxInProcessAttempts;
        this.events = events;
    }

    public StepRunner withEvents(StepEvents newEvents) {
        return new StepRunner(sleeper, backoff, maxInProcessWait, maxInProcessAttempts, newEvents);
    }

    /** Observe → apply when not up to date (nor skipped). Zero writes when the thing is already right. */
    public Outcome run(Step step, StepContext context) {
        Outcome outcome = retrying(step, context, () -> {
            Observation observed = step.observe(context);
            events.observed(step.name(), context.target(), observed);
            if (observed instanceof Observation.UpToDate upToDate) {
                return new Outcome.Done(upToDate.detail());
            }
            if (observed instanceof Observation.Skipped skipped) {
                return new Outcome.Done(skipped.summary());
            }
            if (observed instanceof Observation.AwaitingPeople awaiting) {
                return new Outcome.Done(awaiting.summary());
            }
            if (observed instanceof Observation.Unknown unknown) {
                return new Outcome.RequeueAfter(backoff.delay(1), unknown.reason());
            }
            return step.apply(context, observed);
        });
        events.finished(step.name(), context.target(), outcome);
        return outcome;
    }

    /** Observe only (verification, plan): a failure to read becomes {@link Observation.Unknown}. */
    public Observation observe(Step step, StepContext context) {
        Observation[] observed = new Observation[1];
        Outcome outcome = retrying(step, context, () -> {
            observed[0] = step.observe(context);
            return new Outcome.Done("observed");
        });
        Observation result;
        if (outcome instanceof Outcome.Terminal terminal) {
            result = new Observation.Unknown(terminal.message());
        } else if (outcome instanceof Outcome.RequeueAfter requeue) {
            result = new Observation.Unknown(requeue.reason());
        } else {
            result = observed[0];
        }
        events.observed(step.name(), context.target(), result);
        return result;
    }

    private Outcome retrying(Step step, StepContext context, Supplier<Outcome> attempt) {
        for (int attemptNumber = 1; ; attemptNumber++) {
            try {
                return attempt.get();
            } catch (CloudException failure) {
                if (failure.kind() == CloudException.Kind.TERMINAL) {
                    return new Outcome.Terminal(failure.code(), failure.getMessage());
                }
                Duration wait = failure.retryAfter().orElseGet(() -> backoff.delay(1));
                if (attemptNumber >= maxInProcessAttempts || wait.compareTo(maxInProcessWait) > 0) {
                    return new Outcome.RequeueAfter(wait, failure.getMessage());
                }
                if (failure.retryAfter().isEmpty()) {
                    wait = backoff.delay(attemptNumber);
                }
                events.retrying(step.name(), context.target(), wait, failure.getMessage());
                sleeper.sleep(wait);
            }
        }
    }
}
