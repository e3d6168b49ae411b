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
    private static volatile FunctionsApp instance;

    private final BreakGlassSpec spec;
    private final Engine engine;
    private final RunStore store;
    private final Signatures signatures;
    private final Runs runs;

    public FunctionsApp(BreakGlassSpec spec, Engine engine, RunStore store, StepQueue queue, Clock clock) {
        this.spec = spec;
        this.engine = engine;
        this.store = store;
        this.signatures = new Signatures(engine.queueSigningKey());
        Logger security = Logger.getLogger(SECURITY_LOGGER);
        this.runs = new Runs(spec, engine.workflow(), store, queue, clock, signatures, security::warning);
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
}
