package dev.breakglass.steps.alertrule;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Monitoring;
import dev.breakglass.steps.actiongroup.ActionGroup;
import dev.breakglass.steps.group.ExclusionGroup;
import dev.breakglass.steps.group.GroupDirectory;
import dev.breakglass.steps.user.OwnedAccounts;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Owns the log search alert rule that fires on every Entra audit event that targets, or is initiated by, an
 * emergency account or the exclusion group: password resets, authentication method changes, role and group
 * membership changes, disabling, deletion, and Conditional Access policy updates that add or remove those ids
 * (the policy's old and new values are in {@code TargetResources[].modifiedProperties}, so a policy update that
 * drops the exclusion names the group). It is split on {@code OperationName}.
 *
 * <p>Natural key: resource group and {@code BREAKGLASS_AUDIT_ALERT_RULE_NAME}. Depends on {@code EmergencyUser},
 * {@code ExclusionGroup} (the ids) and {@code ActionGroup}. Permissions: as {@code SignInAlertRule}, plus
 * {@code GroupMember.Read.All} to find the exclusion group
 * (https://learn.microsoft.com/entra/identity/monitoring-health/concept-audit-logs).
 */
public final class AuditAlertRule extends LogAlertRule {

    private static final Check CHECK = new Check("BG.1010",
            "A severity 0 alert fires on every audit event touching an emergency account or the exclusion group");
    private static final String GROUP_LABEL = "the exclusion group";

    private final ExclusionGroup exclusionGroup;

    public AuditAlertRule(AlertRules rules, ActionGroup actionGroup, OwnedAccounts owned, ExclusionGroup exclusionGroup) {
        super(rules, actionGroup, owned);
        this.exclusionGroup = exclusionGroup;
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("ARM: Microsoft.Insights/scheduledQueryRules/read", "User.Read.All", "GroupMember.Read.All",
                        "Key Vault: secrets/readMetadata"),
                Set.of("ARM: Microsoft.Insights/scheduledQueryRules/write",
                        "ARM: Microsoft.OperationalInsights/workspaces/read",
                        "ARM: Microsoft.Insights/actionGroups/read")))
                .after("EmergencyUser", "ExclusionGroup", "ActionGroup");
    }

    @Override
    String ruleName(Monitoring monitoring) {
        return monitoring.auditAlertRuleName();
    }

    @Override
    String displayName() {
        return "Emergency access account or exclusion group changed";
    }

    @Override
    String description() {
        return "Managed by breakglass. Fires on every Entra audit event that targets or is initiated by an "
                + "emergency-access account or the Conditional Access exclusion group.";
    }

    @Override
    String dimension() {
        return "OperationName";
    }

    @Override
    String query(String idList) {
        return "let watched = dynamic([" + idList + "]);\n"
                + "AuditLogs\n"
                + "| where tostring(TargetResources) has_any (watched) or tostring(InitiatedBy) has_any (watched)\n"
                + "| project TimeGenerated, OperationName, Category, Result, InitiatedBy, TargetResources";
    }

    @Override
    Map<String, String> otherWatched(StepContext context) {
        Map<String, String> group = new HashMap<>();
        group.put(GROUP_LABEL, exclusionGroup.find(context).map(GroupDirectory.SecurityGroup::id).orElse(null));
        return group;
    }
}
