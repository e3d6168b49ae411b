package dev.breakglass.steps.ca;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.steps.user.OwnedAccounts;
import dev.breakglass.steps.user.UserDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Asks Conditional Access itself, through What If (https://learn.microsoft.com/graph/api/conditionalaccessroot-evaluate),
 * whether any enforced policy would block or challenge an emergency account signing in to the Azure portal (one of the
 * Microsoft Admin Portals) from an ordinary location. {@code ConditionalAccessExclusions} reads the policies; this
 * check asks the evaluator, so it also catches what a reading misses (a role or group include we did not think of, a
 * new policy kind). Reported per policy. Report-only policies and session controls are noted, not failed; an
 * allow-listed policy that asks only for MFA or an authentication strength (the "phishing-resistant MFA for emergency
 * accounts" pattern) is expected.
 *
 * <p>Depends on {@code EmergencyUser}. Permissions: {@code Policy.Read.All} (the API's least privilege is
 * {@code Policy.Read.ConditionalAccess}, which {@code Policy.Read.All} includes) and {@code User.Read.All}. Never writes.
 * Calls go through the Conditional Access pacer (one request per second per tenant).
 */
public final class ConditionalAccessWhatIf implements Step {

    /** The Azure portal's application id; Conditional Access counts it among "Microsoft Admin Portals". */
    public static final String AZURE_PORTAL = "c44b4083-3bb0-49c1-b47d-974e53cbdf3c";
    private static final Check CHECK = new Check("BG.1013",
            "No enforced Conditional Access policy would block or challenge an emergency account's sign-in to the admin portals");
    private static final Set<String> EXPECTED_OF_ALLOW_LISTED = Set.of("mfa", "authenticationStrength");

    private final WhatIfEvaluation whatIf;
    private final OwnedAccounts owned;

    public ConditionalAccessWhatIf(WhatIfEvaluation whatIf, OwnedAccounts owned) {
        this.whatIf = whatIf;
        this.owned = owned;
    }

    @Override
    public StepInfo info() {
        // What If judges the exclusions, so it runs once they are in place.
        return StepInfo.perAccount(CHECK, new Permissions(
                Set.of("Policy.Read.All", "User.Read.All", "Key Vault: secrets/readMetadata"),
                Set.of())).after("ConditionalAccessExclusions");
    }

    @Override
    public Observation observe(StepContext context) {
        Optional<UserDirectory.DirectoryUser> user = owned.findOwned(context, context.requireAccount());
        if (user.isEmpty()) {
            return new Observation.Absent("the account's user does not exist yet");
        }
        List<String> failures = new ArrayList<>();
        List<String> notes = new ArrayList<>();
        for (ConditionalAccessPolicies.Policy policy : whatIf.applyingPolicies(user.get().id(), AZURE_PORTAL)) {
            String name = "'" + policy.displayName() + "' (" + policy.id() + ")";
            if (!policy.grantControls().isEmpty() && "enabledForReportingButNotEnforced".equals(policy.state())) {
                notes.add("report-only " + name + " would " + (blocks(policy) ? "block" : "challenge (" + controls(policy) + ")"));
            } else if (policy.grantControls().isEmpty()) {
                notes.add(name + " limits the session (" + String.join(", ", policy.sessionControls()) + ")");
            } else if (isAllowListed(context, policy) && EXPECTED_OF_ALLOW_LISTED.containsAll(policy.grantControls())) {
                notes.add("allow-listed " + name + " requires " + controls(policy) + " (expected)");
            } else {
                failures.add(name + (blocks(policy) ? " blocks" : " challenges (" + controls(policy) + ")")
                        + " a sign-in to the Azure portal");
            }
        }
        if (!failures.isEmpty()) {
            // A missing exclusion is BG.1006's to heal; what remains here (an allow-listed policy that blocks, a
            // policy breakglass may not touch) is for people to change.
            return new Observation.AwaitingPeople(String.join("; ", failures));
        }
        return new Observation.UpToDate("no enforced policy blocks or challenges a sign-in to the Azure portal"
                + (notes.isEmpty() ? "" : "; " + String.join("; ", notes)));
    }

    private static boolean blocks(ConditionalAccessPolicies.Policy policy) {
        return policy.grantControls().contains("block");
    }

    private static String controls(ConditionalAccessPolicies.Policy policy) {
        return String.join(", ", policy.grantControls());
    }

    private static boolean isAllowListed(StepContext context, ConditionalAccessPolicies.Policy policy) {
        return context.spec().conditionalAccessAllowList().contains(policy.id().toLowerCase(Locale.ROOT));
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        return new Outcome.Done("nothing to change (ConditionalAccessExclusions owns the exclusions): "
                + observed.summary());
    }
}
