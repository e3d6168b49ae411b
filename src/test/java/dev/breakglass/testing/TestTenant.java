package dev.breakglass.testing;

import dev.breakglass.azure.Engine;
import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.reconcile.Backoff;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.reconcile.StepRunner;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.reconcile.Sleeper;
import dev.breakglass.reconcile.StepEvents;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecLoader;
import dev.breakglass.steps.password.PasswordGenerator;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * A fake tenant and a production {@link Engine} pointed at it: the real SDK clients over HTTPS,
 * differing from Azure only in endpoint, credential and one trusted certificate. Monitoring is on, with the
 * fake's workspace and one email receiver.
 */
public final class TestTenant implements AutoCloseable {

    private final FakeTenant fake;
    private final Map<String, String> settings;
    private PasswordGenerator generator = new PasswordGenerator();
    private Sleeper sleeper = Sleeper.REAL;
    private Clock clock = Clock.systemUTC();
    private Engine engine;

    private TestTenant(FakeTenant fake) {
        this.fake = fake;
        this.settings = new HashMap<>(Map.of(
                Setting.TENANT_ID.key(), fake.tenantId(),
                Setting.KEY_VAULT_URI.key(), fake.keyVaultUri(),
                Setting.GRAPH_ENDPOINT.key(), fake.graphBaseUrl(),
                Setting.ARM_ENDPOINT.key(), fake.armEndpoint(),
                Setting.CREDENTIAL.key(), "static-token",
                Setting.STATIC_TOKEN.key(), fake.accessToken(),
                Setting.LOG_ANALYTICS_WORKSPACE_ID.key(), fake.workspaceId(),
                Setting.ALERT_LOCATION.key(), fake.workspaceLocation(),
                Setting.ALERT_EMAILS.key(), "soc@" + fake.initialDomain()));
    }

    public static TestTenant start(TenantSeed seed) {
        return new TestTenant(FakeTenant.start(seed));
    }

    public static TestTenant demo() {
        TestTenant tenant = start(TenantSeed.demo());
        tenant.set(Setting.CA_ALLOW_LIST, TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID);
        return tenant;
    }

    public TestTenant set(Setting setting, String value) {
        settings.put(setting.key(), value);
        engine = null;
        return this;
    }

    /** Unsets the workspace and what depends on it: the monitoring steps then report Skipped. */
    public TestTenant withoutMonitoring() {
        set(Setting.LOG_ANALYTICS_WORKSPACE_ID, "");
        set(Setting.ALERT_LOCATION, "");
        return set(Setting.ALERT_EMAILS, "");
    }

    public TestTenant passwords(PasswordGenerator passwords) {
        this.generator = passwords;
        engine = null;
        return this;
    }

    public TestTenant sleeper(Sleeper newSleeper) {
        this.sleeper = newSleeper;
        engine = null;
        return this;
    }

    /** The engine's clock (the validation drill's "now"). */
    public TestTenant clock(Clock newClock) {
        this.clock = newClock;
        engine = null;
        return this;
    }

    public Map<String, String> settings() {
        return Map.copyOf(settings);
    }

    public FakeTenant fake() {
        return fake;
    }

    public BreakGlassSpec spec() {
        return engine().spec();
    }

    public Engine engine() {
        if (engine == null) {
            engine = Engine.create(SpecLoader.load(settings), fake.certificate(), generator, sleeper, clock);
        }
        return engine;
    }

    /** Runs one step once (observe → apply when needed) for an account key, or null for a tenant step. */
    public Outcome run(String step, String account) {
        Workflow workflow = engine().workflow();
        StepKey key = new StepKey(step, account);
        return runner().run(workflow.step(step).orElseThrow(), workflow.context(spec(), key, new RunReads()));
    }

    /** Runs one step until it is done or terminal, waiting out every RequeueAfter (bounded). */
    public Outcome runToEnd(String step, String account) {
        Outcome outcome = run(step, account);
        for (int attempt = 0; attempt < 40 && outcome instanceof Outcome.RequeueAfter requeue; attempt++) {
            sleeper.sleep(requeue.delay().compareTo(Duration.ofSeconds(2)) > 0 ? Duration.ofSeconds(2) : requeue.delay());
            outcome = run(step, account);
        }
        return outcome;
    }

    /** Observes one step without applying. */
    public Observation observe(String step, String account) {
        Workflow workflow = engine().workflow();
        return runner().observe(workflow.step(step).orElseThrow(),
                workflow.context(spec(), new StepKey(step, account), new RunReads()));
    }

    /** Applies every unit of work that comes before {@code step} in the workflow, so that its prerequisites hold. */
    public TestTenant applyBefore(String step) {
        for (StepKey key : engine().workflow().keys(spec())) {
            if (key.step().equals(step)) {
                return this;
            }
            Outcome outcome = runToEnd(key.step(), key.account());
            if (!(outcome instanceof Outcome.Done)) {
                throw new AssertionError("prerequisite " + key + " ended " + outcome);
            }
        }
        throw new IllegalArgumentException("no step " + step);
    }

    private StepRunner runner() {
        return new StepRunner(sleeper, Backoff.DEFAULT, Engine.MAX_IN_PROCESS_WAIT, 5, StepEvents.NONE);
    }

    /**
     * What the accounts' custodians do after provisioning, and what no apply can do for them: register a passkey on
     * each account and sign in with it (the validation drill). Until then BG.1011 and BG.1012 fail.
     */
    public TestTenant custodiansRegisterKeysAndDrill() {
        for (Account account : spec().accounts()) {
            fake.state().user(account.upn(fake.initialDomain())).ifPresent(user -> {
                fake.state().custodianRegistersPasskeyAndSignsIn(user.get("id").asText(), "Passkey of " + account.key(),
                        Instant.now());
            });
        }
        return this;
    }

    public ApplyReport apply() {
        return engine().workflow().apply(spec(), Duration.ofMinutes(5), StepEvents.NONE);
    }

    public DriftReport verify() {
        return engine().workflow().verify(spec(), StepEvents.NONE);
    }

    @Override
    public void close() {
        fake.close();
    }
}
