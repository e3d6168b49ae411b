package dev.breakglass.azure;

import dev.breakglass.exports.InventoryReader;
import dev.breakglass.reconcile.Backoff;
import dev.breakglass.reconcile.Sleeper;
import dev.breakglass.reconcile.StepEvents;
import dev.breakglass.reconcile.StepRunner;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.steps.actiongroup.ActionGroup;
import dev.breakglass.steps.alertrule.AuditAlertRule;
import dev.breakglass.steps.alertrule.SignInAlertRule;
import dev.breakglass.steps.ca.ConditionalAccessExclusions;
import dev.breakglass.steps.ca.ConditionalAccessWhatIf;
import dev.breakglass.steps.diagnostics.EntraDiagnosticSettings;
import dev.breakglass.steps.drill.ValidationDrill;
import dev.breakglass.steps.compensation.AccountCompensation;
import dev.breakglass.steps.group.ExclusionGroup;
import dev.breakglass.steps.passkey.PassKeyReadiness;
import dev.breakglass.steps.password.EmergencyPassword;
import dev.breakglass.steps.password.PasswordGenerator;
import dev.breakglass.steps.password.PasswordRotation;
import dev.breakglass.steps.role.AccountIntegrity;
import dev.breakglass.steps.role.GlobalAdminAssignment;
import dev.breakglass.steps.tenant.TenantInfo;
import dev.breakglass.steps.user.EmergencyUser;
import dev.breakglass.steps.user.OwnedAccounts;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import java.util.function.Function;

/**
 * The object graph, built once per process (per Functions worker, per CLI run): the SDK clients, the
 * adapters, the steps in their declared order, and the workflow that runs them.
 */
public final class Engine {

    /** The longest wait done inside one function invocation before a step is requeued instead. */
    public static final Duration MAX_IN_PROCESS_WAIT = Duration.ofSeconds(30);
    private static final int MAX_IN_PROCESS_ATTEMPTS = 5;
    private static final Duration CONDITIONAL_ACCESS_INTERVAL = Duration.ofSeconds(1);

    private final BreakGlassSpec spec;
    private final AzureClients clients;
    private final Workflow workflow;
    private final PasswordRotation passwordRotation;
    private final InventoryReader inventory;
    private final KeyVaultSigningKey queueSigningKey;
    private final Function<Instant, AccountCompensation> compensation;

    private Engine(BreakGlassSpec spec, AzureClients clients, Workflow workflow, PasswordRotation passwordRotation,
            InventoryReader inventory, Function<Instant, AccountCompensation> compensation, Clock clock) {
        this.spec = spec;
        this.clients = clients;
        this.workflow = workflow;
        this.passwordRotation = passwordRotation;
        this.inventory = inventory;
        this.queueSigningKey = new KeyVaultSigningKey(clients.secrets(), clock);
        this.compensation = compensation;
    }

    /** The production engine; {@code extraTrust} is null except against the embedded fake tenant. */
    public static Engine create(BreakGlassSpec spec, X509Certificate extraTrust) {
        return create(spec, extraTrust, new PasswordGenerator(), Sleeper.REAL, Clock.systemUTC());
    }

    /** As {@link #create(BreakGlassSpec, X509Certificate)}, with the generator, sleeper and clock injected (tests). */
    public static Engine create(BreakGlassSpec spec, X509Certificate extraTrust, PasswordGenerator generator,
            Sleeper sleeper, Clock clock) {
        AzureClients clients = AzureClients.create(spec, extraTrust);
        GraphTenantDirectory tenant = new GraphTenantDirectory(clients.graph());
        GraphUserDirectory users = new GraphUserDirectory(clients.graph());
        KeyVaultSecretStore secrets = new KeyVaultSecretStore(clients.secrets());
        OwnedAccounts owned = new OwnedAccounts(users, secrets, tenant);
        ExclusionGroup exclusionGroup = new ExclusionGroup(
                new GraphGroupDirectory(clients.graph(), clients.graphBaseUrl()), owned);
        GraphConditionalAccess policies = new GraphConditionalAccess(clients.graph(),
                new RequestPacer(CONDITIONAL_ACCESS_INTERVAL, clock, sleeper), Backoff.DEFAULT, sleeper);
        ActionGroup actionGroup = new ActionGroup(new ArmActionGroups(
                () -> clients.monitor().serviceClient().getActionGroups()));
        ArmAlertRules alertRules = new ArmAlertRules(() -> clients.monitor().serviceClient().getScheduledQueryRules());
        ArmDiagnosticSettings diagnostics = new ArmDiagnosticSettings(
                () -> clients.monitor().serviceClient().getHttpPipeline(), spec.endpoints().resourceManager().toString());
        GlobalAdminAssignment globalAdmin = new GlobalAdminAssignment(new GraphRoleManagement(clients.graph()), owned,
                new AccountIntegrity(new GraphAccountIntegrity(clients.graph())));
        Workflow workflow = new Workflow(List.of(
                new TenantInfo(tenant),
                new EmergencyPassword(secrets, users, tenant, generator),
                new EmergencyUser(users, secrets, owned),
                globalAdmin,
                exclusionGroup,
                new ConditionalAccessExclusions(policies, exclusionGroup),
                new EntraDiagnosticSettings(diagnostics),
                actionGroup,
                new SignInAlertRule(alertRules, actionGroup, owned),
                new AuditAlertRule(alertRules, actionGroup, owned, exclusionGroup),
                new PassKeyReadiness(new GraphAuthenticationMethods(clients.graph()), secrets, owned,
                        spec.readiness().tapEnabled()),
                new ValidationDrill(new GraphSignInActivity(clients.graph()), owned, clock),
                new ConditionalAccessWhatIf(policies, owned)),
                new StepRunner(sleeper, Backoff.DEFAULT, MAX_IN_PROCESS_WAIT, MAX_IN_PROCESS_ATTEMPTS, StepEvents.NONE),
                sleeper, clock);
        PasswordRotation rotation = new PasswordRotation(secrets, users, owned, generator, sleeper, Backoff.DEFAULT);
        return new Engine(spec, clients, workflow, rotation, new InventoryReader(owned, exclusionGroup),
                runStarted -> new AccountCompensation(users, secrets, owned, globalAdmin, runStarted), clock);
    }

    public BreakGlassSpec spec() {
        return spec;
    }

    public Workflow workflow() {
        return workflow;
    }

    /** Deliberate password rotation (HTTP {@code POST /api/accounts/{key}/rotate}, CLI {@code rotate}). */
    public PasswordRotation passwordRotation() {
        return passwordRotation;
    }

    /** D13: what a canceled or failed run that started at {@code runStarted} does to each account it set up. */
    public AccountCompensation compensation(Instant runStarted) {
        return compensation.apply(runStarted);
    }

    /** The live inventory the exports are generated from. */
    public InventoryReader inventory() {
        return inventory;
    }

    /** The key that signs queue messages and run records, read from (or created in) the vault on first use. */
    public Supplier<byte[]> queueSigningKey() {
        return queueSigningKey;
    }

    /** Requests sent so far by every client of this engine. */
    public CallCounter.Counts calls() {
        return clients.counter().snapshot();
    }
}
