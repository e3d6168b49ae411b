package dev.breakglass.steps.ca;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.steps.group.ExclusionGroup;
import dev.breakglass.steps.group.GroupDirectory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Owns one thing in every Conditional Access policy: the exclusion group's place in
 * {@code conditions.users.excludeGroups}. Every policy with a grant or session control (block, MFA,
 * authentication strength, device, app, terms of use, risk, location, sign-in frequency…) can lock
 * the emergency accounts out, in any state (report-only and disabled policies can be switched on),
 * Microsoft-managed ones included; only the allow-list of policies meant to target the accounts is
 * left alone.
 *
 * <p>Natural key: policy id. Depends on {@code ExclusionGroup}. Permissions: {@code Policy.Read.All}
 * to observe; {@code Policy.ReadWrite.ConditionalAccess} and {@code Application.Read.All} (a documented
 * requirement of the update API) to apply.
 *
 * <p>Quirks: a PATCH replaces every array it names
 * (https://github.com/microsoft/api-guidelines/blob/vNext/graph/articles/collection-properties.md), and
 * CA policies have no ETag. So each policy is re-read immediately before its PATCH, the group is
 * unioned into what was just read, all six arrays are sent back, and the result is read again to
 * confirm that no exclusion was lost.
 */
public final class ConditionalAccessExclusions implements Step {

    private static final Check CHECK = new Check("BG.1006",
            "Every Conditional Access policy that could block or restrict sign-in excludes the emergency accounts");
    private static final String POLICIES = "ca-policies";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ConditionalAccessPolicies policies;
    private final ExclusionGroup exclusionGroup;

    public ConditionalAccessExclusions(ConditionalAccessPolicies policies, ExclusionGroup exclusionGroup) {
        this.policies = policies;
        this.exclusionGroup = exclusionGroup;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("Policy.Read.All", "GroupMember.Read.All"),
                Set.of("Policy.ReadWrite.ConditionalAccess", "Application.Read.All"))).after("ExclusionGroup");
    }

    @Override
    public Observation observe(StepContext context) {
        Optional<GroupDirectory.SecurityGroup> group = exclusionGroup.find(context);
        if (group.isEmpty()) {
            return new Observation.Absent("the exclusion group does not exist yet");
        }
        List<ConditionalAccessPolicies.Policy> all = context.reads().remember(POLICIES, policies::list);
        List<ConditionalAccessPolicies.Policy> missing = missingExclusion(context, all, group.get().id());
        if (missing.isEmpty()) {
            long covered = all.stream().filter(policy -> mustExclude(context, policy)).count();
            return new Observation.UpToDate(covered + " of " + all.size() + " policies exclude the group"
                    + allowListNote(context, all));
        }
        return new Observation.Drifted(missing.stream()
                .map(policy -> "policy '" + policy.displayName() + "' (" + policy.id() + ", " + policy.state()
                        + ") does not exclude the group")
                .toList());
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        Optional<GroupDirectory.SecurityGroup> group = exclusionGroup.find(context);
        if (group.isEmpty()) {
            return new Outcome.RequeueAfter(WAIT, "waiting for ExclusionGroup");
        }
        String groupId = group.get().id();
        List<ConditionalAccessPolicies.Policy> all = context.reads().remember(POLICIES, policies::list);
        List<String> updated = new ArrayList<>();
        for (ConditionalAccessPolicies.Policy stale : missingExclusion(context, all, groupId)) {
            Optional<ConditionalAccessPolicies.Policy> current = policies.get(stale.id());
            if (current.isEmpty() || current.get().users().excludesGroup(groupId)) {
                continue;
            }
            PolicyUsers before = current.get().users();
            policies.updateUsers(stale.id(), before.withExcludedGroup(groupId));
            updated.add(stale.id());
        }
        context.reads().forget(POLICIES);
        return confirm(context, groupId, updated);
    }

    private Outcome confirm(StepContext context, String groupId, List<String> updated) {
        List<ConditionalAccessPolicies.Policy> after = context.reads().remember(POLICIES, policies::list);
        List<ConditionalAccessPolicies.Policy> stillMissing = missingExclusion(context, after, groupId);
        if (!stillMissing.isEmpty()) {
            context.reads().forget(POLICIES);
            return new Outcome.RequeueAfter(WAIT, stillMissing.size() + " policies still lack the exclusion after "
                    + "the update (changed concurrently, or new): " + stillMissing.stream().map(
                            ConditionalAccessPolicies.Policy::displayName).toList());
        }
        return new Outcome.Done("excluded the group from " + updated.size() + " policies");
    }

    private static List<ConditionalAccessPolicies.Policy> missingExclusion(StepContext context,
            List<ConditionalAccessPolicies.Policy> all, String groupId) {
        return all.stream()
                .filter(policy -> mustExclude(context, policy))
                .filter(policy -> !policy.users().excludesGroup(groupId))
                .toList();
    }

    private static boolean mustExclude(StepContext context, ConditionalAccessPolicies.Policy policy) {
        return policy.canBlockOrRestrict() && !isAllowListed(context, policy);
    }

    private static boolean isAllowListed(StepContext context, ConditionalAccessPolicies.Policy policy) {
        return context.spec().conditionalAccessAllowList().contains(policy.id().toLowerCase(Locale.ROOT));
    }

    private static String allowListNote(StepContext context, List<ConditionalAccessPolicies.Policy> all) {
        long allowListed = all.stream().filter(policy -> isAllowListed(context, policy)).count();
        return allowListed == 0 ? "" : "; left " + allowListed + " allow-listed polic" + (allowListed == 1 ? "y" : "ies")
                + " untouched";
    }
}
