package dev.breakglass.bench;

import dev.breakglass.azure.Engine;
import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.Journal;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.reconcile.StepEvents;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecLoader;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Provision, apply again and verify two accounts with monitoring on a fake tenant holding a given number of
 * Conditional Access policies, every request delayed by the injected latency. The fake enforces Conditional
 * Access's one request per second, so a pacing bug would show up as a 429, not as a faster figure.
 */
final class SizedRun {

    /** Every Conditional Access request (policies and What If), all under the tenant's 1 request/s. */
    static final String CA_PATH = "/v1\\.0/identity/conditionalAccess/.*";
    static final String CA_LIST_PATH = "/v1\\.0/identity/conditionalAccess/policies";
    private static final Duration APPLY_TIMEOUT = Duration.ofMinutes(20);
    private static final Duration CA_INTERVAL = Duration.ofMillis(1100);
    /** Verify is short and the machine may be shared: the median of three runs is reported. */
    private static final int VERIFY_RUNS = 3;

    /** The figures of one tenant size. */
    record Result(int policies, int longestChain, Figures provision, Figures reapply, Figures verify) {
    }

    private SizedRun() {
    }

    static Result run(int policies, Duration latency, PrintStream progress) {
        try (FakeTenant tenant = FakeTenant.start(TenantSeed.sized(policies))) {
            tenant.latency(latency).enforceConditionalAccessRateLimit(true);
            Engine engine = Engine.create(SpecLoader.load(settings(tenant)), tenant.certificate());
            progress.printf("P=%d: provisioning 2 accounts with monitoring (Conditional Access paced at 1 request/s)%n",
                    policies);
            Figures provision = measure(tenant, progress, () -> applied(engine));
            custodiansAct(tenant, engine);
            progress.printf("P=%d: applying again%n", policies);
            Figures reapply = measure(tenant, progress, () -> applied(engine));
            List<Figures> verifications = new ArrayList<>();
            for (int i = 1; i <= VERIFY_RUNS; i++) {
                progress.printf("P=%d: verifying (%d/%d)%n", policies, i, VERIFY_RUNS);
                verifications.add(measure(tenant, progress, () -> {
                    DriftReport report = engine.workflow().verify(engine.spec(), StepEvents.NONE);
                    return report.allPassed();
                }));
            }
            verifications.sort(Comparator.comparing(Figures::wall));
            Figures verify = verifications.get(VERIFY_RUNS / 2);
            return new Result(policies, engine.workflow().longestChain(engine.spec()), provision, reapply, verify);
        }
    }

    /**
     * Passkey readiness and the validation drill pass only once people have acted (a passkey registered, a sign-in);
     * the fake plays them so that the re-apply and verify figures are those of a converged tenant.
     */
    private static void custodiansAct(FakeTenant tenant, Engine engine) {
        for (Account account : engine.spec().accounts()) {
            tenant.state().user(account.upn(tenant.initialDomain())).ifPresent(user -> tenant.state()
                    .custodianRegistersPasskeyAndSignsIn(user.get("id").asText(), "Passkey of " + account.key(),
                            Instant.now()));
        }
    }

    private static boolean applied(Engine engine) {
        ApplyReport report = engine.workflow().apply(engine.spec(), APPLY_TIMEOUT, StepEvents.NONE);
        return report.succeeded();
    }

    private static Figures measure(FakeTenant tenant, PrintStream progress, Supplier<Boolean> operation) {
        // The previous operation's last Conditional Access request must not make this one's first wait for the pacer.
        sleep(CA_INTERVAL);
        Journal journal = tenant.journal();
        journal.clear();
        long start = System.nanoTime();
        boolean succeeded;
        try (Heartbeat heartbeat = Heartbeat.start(progress, journal)) {
            succeeded = operation.get();
        }
        Duration wall = Duration.ofNanos(System.nanoTime() - start);
        return new Figures(journal.reads().size(), journal.writes().size(), wall, journal.longestSequentialChain(),
                journal.count("*", CA_PATH), (int) journal.count("GET", CA_LIST_PATH), journal.maxPerSecond("PATCH", CA_PATH),
                journal.maxPerSecond("*", CA_PATH), succeeded);
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** The demo's settings: monitoring on, the demo's allow-listed policy, two accounts. */
    private static Map<String, String> settings(FakeTenant tenant) {
        Map<String, String> settings = new HashMap<>();
        settings.put(Setting.TENANT_ID.key(), tenant.tenantId());
        settings.put(Setting.KEY_VAULT_URI.key(), tenant.keyVaultUri());
        settings.put(Setting.GRAPH_ENDPOINT.key(), tenant.graphBaseUrl());
        settings.put(Setting.ARM_ENDPOINT.key(), tenant.armEndpoint());
        settings.put(Setting.CREDENTIAL.key(), "static-token");
        settings.put(Setting.STATIC_TOKEN.key(), tenant.accessToken());
        settings.put(Setting.CA_ALLOW_LIST.key(), TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID);
        settings.put(Setting.LOG_ANALYTICS_WORKSPACE_ID.key(), tenant.workspaceId());
        settings.put(Setting.ALERT_LOCATION.key(), tenant.workspaceLocation());
        settings.put(Setting.ALERT_EMAILS.key(), "soc@" + tenant.initialDomain());
        return settings;
    }

    static Map<String, String> settingsFor(FakeTenant tenant) {
        return settings(tenant);
    }
}
