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
        FunctionsApp app = create(tenant, storage);
        FunctionsHost host = new FunctionsHost(storage, app);
        host.stepsQueue().clearMessages();
        host.poisonQueue().clearMessages();
        return new FunctionsTestApp(app, host);
    }

    /**
     * The app, with its queue signing key already read (created in the fresh vault) and those vault calls left out
     * of the journal: the tests' fault rules and journal assertions are about the run, and the key has its own test
     * ({@code KeyVaultSigningKeyIT}).
     */
    static FunctionsApp create(TestTenant tenant, String storage) {
        FunctionsApp app = FunctionsApp.create(tenant.spec(), tenant.engine(), storage);
        tenant.engine().queueSigningKey().get();
        tenant.fake().journal().clear();
        return app;
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
