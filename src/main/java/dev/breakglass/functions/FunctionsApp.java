package dev.breakglass.functions;

import com.azure.core.http.okhttp.OkHttpAsyncHttpClientBuilder;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableServiceException;
import com.azure.storage.queue.QueueClient;
import com.azure.storage.queue.models.QueueStorageException;
import dev.breakglass.azure.Engine;
import dev.breakglass.runs.RunStore;
import dev.breakglass.runs.Runs;
import dev.breakglass.runs.Signatures;
import dev.breakglass.runs.StepQueue;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecLoader;
import dev.breakglass.spec.SpecValidationException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Logger;
import java.util.regex.Pattern;

/**
 * The object graph of the Functions app, built once per worker from the app settings: the spec,
 * the engine with its SDK clients, and the run store and queue on {@code AzureWebJobsStorage}.
 * Bad configuration fails here, at the first invocation, with a message naming the setting.
 */
public final class FunctionsApp {

    public static final String RUNS_TABLE = "breakglassruns";
    /** Where security events (forged or tampered messages) are logged, for alerting. */
    public static final String SECURITY_LOGGER = "dev.breakglass.security";
    /** Six NCRONTAB fields (second minute hour day month weekday), e.g. {@code 0 0 * * * *}. */
    private static final Pattern NCRONTAB = Pattern.compile("^\\S+( \\S+){5}$");
    /**
     * Status polls per caller: a burst of 10, then one a second. Logic Apps polls every {@link
     * HttpJson#RETRY_AFTER_SECONDS} seconds, so only a client that ignores Retry-After ever meets the limit.
     */
    private static final int STATUS_BURST = 10;
    private static final Duration STATUS_REFILL = Duration.ofSeconds(1);
    /** Buckets kept per instance: ~100 bytes each, so about a megabyte at most. */
    private static final int STATUS_CALLERS = 10_000;
    private static volatile FunctionsApp instance;
    /** The prefix of every security event line. */
    static final String SECURITY_EVENT = "SECURITY: ";

    private final BreakGlassSpec spec;
    private final Engine engine;
    private final RunStore store;
    private final Signatures signatures;
    private final Runs runs;
    private final Clock clock;
    private final Logger security = LogRedaction.install(Logger.getLogger(SECURITY_LOGGER));
    private final CallerRateLimiter statusLimiter;

    public FunctionsApp(BreakGlassSpec spec, Engine engine, RunStore store, StepQueue queue, Clock clock) {
        this.spec = spec;
        this.engine = engine;
        this.store = store;
        this.signatures = new Signatures(engine.queueSigningKey());
        this.clock = clock;
        this.runs = new Runs(spec, engine.workflow(), engine::compensation, store, queue, clock, signatures,
                this::securityEvent);
        this.statusLimiter = new CallerRateLimiter(STATUS_BURST, STATUS_REFILL, STATUS_CALLERS, clock);
    }

    /** The worker's app, built from the process environment on first use. */
    public static FunctionsApp get() {
        FunctionsApp app = instance;
        if (app == null) {
            synchronized (FunctionsApp.class) {
                if (instance == null) {
                    instance = fromSettings(System.getenv());
                }
                app = instance;
            }
        }
        return app;
    }

    /** Builds the app from app settings (the environment in Azure). */
    public static FunctionsApp fromSettings(Map<String, String> settings) {
        validateSchedule(settings.get(Setting.VERIFY_SCHEDULE.key()));
        BreakGlassSpec spec = SpecLoader.load(settings);
        StorageConnection storage = StorageConnection.fromSettings(settings);
        return create(spec, Engine.create(spec, null), storage);
    }

    /** Builds the app for a spec and engine, on the storage account of {@code connectionString}. */
    public static FunctionsApp create(BreakGlassSpec spec, Engine engine, String connectionString) {
        return create(spec, engine, new StorageConnection(connectionString, null, null, null));
    }

    private static FunctionsApp create(BreakGlassSpec spec, Engine engine, StorageConnection storage) {
        var http = new OkHttpAsyncHttpClientBuilder().build();
        TableClient table = storage.table(RUNS_TABLE, http);
        QueueClient queue = storage.queue(StepQueue.NAME, http);
        createIfMissing(table, queue);
        return new FunctionsApp(spec, engine, new RunStore(table, Clock.systemUTC()), new StepQueue(queue),
                Clock.systemUTC());
    }

    private static void createIfMissing(TableClient table, QueueClient queue) {
        try {
            table.createTable();
        } catch (TableServiceException alreadyThere) {
            if (alreadyThere.getResponse().getStatusCode() != 409) {
                throw alreadyThere;
            }
        }
        try {
            queue.createIfNotExists();
        } catch (QueueStorageException e) {
            throw new IllegalStateException("creating queue " + StepQueue.NAME + ": " + e.getErrorCode(), e);
        }
    }

    static void validateSchedule(String schedule) {
        if (schedule != null && !schedule.isBlank() && !NCRONTAB.matcher(schedule.trim()).matches()) {
            throw new SpecValidationException(List.of(Setting.VERIFY_SCHEDULE.key() + " must be a six-field NCRONTAB "
                    + "expression (second minute hour day month weekday, UTC), e.g. '0 0 * * * *'"));
        }
    }

    public BreakGlassSpec spec() {
        return spec;
    }

    public Engine engine() {
        return engine;
    }

    public Runs runs() {
        return runs;
    }

    /** The one signer of this app's messages and run records (tests sign the messages they inject with it). */
    public Signatures signatures() {
        return signatures;
    }

    public RunStore store() {
        return store;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * Where security events go: one warning line starting with {@link #SECURITY_EVENT}, which the deployed
     * {@code breakglass-security-event} alert (infra/modules/alerts.bicep) selects.
     */
    void securityEvent(String event) {
        security.warning(SECURITY_EVENT + event);
    }

    /** Per-instance limit of status polls per caller (TESTS.md A10). */
    CallerRateLimiter statusLimiter() {
        return statusLimiter;
    }
}
