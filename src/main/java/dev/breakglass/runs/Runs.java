package dev.breakglass.runs;

import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.spec.BreakGlassSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Provisioning runs driven one queue message per unit of work: start a run, handle a step message,
 * fail a run from the poison queue. Each message is handled as observe → apply → record → enqueue
 * what became ready, and is safe to deliver twice, late, or out of order.
 */
public final class Runs {

    /** The single provisioning lock: at most one run at a time (no parallel provisioning). */
    static final String PROVISIONING_LOCK = "provisioning";
    /** A run that has not ended after this long no longer blocks a new one. */
    private static final Duration RUN_SLA = Duration.ofHours(2);
    /** How long the holder of a fresh lock may take to write its run record (one table write). */
    private static final Duration RECORD_AFTER_LOCK = Duration.ofSeconds(5);
    /** As long as the Functions timeout: a worker that died loses its lease after this. */
    static final Duration LEASE = Duration.ofMinutes(10);
    private static final Duration PREREQUISITE_WAIT = Duration.ofSeconds(5);
    /** A step that has asked to wait this many times fails the run instead of waiting forever. */
    static final int MAX_WAITS = 120;

    private final BreakGlassSpec spec;
    private final Workflow workflow;
    private final RunStore store;
    private final StepQueue queue;
    private final Clock clock;
    private final Signatures signatures;
    private final Consumer<String> securityLog;
    private final Compensations compensations;

    /**
     * @param compensation for a run's start time, what a run that ends early does to each account it got to (D13),
     *                     as a step named {@code Compensate}
     * @param signatures   signs every message sent and every run created, and verifies them on delivery (G2)
     * @param securityLog  receives security events (forged, tampered or malformed messages) for alerting
     */
    public Runs(BreakGlassSpec spec, Workflow workflow, Function<Instant, ? extends Step> compensation, RunStore store,
            StepQueue queue, Clock clock, Signatures signatures, Consumer<String> securityLog) {
        this.spec = spec;
        this.workflow = workflow;
        this.store = store;
        this.queue = queue.signedWith(signatures);
        this.clock = clock;
        this.signatures = signatures;
        this.securityLog = securityLog;
        this.compensations = new Compensations(spec, workflow, compensation, store, this.queue, clock);
    }

    /**
     * Starts a run, or returns the run already in progress. The run record is durable before the
     * first message is sent; if sending fails the run is failed, the lock released, and the caller
     * told to retry.
     */
    public Run start(String reason, boolean dryRun) {
        return start(reason, dryRun, () -> true).orElseThrow();
    }

    /**
     * As {@link #start(String, boolean)}, but a new run starts only if {@code admit} agrees once this call holds
     * the lock, so that a limit (runs per day) is charged only for runs that really start, never for a caller
     * answered with the run in progress.
     *
     * @return the new or running run, or empty when {@code admit} refused (the lock is released)
     */
    public Optional<Run> start(String reason, boolean dryRun, java.util.function.BooleanSupplier admit) {
        String id = UUID.randomUUID().toString();
        Instant now = Instant.now(clock);
        String holder = store.lock(PROVISIONING_LOCK, id, now.plus(RUN_SLA), this::isRunning);
        if (!holder.equals(id)) {
            return Optional.of(store.find(holder).orElseThrow());
        }
        boolean admitted;
        try {
            admitted = admit.getAsBoolean();
        } catch (RuntimeException e) {
            store.unlock(PROVISIONING_LOCK, id);
            throw e;
        }
        if (!admitted) {
            store.unlock(PROVISIONING_LOCK, id);
            return Optional.empty();
        }
        Run run = new Run(id, RunStatus.Running, dryRun, reason, 1, now, now, null, null, null);
        String seal;
        try {
            seal = signatures.seal(run); // the first seal of an instance reads the key from the vault
        } catch (RuntimeException vaultUnavailable) {
            store.unlock(PROVISIONING_LOCK, id);
            throw vaultUnavailable;
        }
        store.create(run, seal);
        try {
            for (StepKey first : ready(run, Map.of())) {
                dispatch(run, first);
            }
        } catch (RuntimeException e) {
            store.finish(id, RunStatus.Failed, null, "EnqueueFailed", "could not enqueue the first step");
            store.unlock(PROVISIONING_LOCK, id);
            throw e;
        }
        return Optional.of(run);
    }

    /** The provisioning run in progress, if any: operations that must not overlap one (rotation) refuse while it runs. */
    public Optional<Run> active() {
        return store.holder(PROVISIONING_LOCK).flatMap(store::find).filter(run -> run.status().active());
    }

    /**
     * A13: cancels a running run. It becomes Canceling, its remaining steps do nothing, and each account it got to
     * is compensated (D13) before it becomes Canceled and releases the lock. Canceling a run that is already
     * Canceling or Canceled changes nothing (a retried DELETE also re-sends compensation a dead worker did not send).
     *
     * @return the run as it stands after the request, or empty when there is no such run; a run that had already
     *         succeeded or failed is returned unchanged
     */
    public Optional<Run> cancel(String id) {
        Optional<Run> run = store.find(id);
        if (run.isPresent() && run.get().status() == RunStatus.Running) {
            compensations.begin(run.get(), RunStatus.Canceling, null, "Canceled", "the run was canceled on request");
        } else if (run.isPresent() && run.get().status() == RunStatus.Canceling) {
            compensations.resume(run.get());
        }
        return store.find(id);
    }

    public Optional<Run> find(String id) {
        return store.find(id);
    }

    public Map<StepKey, StepCondition> conditions(String runId) {
        return store.conditions(runId);
    }

    /**
     * Handles one step message: the message names keys only, and everything else is re-read. Its signature and
     * the run record's seal are verified first, before any cloud call (G2).
     *
     * @param messageId the queue message id, stable across redeliveries of the same message
     * @throws StepMessage.InvalidMessageException for a message that is not signed by us, names no live run, step or
     *         account, or names a run whose record was edited
     */
    public void handle(StepMessage message, String messageId) {
        if (!signatures.verifies(message)) {
            throw rejected("carries no valid signature (forged, or its fields were edited)", message);
        }
        RunStore.Sealed sealed = store.findSealed(message.runId()).orElseThrow(() -> rejected("names no run", message));
        if (!signatures.verifies(sealed.run(), sealed.seal())) {
            throw rejected("names a run whose record fails its integrity check (edited in the table)", message);
        }
        Run run = sealed.run();
        if (compensations.handles(message.key())) {
            if (spec.accounts().stream().noneMatch(account -> account.key().equals(message.key().account()))) {
                throw rejected("names no account of this spec", message);
            }
            compensations.handle(run, message, messageId);
            return;
        }
        Step step = workflow.step(message.key().step()).orElseThrow(() -> rejected("names no step", message));
        if (!workflow.keys(spec).contains(message.key())) {
            throw rejected("names no account of this spec", message);
        }
        if (run.status().compensating() && run.generation() == message.generation()) {
            // Not run. Recorded so, which also frees a lease a dead worker held, so compensation need not wait it out.
            if (store.lease(run.id(), message.key(), messageId, LEASE).isPresent()) {
                store.record(run.id(), message.key(), StepState.Canceled, "RunEnded", "not run: the run had ended");
            }
            compensations.resume(run); // the worker that ended the run may have died before sending compensation
            return;
        }
        if (run.status() != RunStatus.Running || run.generation() != message.generation()) {
            return;
        }
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        if (!prerequisitesDone(message.key(), conditions)) {
            queue.send(message, PREREQUISITE_WAIT);
            return;
        }
        Optional<Integer> attempt = store.lease(run.id(), message.key(), messageId, LEASE);
        if (attempt.isEmpty()) {
            StepCondition condition = store.conditions(run.id()).get(message.key());
            if (isDone(condition)) {
                advance(run); // a redelivery: its worker may have died after recording, before sending what follows
            } else if (condition != null && condition.state() == StepState.Waiting && condition.leaseUntil() != null) {
                // a duplicate (or a clock-skewed early) message of a waiting step: keep the wait, never drop the work
                queue.send(message, Duration.between(Instant.now(clock), condition.leaseUntil()));
            }
            return;
        }
        if (!stillRunning(run)) {
            // Canceled (or failed elsewhere) since it was read: with the lease held, compensation waits for this
            // unit, so nothing it does can slip in after compensation looked at the account.
            store.record(run.id(), message.key(), StepState.Canceled, "RunEnded", "not run: the run had ended");
            return;
        }
        Outcome outcome = execute(run, step, message.key());
        if (outcome instanceof Outcome.Done done) {
            store.record(run.id(), message.key(), StepState.Done, "Done", done.message());
            if (stillRunning(run)) {
                advance(run);
            }
        } else if (outcome instanceof Outcome.RequeueAfter requeue && attempt.get() < MAX_WAITS) {
            store.recordWaiting(run.id(), message.key(), requeue.reason(), Instant.now(clock).plus(requeue.delay()));
            queue.send(message, requeue.delay());
        } else {
            Outcome.Terminal failure = outcome instanceof Outcome.Terminal terminal ? terminal
                    : new Outcome.Terminal("TimedOut", "gave up waiting: " + ((Outcome.RequeueAfter) outcome).reason());
            fail(run.id(), message.key(), failure.reason(), failure.message());
        }
    }

    /**
     * B9: finds the running run that has made no progress for {@code noProgressFor} (its messages expired, were
     * lost, or every worker died) and sends again every unit of work that is ready but not done; a run older than
     * its SLA is failed as {@code Stuck} instead, so that no run stays "Running" forever.
     *
     * @return what was done, for the log; empty when every run is healthy
     */
    public Optional<String> supervise(Duration noProgressFor) {
        Optional<Run> running = store.lastHolder(PROVISIONING_LOCK).flatMap(store::find)
                .filter(run -> run.status().active());
        if (running.isEmpty()) {
            return Optional.empty();
        }
        Run run = running.get();
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        Instant lastProgress = conditions.values().stream().map(StepCondition::updatedAt)
                .reduce(run.updatedAt(), (a, b) -> a.isAfter(b) ? a : b);
        Instant now = Instant.now(clock);
        if (lastProgress.plus(noProgressFor).isAfter(now)) {
            return Optional.empty();
        }
        if (run.status().compensating()) {
            List<StepKey> unfinished = compensations.unfinished(run);
            unfinished.forEach(key -> queue.send(new StepMessage(run.id(), key, run.generation()), Duration.ZERO));
            compensations.resume(run);
            return Optional.of("run " + run.id() + " made no progress compensating since " + lastProgress
                    + "; sent again " + unfinished);
        }
        if (run.createdAt().plus(RUN_SLA).isBefore(now)) {
            store.finish(run.id(), RunStatus.Failed, null, "Stuck", "no progress since " + lastProgress
                    + " and the run is older than its SLA of " + RUN_SLA.toHours() + " h");
            store.unlock(PROVISIONING_LOCK, run.id());
            return Optional.of("failed stuck run " + run.id());
        }
        List<StepKey> resend = workflow.keys(spec).stream()
                .filter(key -> !isDone(conditions.get(key)))
                .filter(key -> conditions.get(key) == null || conditions.get(key).state() != StepState.Failed)
                .filter(key -> prerequisitesDone(key, conditions))
                .toList();
        for (StepKey key : resend) {
            queue.send(new StepMessage(run.id(), key, run.generation()), Duration.ZERO);
        }
        return Optional.of("run " + run.id() + " made no progress since " + lastProgress + "; sent again " + resend);
    }

    /** Fails the run a poisoned message belonged to (it failed on every delivery). */
    public void poisoned(String text) {
        StepMessage message;
        try {
            message = StepMessage.parse(text);
        } catch (StepMessage.InvalidMessageException e) {
            securityLog.accept("poison queue received a message that is not breakglass's: " + e.getMessage());
            return;
        }
        if (!signatures.verifies(message)) {
            // not ours: failing the run it names would let anyone who can write to the poison queue stop a run
            securityLog.accept("poison queue received a message with no valid signature (run "
                    + message.runId() + ", " + message.key() + ")");
            return;
        }
        Optional<Run> run = store.find(message.runId());
        if (run.isEmpty()) {
            securityLog.accept("poison queue received a message naming no run (" + message.key() + ")");
            return;
        }
        if (compensations.handles(message.key())) {
            compensations.failed(run.get(), message.key(), "PoisonMessage", "compensation failed on every delivery");
            return;
        }
        fail(run.get().id(), message.key(), "PoisonMessage", "step " + message.key()
                + " failed on every delivery; see the function logs for its errors");
    }

    private Outcome execute(Run run, Step step, StepKey key) {
        var context = workflow.context(spec, key, new RunReads());
        if (!run.dryRun()) {
            return workflow.runner().run(step, context);
        }
        Observation observed = workflow.runner().observe(step, context);
        return new Outcome.Done((observed instanceof Observation.UpToDate ? "no change: " : "would change: ")
                + observed.summary());
    }

    /** Sends every unit of work that just became ready; ends the run when nothing is left. */
    private void advance(Run run) {
        Map<StepKey, StepCondition> conditions = store.conditions(run.id());
        List<StepKey> keys = workflow.keys(spec);
        if (keys.stream().allMatch(key -> isDone(conditions.get(key)))) {
            store.finish(run.id(), RunStatus.Succeeded, null, null, null);
            store.unlock(PROVISIONING_LOCK, run.id());
            return;
        }
        for (StepKey next : ready(run, conditions)) {
            dispatch(run, next);
        }
    }

    /**
     * Sends a unit of work's first message, then marks it queued so that the next completion (or a duplicate of a
     * done step) does not send it again: without the mark every completion re-sent every ready unit not yet leased,
     * and the duplicates' own advances multiplied them. Sending first means a worker dying in between only causes one
     * more duplicate (the lease absorbs it), never a lost unit.
     */
    private void dispatch(Run run, StepKey key) {
        queue.send(new StepMessage(run.id(), key, run.generation()), Duration.ZERO);
        store.markQueued(run.id(), key);
    }

    /** Units of work not yet sent whose prerequisites are all done. */
    private List<StepKey> ready(Run run, Map<StepKey, StepCondition> conditions) {
        return workflow.keys(spec).stream()
                .filter(key -> !conditions.containsKey(key))
                .filter(key -> prerequisitesDone(key, conditions))
                .toList();
    }

    private boolean prerequisitesDone(StepKey key, Map<StepKey, StepCondition> conditions) {
        return workflow.prerequisites(spec, key).stream().allMatch(before -> isDone(conditions.get(before)));
    }

    private static boolean isDone(StepCondition condition) {
        return condition != null && condition.state() == StepState.Done;
    }

    /** Records the failure, then compensates the accounts the run left half-provisioned before it becomes Failed. */
    private void fail(String runId, StepKey key, String reason, String message) {
        store.record(runId, key, StepState.Failed, reason, message);
        store.find(runId).ifPresent(run -> compensations.begin(run, RunStatus.Failing, key.toString(), reason,
                message));
    }

    private boolean stillRunning(Run run) {
        return store.find(run.id()).map(current -> current.status() == RunStatus.Running).orElse(false);
    }

    /**
     * Whether the lock's holder is a running run. The holder writes its run record just after taking the lock, so a
     * missing record may be a moment away: a POST racing it waits for the record instead of taking the lock over and
     * starting a second run (TESTS.md A8). A holder that died between the two leaves no record, and the lock is
     * taken over once the wait is out.
     */
    private boolean isRunning(String runId) {
        long deadline = System.nanoTime() + RECORD_AFTER_LOCK.toNanos();
        while (true) {
            Optional<Run> run = store.find(runId);
            if (run.isPresent()) {
                return run.get().status().active();
            }
            if (System.nanoTime() > deadline) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return true;
            }
        }
    }

    private StepMessage.InvalidMessageException rejected(String why, StepMessage message) {
        String reason = "message " + why + " (run " + message.runId() + ", " + message.key() + ")";
        securityLog.accept("rejected a queue message that " + reason);
        return new StepMessage.InvalidMessageException(reason);
    }
}
