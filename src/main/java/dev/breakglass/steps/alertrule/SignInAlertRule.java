package dev.breakglass.steps.alertrule;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import dev.breakglass.spec.Monitoring;
import dev.breakglass.steps.actiongroup.ActionGroup;
import dev.breakglass.steps.user.OwnedAccounts;
import java.util.Map;
import java.util.Set;

/**
 * Owns the log search alert rule that fires on every sign-in of an emergency account, interactive
 * ({@code SigninLogs}) or not ({@code AADNonInteractiveUserSignInLogs}), successful or not, matched by object id
 * and split per account on {@code UserId}, a column both tables set for every user sign-in. Matching on the object id
 * survives a UPN change, and {@code in~} compares ids case-insensitively.
 *
 * <p>Natural key: resource group and {@code BREAKGLASS_SIGN_IN_ALERT_RULE_NAME}. Depends on {@code EmergencyUser}
 * (the ids), {@code ActionGroup} and, for data, {@code EntraDiagnosticSettings}. Permissions: Azure RBAC
 * {@code Microsoft.Insights/scheduledQueryRules/read} and Graph {@code User.Read.All} (plus the vault's metadata,
 * to tell our accounts from look-alikes) to observe; {@code Microsoft.Insights/scheduledQueryRules/write},
 * {@code Microsoft.OperationalInsights/workspaces/read} on the workspace it queries and
 * {@code Microsoft.Insights/actionGroups/read} to apply
 * (https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-log-alert-rule).
 */
public final class SignInAlertRule extends LogAlertRule {

    private static final Check CHECK = new Check("BG.1009",
            "A severity 0 alert fires on every sign-in of each emergency account");

    public SignInAlertRule(AlertRules rules, ActionGroup actionGroup, OwnedAccounts owned) {
        super(rules, actionGroup, owned);
    }

    @Override
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("ARM: Microsoft.Insights/scheduledQueryRules/read", "User.Read.All",
                        "Key Vault: secrets/readMetadata"),
                Set.of("ARM: Microsoft.Insights/scheduledQueryRules/write",
                        "ARM: Microsoft.OperationalInsights/workspaces/read",
                        "ARM: Microsoft.Insights/actionGroups/read"))).after("EmergencyUser", "ActionGroup");
    }

    @Override
    String ruleName(Monitoring monitoring) {
        return monitoring.signInAlertRuleName();
    }

    @Override
    String displayName() {
        return "Emergency access account signed in";
    }

    @Override
    String description() {
        return "Managed by breakglass. Fires on every interactive or non-interactive sign-in of an emergency-access "
                + "account. Verify with the account's custodians that the use was authorised.";
    }

    @Override
    String dimension() {
        return "UserId";
    }

    @Override
    String query(String idList) {
        return "union SigninLogs, AADNonInteractiveUserSignInLogs\n"
                + "| where UserId in~ (" + idList + ")\n"
                + "| project TimeGenerated, UserId, UserPrincipalName, ResultType, IPAddress, AppDisplayName, Type";
    }

    @Override
    Map<String, String> otherWatched(StepContext context) {
        return Map.of();
    }
}
