package dev.breakglass.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.SpecLoader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What main.bicep's app settings become in Azure passes the spec's validation, so a deployment does not fail at its
 * first invocation. Literals are taken as written, a parameter as its default, a one-line variable as its value, a
 * ternary as its "on" branch, and any other expression as the value Azure gives it, from {@link #AZURE}: a new
 * expression fails here until its value is added, which is the point (is 'True' or a trailing slash what the app
 * accepts?).
 */
class DeployedSettingsTest {

    private static final String APP_SETTINGS = "var appSettings = {";
    private static final Pattern LITERAL = Pattern.compile("'((?:[^'\\\\$]|\\\\.)*)'");
    private static final Pattern TERNARY = Pattern.compile("^[\\w.()]+\\s*\\?\\s*(.+?)\\s*:\\s*(.+)$");

    /** What Azure returns for the expressions main.bicep uses, in a deployment to westeurope. */
    private static final Map<String, String> AZURE = Map.ofEntries(
            Map.entry("tenant().tenantId", "7b1e3c55-0000-4000-8000-00000000000a"),
            Map.entry("vault.outputs.uri", "https://kv-bg-abc123.vault.azure.net/"),
            Map.entry("string(accountCount)", "2"),
            Map.entry("string(temporaryAccessPassLifetimeMinutes)", "60"),
            Map.entry("string(drillWindowDays)", "90"),
            Map.entry("string(maxRunsPerDay)", "24"),
            Map.entry("join(conditionalAccessAllowList, ',')", ""),
            Map.entry("'${environment().graph}v1.0'", "https://graph.microsoft.com/v1.0"),
            Map.entry("resourceManagerEndpoint", "https://management.azure.com"),
            Map.entry("identity.properties.clientId", "5f0c2a11-0000-4000-8000-00000000000b"),
            Map.entry("verifySchedule", "0 0 */1 * * *"),
            Map.entry("api.outputs.appRole", "Breakglass.Provision"),
            Map.entry("monitoring.outputs.workspaceId", "/subscriptions/3c1d2e4f-0000-4000-8000-00000000000c/"
                    + "resourceGroups/rg-breakglass/providers/Microsoft.OperationalInsights/workspaces/log-breakglass-abc123"),
            Map.entry("resourceGroup().name", "rg-breakglass"),
            Map.entry("location", "westeurope"),
            Map.entry("join(alertEmails, ',')", "soc@contoso.com"),
            Map.entry("join(alertSms, ',')", "+1 5551234567"),
            Map.entry("storage.outputs.blobEndpoint", "https://stbgabc123.blob.core.windows.net/"),
            Map.entry("storage.outputs.queueEndpoint", "https://stbgabc123.queue.core.windows.net/"),
            Map.entry("storage.outputs.tableEndpoint", "https://stbgabc123.table.core.windows.net/"),
            Map.entry("monitoring.outputs.appInsightsConnectionString", "InstrumentationKey=00000000-0000-4000-8000-00000000000d"),
            Map.entry("'ClientId=${identity.properties.clientId};Authorization=AAD'",
                    "ClientId=5f0c2a11-0000-4000-8000-00000000000b;Authorization=AAD"));

    @Test
    void theDeployedSettingsPassTheSpecsValidationWithMonitoringOn() {
        Map<String, String> settings = deployedSettings();

        assertThatCode(() -> SpecLoader.load(settings)).as("SpecLoader on main.bicep's settings").doesNotThrowAnyException();
        BreakGlassSpec spec = SpecLoader.load(settings);
        assertThat(spec.monitoring()).as("monitoring is on: the workspace setting is deployed").isNotNull();
    }

    @Test
    void theScheduleIsSixNcrontabFields() {
        assertThat(deployedSettings().get("BREAKGLASS_VERIFY_SCHEDULE")).matches("^\\S+( \\S+){5}$");
    }

    private static Map<String, String> deployedSettings() {
        BicepText main = BicepText.read(Path.of("infra/main.bicep"));
        Map<String, String> settings = new LinkedHashMap<>();
        for (String key : main.objectKeys(APP_SETTINGS)) {
            settings.put(key, evaluate(main, main.objectValue(APP_SETTINGS, key), key));
        }
        return settings;
    }

    private static String evaluate(BicepText main, String expression, String key) {
        Matcher literal = LITERAL.matcher(expression);
        if (literal.matches()) {
            return literal.group(1).replace("\\'", "'");
        }
        if (AZURE.containsKey(expression)) {
            return AZURE.get(expression);
        }
        Matcher ternary = TERNARY.matcher(expression);
        if (ternary.matches()) {
            return evaluate(main, ternary.group(1), key);
        }
        Matcher parameter = Pattern.compile("(?m)^(?:param\\s+" + Pattern.quote(expression) + "\\s+\\w+|var\\s+"
                + Pattern.quote(expression) + ")\\s*=\\s*(.+)$").matcher(main.code());
        if (parameter.find()) {
            return evaluate(main, parameter.group(1).trim(), key);
        }
        throw new AssertionError(key + " = " + expression + ": add what Azure gives this expression to AZURE");
    }
}
