package dev.breakglass.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.azure.Engine;
import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.CheckResult;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.Setting;
import dev.breakglass.spec.SpecLoader;
import dev.breakglass.steps.passkey.PassKeyReadiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;

/**
 * Shows breakglass working with no Azure account: starts the embedded fake tenant (a realistic
 * Contoso with 16 Conditional Access policies, a Log Analytics workspace and two diagnostic settings
 * of its own), plans, applies (accounts, monitoring, and a Temporary Access Pass per account into Key Vault), applies
 * again (zero writes), shows readiness (no passkey yet, never signed in), plays the custodians registering passkeys
 * and running the drill, simulates drift (a new policy, a removed exclusion, a disabled alert rule), verifies and heals it.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run plan, apply, re-apply, drift and heal against the embedded fake tenant. No Azure needed.")
final class DemoCommand extends CommandBase {

    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static final List<String> READINESS_CHECKS = List.of("BG.1011", "BG.1012");
    /** "Windows Azure Service Management API", the app id Conditional Access uses for Azure management. */
    private static final String AZURE_MANAGEMENT_APP_ID = "797f4846-ba00-4fd7-ba43-dac1f8f63013";

    @Override
    int run() {
        try (FakeTenant tenant = FakeTenant.start(TenantSeed.demo())) {
            return run(tenant);
        }
    }

    private int run(FakeTenant tenant) {
        Progress progress = new Progress(err(), false);
        scene("Started the embedded fake tenant " + tenant.initialDomain() + " at " + tenant.graphBaseUrl()
                + " with " + tenant.state().policies().size() + " Conditional Access policies");
        Engine engine = Engine.create(SpecLoader.load(settings(tenant)), tenant.certificate());

        scene("1. plan: what would change");
        List<Workflow.PlannedChange> plan = engine.workflow().plan(engine.spec(), progress);
        if (!json) {
            err().print(Plans.text(plan));
        }

        List<CliResult.Apply> applies = new ArrayList<>();
        scene("2. apply: provision the accounts and their monitoring (Conditional Access is paced at one request per second)");
        applies.add(ApplyCommand.applyOnce(engine, TIMEOUT, progress));
        report(applies.get(0));

        scene("3. apply again: a converged tenant costs reads only");
        applies.add(ApplyCommand.applyOnce(engine, TIMEOUT, progress));
        report(applies.get(1));

        scene("4. readiness: the accounts cannot open the admin portals until their custodians register passkeys");
        if (!json) {
            err().print(Rendering.table(readiness(engine.workflow().verify(engine.spec(), progress))));
        }

        scene("5. the custodians redeem the Temporary Access Passes, register passkeys and sign in (the validation drill)");
        custodiansAct(tenant, engine);

        scene("6. drift: an admin adds a policy without the exclusion, removes it from another, and disables an alert rule");
        simulateDrift(tenant, engine);
        DriftReport drifted = engine.workflow().verify(engine.spec(), progress);
        List<CheckResult> drift = drifted.problems();
        if (!json) {
            err().print(Rendering.table(drift));
        }

        scene("7. apply heals the drift");
        applies.add(ApplyCommand.applyOnce(engine, TIMEOUT, progress));
        report(applies.get(2));

        scene("8. verify: the final state");
        DriftReport last = engine.workflow().verify(engine.spec(), progress);
        boolean succeeded = last.allPassed() && applies.stream().allMatch(CliResult.Apply::succeeded)
                && applies.get(1).writes() == 0;
        print(new CliResult("demo", succeeded, last.checks(), applies, drift, null, null), Rendering.table(last.checks()));
        return succeeded ? ExitCodes.OK : ExitCodes.NOT_IN_DESIRED_STATE;
    }

    /** The settings that point the engine at the embedded fake tenant (also used by {@code export --demo}). */
    static Map<String, String> settings(FakeTenant tenant) {
        return Map.ofEntries(
                Map.entry(Setting.TENANT_ID.key(), tenant.tenantId()),
                Map.entry(Setting.KEY_VAULT_URI.key(), tenant.keyVaultUri()),
                Map.entry(Setting.GRAPH_ENDPOINT.key(), tenant.graphBaseUrl()),
                Map.entry(Setting.ARM_ENDPOINT.key(), tenant.armEndpoint()),
                Map.entry(Setting.CREDENTIAL.key(), "static-token"),
                Map.entry(Setting.STATIC_TOKEN.key(), tenant.accessToken()),
                Map.entry(Setting.CA_ALLOW_LIST.key(), TenantSeed.DEMO_ALLOW_LISTED_POLICY_ID),
                Map.entry(Setting.LOG_ANALYTICS_WORKSPACE_ID.key(), tenant.workspaceId()),
                Map.entry(Setting.ALERT_LOCATION.key(), tenant.workspaceLocation()),
                Map.entry(Setting.ALERT_EMAILS.key(), "soc@" + tenant.initialDomain()),
                Map.entry(Setting.TAP_ENABLED.key(), "true"));
    }

    private static List<CheckResult> readiness(DriftReport report) {
        return report.checks().stream().filter(check -> READINESS_CHECKS.contains(check.id())).toList();
    }

    /** What people do with the passes breakglass left in Key Vault; the fake plays them. */
    private void custodiansAct(FakeTenant tenant, Engine engine) {
        for (Account account : engine.spec().accounts()) {
            String userId = tenant.state().user(account.upn(tenant.initialDomain())).orElseThrow().get("id").asText();
            tenant.state().custodianRegistersPasskeyAndSignsIn(userId, "Security key of " + account.key()
                    + "'s custodian", Instant.now());
            err().println("  " + account.key() + ": passkey registered with the pass from "
                    + PassKeyReadiness.secretName(account) + ", signed in once");
        }
    }

    private void simulateDrift(FakeTenant tenant, Engine engine) {
        String groupId = tenant.state().groups().stream()
                .filter(group -> engine.spec().exclusionGroupName().equals(group.path("mailNickname").asText()))
                .map(group -> group.path("id").asText())
                .findFirst().orElseThrow();
        String target = tenant.state().policies().stream()
                .filter(policy -> policy.path("state").asText().equals("enabled"))
                .filter(policy -> policy.at("/grantControls/builtInControls").toString().contains("mfa"))
                .map(policy -> policy.path("id").asText())
                .findFirst().orElseThrow();
        tenant.state().removeFromArray(target, "/conditions/users/excludeGroups", groupId);
        tenant.state().addPolicy(newMfaPolicy());
        String rule = engine.spec().monitoring().signInAlertRuleName();
        tenant.state().disableAlertRule(rule);
        err().println("  removed the exclusion from policy " + target + "; added a new policy without it; disabled alert rule "
                + rule);
    }

    /** What an administrator might add after provisioning: MFA for everyone on Azure management. */
    private static ObjectNode newMfaPolicy() {
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("displayName", "CA016: Require multifactor authentication for Azure management (added later)");
        policy.put("state", "enabled");
        ObjectNode conditions = policy.putObject("conditions");
        conditions.putObject("users").putArray("includeUsers").add("All");
        conditions.putObject("applications").putArray("includeApplications").add(AZURE_MANAGEMENT_APP_ID);
        conditions.putArray("clientAppTypes").add("all");
        ObjectNode grant = policy.putObject("grantControls");
        grant.put("operator", "OR");
        grant.putArray("builtInControls").add("mfa");
        return policy;
    }

    private void scene(String title) {
        err().println();
        err().println("== " + title);
    }

    private void report(CliResult.Apply apply) {
        err().print(Applies.text(apply));
    }
}
