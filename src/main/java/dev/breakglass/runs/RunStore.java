package dev.breakglass.runs;

import com.azure.core.http.rest.Response;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableServiceException;
import dev.breakglass.reconcile.StepKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Runs, their step conditions, locks and idempotency keys in one Azure Table, with ETag optimistic
 * concurrency wherever two workers could race. Nothing secret is ever stored here.
 */
public final class RunStore {

    private static final String RUNS = "runs";
    private static final String LOCKS = "locks";
    private static final String IDEMPOTENCY = "idempotency";
    private static final String REPORTS = "reports";
    private static final String READERS = "readers";
    private static final String DAILY_RUNS = "dailyruns";
    private static final int CONFLICT = 409;
    private static final int PRECONDITION_FAILED = 412;
    private static final int NOT_FOUND = 404;

    private final TableClient table;
    private final Clock clock;

    public RunStore(TableClient table, Clock clock) {
        this.table = table;
        this.clock = clock;
    }

    /** Writes a new run with the seal of its immutable fields ({@link Signatures#seal}). */
    public void create(Run run, String seal) {
        TableEntity entity = new TableEntity(RUNS, run.id());
        write(entity, run);
        entity.addProperty("seal", seal);
        table.createEntity(entity);
    }

    public Optional<Run> find(String id) {
        return get(RUNS, id).map(RunStore::toRun);
    }

    /** A run with the seal stored at its creation (later updates keep it), for the step path to verify. */
    public Optional<Sealed> findSealed(String id) {
        return get(RUNS, id).map(entity -> new Sealed(toRun(entity), (String) entity.getProperty("seal")));
    }

    /** Marks a running run finished; a run that already finished keeps its first verdict. */
    public void finish(String id, RunStatus status, String failedStep, String errorCode, String error) {
        transition(id, RunStatus.Running, status, failedStep, errorCode, error);
    }

    /**
     * Moves a run from {@code from} to {@code to} with this failure (all null for none), unless it has moved on.
     *
     * @return whether this call made the move
     */
    public boolean transition(String id, RunStatus from, RunStatus to, String failedStep, String errorCode,
            String error) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<TableEntity> entity = get(RUNS, id);
            if (entity.isEmpty() || toRun(entity.get()).status() != from) {
                return false;
            }
            Run run = toRun(entity.get());
            write(entity.get(), new Run(run.id(), to, run.dryRun(), run.reason(), run.generation(), run.createdAt(),
                    Instant.now(clock), failedStep, errorCode, error));
            if (replaceIfUnchanged(entity.get())) {
                return true;
            }
        }
        throw new IllegalStateException("updating run " + id + ": too many concurrent updates");
    }

    /** Every recorded condition of a run, by unit of work. */
    public Map<StepKey, StepCondition> conditions(String runId) {
        Map<StepKey, StepCondition> conditions = new LinkedHashMap<>();
        ListEntitiesOptions options = new ListEntitiesOptions().setFilter("PartitionKey eq '" + conditionPartition(runId)
                + "'");
        for (TableEntity entity : table.listEntities(options, null, null)) {
            StepCondition condition = toCondition(entity);
            conditions.put(condition.key(), condition);
        }
        return conditions;
    }

    /**
     * Claims a unit of work for one queue message. Succeeds when nobody holds it, when the lease
     * lapsed, or when the holder is this same message redelivered (its worker died); never while it waits out a
     * delay recorded by {@link #recordWaiting}.
     *
     * @return the attempt number, or empty when another message holds the lease or the work is done
     */
    public Optional<Integer> lease(String runId, StepKey key, String messageId, Duration duration) {
        Instant now = Instant.now(clock);
        Optional<TableEntity> existing = get(conditionPartition(runId), rowKey(key));
        if (existing.isEmpty()) {
            TableEntity entity = new TableEntity(conditionPartition(runId), rowKey(key));
            write(entity, new StepCondition(key, StepState.Running, "Started", "running", 1, now, now.plus(duration),
                    messageId));
            try {
                table.createEntity(entity);
                return Optional.of(1);
            } catch (TableServiceException e) {
                if (status(e) == CONFLICT) {
                    return Optional.empty();
                }
                throw e;
            }
        }
        StepCondition current = toCondition(existing.get());
        boolean held = current.state() == StepState.Running && current.leaseUntil() != null
                && current.leaseUntil().isAfter(now) && !messageId.equals(current.leaseHolder());
        boolean stillWaiting = current.state() == StepState.Waiting && current.leaseUntil() != null
                && current.leaseUntil().isAfter(now);
        if (stillWaiting) {
            return Optional.empty();
        }
        if (current.state() == StepState.Done || current.state() == StepState.Failed || held) {
            return Optional.empty();
        }
        int attempt = current.attempts() + 1;
        write(existing.get(), new StepCondition(key, StepState.Running, "Started", "running", attempt, now,
                now.plus(duration), messageId));
        return replaceIfUnchanged(existing.get()) ? Optional.of(attempt) : Optional.empty();
    }

    /** Records that a unit of work's message was sent, unless a worker already claimed or recorded it. */
    public void markQueued(String runId, StepKey key) {
        TableEntity entity = new TableEntity(conditionPartition(runId), rowKey(key));
        Instant now = Instant.now(clock);
        write(entity, new StepCondition(key, StepState.Pending, "Queued", "sent to the step queue", 0, now, null, null));
        try {
            table.createEntity(entity);
        } catch (TableServiceException e) {
            if (status(e) != CONFLICT) {
                throw e;
            }
        }
    }

    /** Records where a unit of work stands and releases its lease. */
    public void record(String runId, StepKey key, StepState state, String reason, String message) {
        TableEntity entity = get(conditionPartition(runId), rowKey(key))
                .orElseGet(() -> new TableEntity(conditionPartition(runId), rowKey(key)));
        int attempts = entity.getProperty("attempts") instanceof Integer count ? count : 0;
        write(entity, new StepCondition(key, state, reason, message, attempts, Instant.now(clock), null, null));
        table.upsertEntity(entity);
    }

    /**
     * Records that a unit of work waits until {@code until} (throttling, replication lag): no message may claim
     * it before then, so a duplicate delivery does not cut a server's Retry-After short (B10).
     */
    public void recordWaiting(String runId, StepKey key, String message, Instant until) {
        TableEntity entity = get(conditionPartition(runId), rowKey(key))
                .orElseGet(() -> new TableEntity(conditionPartition(runId), rowKey(key)));
        int attempts = entity.getProperty("attempts") instanceof Integer count ? count : 0;
        write(entity, new StepCondition(key, StepState.Waiting, "Waiting", message, attempts, Instant.now(clock), until,
                null));
        table.upsertEntity(entity);
    }

    /**
     * Takes a named lock for {@code holder} until {@code until}, unless someone else holds it and
     * {@code stillHeld} says their claim stands.
     *
     * @return the current holder: {@code holder} when taken
     */
    public String lock(String name, String holder, Instant until, java.util.function.Predicate<String> stillHeld) {
        for (int attempt = 0; attempt < 5; attempt++) {
            Optional<TableEntity> existing = get(LOCKS, name);
            if (existing.isEmpty()) {
                try {
                    table.createEntity(new TableEntity(LOCKS, name).addProperty("holder", holder)
                            .addProperty("until", until.toString()));
                    return holder;
                } catch (TableServiceException e) {
                    if (status(e) != CONFLICT) {
                        throw e;
                    }
                    continue;
                }
            }
            String current = (String) existing.get().getProperty("holder");
            Instant expires = Instant.parse((String) existing.get().getProperty("until"));
            if (expires.isAfter(Instant.now(clock)) && stillHeld.test(current)) {
                return current;
            }
            existing.get().addProperty("holder", holder).addProperty("until", until.toString());
            if (replaceIfUnchanged(existing.get())) {
                return holder;
            }
        }
        throw new IllegalStateException("taking lock " + name + ": too many concurrent claims");
    }

    /** Who holds a lock now (its claim not yet expired), without taking it. */
    public Optional<String> holder(String name) {
        return get(LOCKS, name)
                .filter(entity -> Instant.parse((String) entity.getProperty("until")).isAfter(Instant.now(clock)))
                .map(entity -> (String) entity.getProperty("holder"));
    }

    /** Who last took a named lock, even if the claim has expired (the supervisor looks for runs whose worker died). */
    public Optional<String> lastHolder(String name) {
        return get(LOCKS, name).map(entity -> (String) entity.getProperty("holder"));
    }

    /** Releases a lock if {@code holder} still holds it. */
    public void unlock(String name, String holder) {
        get(LOCKS, name).filter(entity -> holder.equals(entity.getProperty("holder"))).ifPresent(entity -> {
            try {
                table.deleteEntityWithResponse(entity, true, null, null);
            } catch (TableServiceException e) {
                if (status(e) != PRECONDITION_FAILED && status(e) != NOT_FOUND) {
                    throw e;
                }
            }
        });
    }

    /** The run an idempotency key was first used for, with the hash of that request's body. */
    public Optional<IdempotencyRecord> findIdempotency(String keyHash) {
        return get(IDEMPOTENCY, keyHash).map(entity -> new IdempotencyRecord((String) entity.getProperty("runId"),
                (String) entity.getProperty("requestHash")));
    }

    /** Records an idempotency key; the first writer wins and is returned. */
    public IdempotencyRecord claimIdempotency(String keyHash, IdempotencyRecord record) {
        try {
            table.createEntity(new TableEntity(IDEMPOTENCY, keyHash).addProperty("runId", record.runId())
                    .addProperty("requestHash", record.requestHash()));
            return record;
        } catch (TableServiceException e) {
            if (status(e) == CONFLICT) {
                return findIdempotency(keyHash).orElseThrow(() -> e);
            }
            throw e;
        }
    }

    /**
     * Counts one run against {@code day}'s limit unless {@code limit} were counted already (TESTS.md F10). The
     * count is a row per UTC day, updated under its ETag, so instances racing for the last slot cannot both
     * win; the rows are never deleted (one a day is a few kilobytes a year).
     *
     * @return whether the run may start
     */
    public boolean countRun(LocalDate day, int limit) {
        for (int attempt = 0; attempt < 10; attempt++) {
            Optional<TableEntity> existing = get(DAILY_RUNS, day.toString());
            if (existing.isEmpty()) {
                try {
                    table.createEntity(new TableEntity(DAILY_RUNS, day.toString()).addProperty("started", 1));
                    return true;
                } catch (TableServiceException e) {
                    if (status(e) != CONFLICT) {
                        throw e;
                    }
                    continue;
                }
            }
            int started = ((Number) existing.get().getProperty("started")).intValue();
            if (started >= limit) {
                return false;
            }
            existing.get().addProperty("started", started + 1);
            if (replaceIfUnchanged(existing.get())) {
                return true;
            }
        }
        throw new IllegalStateException("counting a run for " + day + ": too many concurrent updates");
    }

    /** Runs counted for {@code day} by {@link #countRun}. */
    public int runsCounted(LocalDate day) {
        return get(DAILY_RUNS, day.toString()).map(entity -> ((Number) entity.getProperty("started")).intValue())
                .orElse(0);
    }

    /** Saves the latest drift report (JSON). */
    public void saveReport(String json, Instant generatedAt) {
        table.upsertEntity(new TableEntity(REPORTS, "latest").addProperty("json", json)
                .addProperty("generatedAt", generatedAt.toString()));
    }

    public Optional<String> latestReport() {
        return get(REPORTS, "latest").map(entity -> (String) entity.getProperty("json"));
    }

    public record IdempotencyRecord(String runId, String requestHash) {
    }

    /**
     * Records that the API handed run {@code runId} to the authenticated caller {@code principalId} (it started or
     * joined the run), so only such callers may read it (TESTS.md A9). The principal's object id is stored, never a
     * token; the row key holds its hash, as a caller-supplied value may hold characters a row key may not.
     */
    public void addReader(String runId, String principalId) {
        table.upsertEntity(new TableEntity(READERS, runId + "_" + sha256(principalId)).addProperty("principalId",
                principalId));
    }

    /** The principals run {@code runId} was handed to; empty when it was started without an authenticated caller. */
    public java.util.Set<String> readers(String runId) {
        String filter = "PartitionKey eq '" + READERS + "' and RowKey gt '" + runId + "_' and RowKey lt '" + runId
                + "`'";
        return table.listEntities(new ListEntitiesOptions().setFilter(filter), null, null).stream()
                .map(entity -> (String) entity.getProperty("principalId"))
                .collect(java.util.stream.Collectors.toUnmodifiableSet());
    }

    private static String sha256(String text) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @param seal null for a record written without one (it never verifies) */
    public record Sealed(Run run, String seal) {
    }

    private Optional<TableEntity> get(String partition, String row) {
        try {
            return Optional.of(table.getEntity(partition, row));
        } catch (TableServiceException e) {
            if (status(e) == NOT_FOUND) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private boolean replaceIfUnchanged(TableEntity entity) {
        try {
            Response<Void> response = table.updateEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, true, null,
                    null);
            return response.getStatusCode() / 100 == 2;
        } catch (TableServiceException e) {
            if (status(e) == PRECONDITION_FAILED || status(e) == NOT_FOUND) {
                return false;
            }
            throw e;
        }
    }

    private static int status(TableServiceException e) {
        return e.getResponse() == null ? 0 : e.getResponse().getStatusCode();
    }

    private static String conditionPartition(String runId) {
        return "run-" + runId;
    }

    /** Row keys may not contain '/', '\\', '#' or '?'; account keys may contain '#'. */
    private static String rowKey(StepKey key) {
        return key.step() + "|" + (key.account() == null ? "" : key.account().replace("#", "%23"));
    }

    private static void write(TableEntity entity, Run run) {
        entity.addProperty("status", run.status().name())
                .addProperty("dryRun", run.dryRun())
                .addProperty("reason", run.reason())
                .addProperty("generation", run.generation())
                .addProperty("createdAt", run.createdAt().toString())
                .addProperty("updatedAt", run.updatedAt().toString())
                .addProperty("failedStep", run.failedStep())
                .addProperty("errorCode", run.errorCode())
                .addProperty("error", run.error());
    }

    private static Run toRun(TableEntity entity) {
        return new Run(entity.getRowKey(), RunStatus.valueOf((String) entity.getProperty("status")),
                Boolean.TRUE.equals(entity.getProperty("dryRun")), (String) entity.getProperty("reason"),
                ((Number) entity.getProperty("generation")).longValue(),
                Instant.parse((String) entity.getProperty("createdAt")),
                Instant.parse((String) entity.getProperty("updatedAt")), (String) entity.getProperty("failedStep"),
                (String) entity.getProperty("errorCode"), (String) entity.getProperty("error"));
    }

    private static void write(TableEntity entity, StepCondition condition) {
        entity.addProperty("step", condition.key().step())
                .addProperty("account", condition.key().account())
                .addProperty("state", condition.state().name())
                .addProperty("reason", condition.reason())
                .addProperty("message", condition.message())
                .addProperty("attempts", condition.attempts())
                .addProperty("updatedAt", condition.updatedAt().toString())
                .addProperty("leaseUntil", condition.leaseUntil() == null ? null : condition.leaseUntil().toString())
                .addProperty("leaseHolder", condition.leaseHolder());
    }

    private static StepCondition toCondition(TableEntity entity) {
        Object leaseUntil = entity.getProperty("leaseUntil");
        return new StepCondition(new StepKey((String) entity.getProperty("step"), (String) entity.getProperty("account")),
                StepState.valueOf((String) entity.getProperty("state")), (String) entity.getProperty("reason"),
                (String) entity.getProperty("message"), ((Number) entity.getProperty("attempts")).intValue(),
                Instant.parse((String) entity.getProperty("updatedAt")),
                leaseUntil == null ? null : Instant.parse((String) leaseUntil), (String) entity.getProperty("leaseHolder"));
    }
}
