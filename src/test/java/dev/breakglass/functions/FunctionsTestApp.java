package dev.breakglass.functions;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import dev.breakglass.testing.Azurite;
import dev.breakglass.testing.TestTenant;

/**
 * The Functions app as the integration tests start it: on the shared Azurite, with an empty run table (a run
 * lock or run left by an earlier test must not answer for this one) and empty step and poison queues, over a
 * tenant the test has already prepared. The test keeps owning (and closing) the tenant.
 */
final class FunctionsTestApp {

    private final FunctionsApp app;
    private final FunctionsHost host;

    private FunctionsTestApp(FunctionsApp app, FunctionsHost host) {
        this.app = app;
        this.host = host;
    }

    /** Empties the run table and both queues, then wires the app over {@code tenant} and a host driver. */
    static FunctionsTestApp start(TestTenant tenant) {
        String storage = emptyRunTable();
        FunctionsApp app = FunctionsApp.create(tenant.spec(), tenant.engine(), storage);
        FunctionsHost host = new FunctionsHost(storage, app);
        host.stepsQueue().clearMessages();
        host.poisonQueue().clearMessages();
        return new FunctionsTestApp(app, host);
    }

    /** Drops the run table on the shared Azurite (the app creates it again) and answers its connection string. */
    static String emptyRunTable() {
        String storage = Azurite.shared().connectionString();
        try {
            runTable().deleteTable();
        } catch (RuntimeException absent) {
            // first test of the JVM: nothing to delete
        }
        return storage;
    }

    /** The run table as the app stores it, for tests that assert what it holds. */
    static TableClient runTable() {
        return new TableClientBuilder().connectionString(Azurite.shared().connectionString())
                .tableName(FunctionsApp.RUNS_TABLE).buildClient();
    }

    FunctionsApp app() {
        return app;
    }

    FunctionsHost host() {
        return host;
    }
}
