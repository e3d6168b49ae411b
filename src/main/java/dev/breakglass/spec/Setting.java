package dev.breakglass.spec;

/**
 * Every app setting the spec reads. The same names are the keys of a {@code --config} JSON file, of
 * {@code local.settings.sample.json} and of the Function App's settings in {@code infra/}.
 */
public enum Setting {
    TENANT_ID("BREAKGLASS_TENANT_ID", null, "Entra tenant id (GUID)."),
    ACCOUNT_COUNT("BREAKGLASS_ACCOUNT_COUNT", "2", "Number of emergency accounts, 1 to 10."),
    UPN_PREFIX("BREAKGLASS_UPN_PREFIX", "bg", "UPN local-part prefix; account n is <prefix><nn>@<tenant>.onmicrosoft.com."),
    DISPLAY_NAME("BREAKGLASS_DISPLAY_NAME", "Emergency access", "Display name; account n gets \"<name> <nn>\"."),
    KEY_VAULT_URI("BREAKGLASS_KEY_VAULT_URI", null, "Key Vault that receives each account's password."),
    EXCLUSION_GROUP_NAME("BREAKGLASS_EXCLUSION_GROUP_NAME", "breakglass-ca-exclusion",
            "mailNickname of the role-assignable group excluded from Conditional Access."),
    CA_ALLOW_LIST("BREAKGLASS_CA_ALLOW_LIST", "",
            "Comma-separated ids of Conditional Access policies meant to target the accounts; never modified."),
    REMEDIATION("BREAKGLASS_REMEDIATION", "false", "true: verification heals drift; false: it only reports."),
    GRAPH_ENDPOINT("BREAKGLASS_GRAPH_ENDPOINT", "https://graph.microsoft.com/v1.0", "Microsoft Graph base URL."),
    ARM_ENDPOINT("BREAKGLASS_ARM_ENDPOINT", "https://management.azure.com", "Azure Resource Manager endpoint."),
    CREDENTIAL("BREAKGLASS_CREDENTIAL", "default", "default, managed-identity or static-token."),
    MANAGED_IDENTITY_CLIENT_ID("BREAKGLASS_MANAGED_IDENTITY_CLIENT_ID", "",
            "Client id of the user-assigned managed identity (managed-identity and default modes)."),
    STATIC_TOKEN("BREAKGLASS_STATIC_TOKEN", "", "Bearer token for static-token mode; refused for public-cloud hosts."),
    VERIFY_SCHEDULE("BREAKGLASS_VERIFY_SCHEDULE", "0 0 * * * *",
            "When the Functions app verifies: a six-field NCRONTAB expression, in UTC (default: hourly)."),
    LOG_ANALYTICS_WORKSPACE_ID("BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID", "",
            "ARM resource id of the Log Analytics workspace for Entra logs and alerts; empty: no monitoring (its checks are Skipped)."),
    MONITORING_RESOURCE_GROUP("BREAKGLASS_MONITORING_RESOURCE_GROUP", "",
            "Resource group of the action group and alert rules: a name in the workspace's subscription, or "
                    + "/subscriptions/<id>/resourceGroups/<name>; empty: the workspace's resource group."),
    ALERT_LOCATION("BREAKGLASS_ALERT_LOCATION", "",
            "Region of the alert rules, the workspace's (e.g. westeurope); required with a workspace."),
    DIAGNOSTIC_SETTING_NAME("BREAKGLASS_DIAGNOSTIC_SETTING_NAME", "breakglass-entra-logs",
            "Name of the tenant-level Entra diagnostic setting breakglass owns."),
    ACTION_GROUP_NAME("BREAKGLASS_ACTION_GROUP_NAME", "breakglass-alerts", "Name of the action group."),
    ACTION_GROUP_SHORT_NAME("BREAKGLASS_ACTION_GROUP_SHORT_NAME", "breakglass",
            "Action group short name, at most 12 characters (shown in SMS and email)."),
    ALERT_EMAILS("BREAKGLASS_ALERT_EMAILS", "", "Comma-separated email addresses that receive the alerts."),
    ALERT_SMS("BREAKGLASS_ALERT_SMS", "", "Comma-separated phone numbers as +<country code> <number>, e.g. +1 5551234567."),
    ALERT_WEBHOOKS("BREAKGLASS_ALERT_WEBHOOKS", "",
            "Comma-separated https webhook URLs; treated as secrets, never printed."),
    ALERT_LOGIC_APPS("BREAKGLASS_ALERT_LOGIC_APPS", "",
            "Comma-separated Logic App receivers, each '<workflow resource id> <https callback URL>'; URLs never printed."),
    SIGN_IN_ALERT_RULE_NAME("BREAKGLASS_SIGN_IN_ALERT_RULE_NAME", "breakglass-sign-in",
            "Name of the alert rule on every sign-in of an emergency account."),
    AUDIT_ALERT_RULE_NAME("BREAKGLASS_AUDIT_ALERT_RULE_NAME", "breakglass-audit",
            "Name of the alert rule on audit events touching the accounts or the exclusion group."),
    TAP_ENABLED("BREAKGLASS_TAP_ENABLED", "false",
            "true: apply issues a one-time Temporary Access Pass into Key Vault for each account without a passkey "
                    + "or certificate (needs UserAuthenticationMethod.ReadWrite.All); false: readiness is only reported."),
    TAP_LIFETIME_MINUTES("BREAKGLASS_TAP_LIFETIME_MINUTES", "60",
            "Lifetime of an issued Temporary Access Pass in minutes, 10 to 43200 (Entra's range)."),
    DRILL_WINDOW_DAYS("BREAKGLASS_DRILL_WINDOW_DAYS", "90",
            "Each account must have signed in successfully within this many days (the validation drill), 1 to 365."),
    MAX_RUNS_PER_DAY("BREAKGLASS_MAX_RUNS_PER_DAY", "24",
            "Provisioning runs POST /api/provision may start per UTC day, 1 to 1440; beyond it the answer is 429.");

    private final String key;
    private final String defaultValue;
    private final String description;

    Setting(String key, String defaultValue, String description) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** The app-setting name, e.g. {@code BREAKGLASS_TENANT_ID}. */
    public String key() {
        return key;
    }

    /** The value used when the setting is absent or blank; null when the setting is required. */
    public String defaultValue() {
        return defaultValue;
    }

    public String description() {
        return description;
    }
}
