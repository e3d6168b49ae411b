package dev.breakglass.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MonitoringSettingsTest {

    private static final String SUBSCRIPTION = "5f1c2d3e-0000-4000-8000-00000000a001";
    private static final String WORKSPACE = "/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/rg-security/providers/Microsoft.OperationalInsights/workspaces/law-security";
    private static final String LOGIC_APP = "/subscriptions/" + SUBSCRIPTION
            + "/resourceGroups/rg-soc/providers/Microsoft.Logic/workflows/page-oncall";
    private static final String SIGNED_URL = "https://hooks.example.com/alert?sig=SECRET-SIGNATURE";

    private static Map<String, String> monitored() {
        Map<String, String> settings = new HashMap<>();
        settings.put("BREAKGLASS_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        settings.put("BREAKGLASS_KEY_VAULT_URI", "https://contoso-bg.vault.azure.net");
        settings.put("BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID", WORKSPACE);
        settings.put("BREAKGLASS_ALERT_LOCATION", "West Europe");
        settings.put("BREAKGLASS_ALERT_EMAILS", "soc@contoso.com");
        return settings;
    }

    @Test
    void monitoringIsOffWhenNoWorkspaceIsSet() {
        Map<String, String> settings = monitored();
        settings.remove("BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID");
        settings.remove("BREAKGLASS_ALERT_LOCATION");
        settings.remove("BREAKGLASS_ALERT_EMAILS");

        assertThat(SpecLoader.load(settings).monitoring()).isNull();
    }

    @Test
    void takesTheResourceGroupAndSubscriptionFromTheWorkspaceByDefault() {
        Monitoring monitoring = SpecLoader.load(monitored()).monitoring();

        assertThat(monitoring.subscriptionId()).isEqualTo(SUBSCRIPTION);
        assertThat(monitoring.resourceGroup()).isEqualTo("rg-security");
        assertThat(monitoring.location()).isEqualTo("westeurope");
        assertThat(monitoring.actionGroupName()).isEqualTo("breakglass-alerts");
        assertThat(monitoring.actionGroupShortName()).isEqualTo("breakglass");
        assertThat(monitoring.actionGroupId()).isEqualTo("/subscriptions/" + SUBSCRIPTION
                + "/resourceGroups/rg-security/providers/Microsoft.Insights/actionGroups/breakglass-alerts");
        assertThat(monitoring.receivers().emails()).containsExactly("soc@contoso.com");
    }

    @Test
    void readsAResourceGroupInAnotherSubscriptionAndEveryKindOfReceiver() {
        Map<String, String> settings = monitored();
        settings.put("BREAKGLASS_MONITORING_RESOURCE_GROUP",
                "/subscriptions/0a0a0a0a-0000-4000-8000-000000000002/resourceGroups/rg-alerts");
        settings.put("BREAKGLASS_ALERT_EMAILS", "soc@contoso.com, oncall@contoso.com");
        settings.put("BREAKGLASS_ALERT_SMS", "+1 5551234567, +44 7700 900123");
        settings.put("BREAKGLASS_ALERT_WEBHOOKS", SIGNED_URL);
        settings.put("BREAKGLASS_ALERT_LOGIC_APPS", LOGIC_APP + " https://prod-27.logic.azure.com/workflows/x?sig=abc");

        BreakGlassSpec spec = SpecLoader.load(settings);
        Monitoring monitoring = spec.monitoring();

        assertThat(monitoring.subscriptionId()).isEqualTo("0a0a0a0a-0000-4000-8000-000000000002");
        assertThat(monitoring.resourceGroup()).isEqualTo("rg-alerts");
        assertThat(monitoring.receivers().emails()).containsExactly("soc@contoso.com", "oncall@contoso.com");
        assertThat(monitoring.receivers().sms()).containsExactly(new AlertReceivers.Sms("1", "5551234567"),
                new AlertReceivers.Sms("44", "7700900123"));
        assertThat(monitoring.receivers().webhooks()).extracting(Object::toString).containsExactly(SIGNED_URL);
        assertThat(monitoring.receivers().logicApps()).singleElement()
                .satisfies(app -> assertThat(app.resourceId()).isEqualTo(LOGIC_APP));
        assertThat(spec.toString()).doesNotContain("SECRET-SIGNATURE").doesNotContain("sig=abc");
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(delimiter = '|', value = {
        "BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID|law-security|workspace's ARM resource id",
        "BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID|/subscriptions/x/resourceGroups/rg/providers/Microsoft.OperationalInsights/workspaces/law|workspace's ARM resource id",
        "BREAKGLASS_ALERT_LOCATION||is required when BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID is set",
        "BREAKGLASS_ALERT_LOCATION|west-europe!|Azure region",
        "BREAKGLASS_MONITORING_RESOURCE_GROUP|rg/../other|resource group name",
        "BREAKGLASS_ACTION_GROUP_SHORT_NAME|breakglass-alerts|1-12 printable characters",
        "BREAKGLASS_ACTION_GROUP_NAME|bad name|1-64 characters",
        "BREAKGLASS_SIGN_IN_ALERT_RULE_NAME|-rule|1-64 characters",
        "BREAKGLASS_ALERT_EMAILS|soc at contoso|email address",
        "BREAKGLASS_ALERT_EMAILS||or another receiver setting",
        "BREAKGLASS_ALERT_SMS|5551234567|+<country code> <number>",
        "BREAKGLASS_ALERT_WEBHOOKS|http://hooks.example.com/alert|entry 1 is not an https URL",
        "BREAKGLASS_ALERT_LOGIC_APPS|https://prod-27.logic.azure.com/workflows/x|entry 1 must be",
    })
    void rejectsABadMonitoringSettingNamingIt(String key, String value, String rule) {
        Map<String, String> settings = monitored();
        settings.put(key, value == null ? "" : value);

        assertThatThrownBy(() -> SpecLoader.load(settings))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith(key).contains(rule));
    }

    @Test
    void namesReceiversThatWouldBeIgnoredBecauseNoWorkspaceIsSet() {
        Map<String, String> settings = monitored();
        settings.remove("BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID");

        assertThatThrownBy(() -> SpecLoader.load(settings))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> assertThat(e.problems())
                        .containsExactlyInAnyOrder(
                                "BREAKGLASS_ALERT_LOCATION is set but BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID is not, so "
                                        + "nothing would be monitored; set the workspace or remove this setting",
                                "BREAKGLASS_ALERT_EMAILS is set but BREAKGLASS_LOG_ANALYTICS_WORKSPACE_ID is not, so "
                                        + "nothing would be monitored; set the workspace or remove this setting"));
    }

    @Test
    void neverEchoesAWebhookOrCallbackUrlInAnError() {
        Map<String, String> settings = monitored();
        settings.put("BREAKGLASS_ALERT_WEBHOOKS", "ftp://hooks.example.com/alert?sig=SECRET-SIGNATURE");
        settings.put("BREAKGLASS_ALERT_LOGIC_APPS", "not-an-id https://logic.example.com/x?sig=SECRET-SIGNATURE");

        assertThatThrownBy(() -> SpecLoader.load(settings)).message().doesNotContain("SECRET-SIGNATURE");
    }
}
