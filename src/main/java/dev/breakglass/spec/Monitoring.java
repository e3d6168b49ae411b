package dev.breakglass.spec;

/**
 * Where and how the emergency accounts are watched: Entra's sign-in and audit logs flow to a Log
 * Analytics workspace, and two scheduled query rules there notify an action group. A spec holds
 * none when no workspace is configured; the monitoring steps then report Skipped.
 *
 * @param workspaceId           ARM resource id of the Log Analytics workspace
 * @param subscriptionId        subscription of the monitoring resource group
 * @param resourceGroup         resource group of the action group and the alert rules
 * @param location              region of the alert rules: the workspace's
 * @param diagnosticSettingName name of the tenant-level Entra diagnostic setting breakglass owns
 * @param actionGroupName       name of the action group
 * @param actionGroupShortName  the action group's short name (at most 12 characters)
 * @param receivers             who the action group notifies
 * @param signInAlertRuleName   name of the sign-in alert rule
 * @param auditAlertRuleName    name of the audit alert rule
 */
public record Monitoring(String workspaceId, String subscriptionId, String resourceGroup, String location,
        String diagnosticSettingName, String actionGroupName, String actionGroupShortName, AlertReceivers receivers,
        String signInAlertRuleName, String auditAlertRuleName) {

    /** Why the monitoring checks are skipped when no workspace is configured. */
    public static final String OFF = "monitoring is off: " + Setting.LOG_ANALYTICS_WORKSPACE_ID.key() + " is not set";

    /** The action group's ARM id, as alert rules reference it. */
    public String actionGroupId() {
        return "/subscriptions/" + subscriptionId + "/resourceGroups/" + resourceGroup
                + "/providers/Microsoft.Insights/actionGroups/" + actionGroupName;
    }
}
