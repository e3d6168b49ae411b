package dev.breakglass.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SpecLoaderTest {

    private static Map<String, String> valid() {
        Map<String, String> settings = new HashMap<>();
        settings.put("BREAKGLASS_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
        settings.put("BREAKGLASS_KEY_VAULT_URI", "https://contoso-bg.vault.azure.net");
        return settings;
    }

    @Test
    void appliesTheDocumentedDefaults() {
        BreakGlassSpec spec = SpecLoader.load(valid());

        assertThat(spec.accountCount()).isEqualTo(2);
        assertThat(spec.accounts()).extracting(Account::key).containsExactly("bg01", "bg02");
        assertThat(spec.accounts().get(0).upn("contoso.onmicrosoft.com")).isEqualTo("bg01@contoso.onmicrosoft.com");
        assertThat(spec.accounts().get(1).displayName()).isEqualTo("Emergency access 02");
        assertThat(spec.remediation()).isFalse();
        assertThat(spec.endpoints().graph()).hasToString("https://graph.microsoft.com/v1.0");
        assertThat(spec.credentials().mode()).isEqualTo(CredentialMode.DEFAULT);
        assertThat(spec.readiness()).isEqualTo(new Readiness(false, 60, 90));
        assertThat(spec.maxRunsPerDay()).isEqualTo(24);
    }

    @Test
    void readsTheReadinessSettings() {
        Map<String, String> settings = valid();
        settings.put("BREAKGLASS_TAP_ENABLED", "TRUE");
        settings.put("BREAKGLASS_TAP_LIFETIME_MINUTES", "43200");
        settings.put("BREAKGLASS_DRILL_WINDOW_DAYS", "30");

        assertThat(SpecLoader.load(settings).readiness()).isEqualTo(new Readiness(true, 43200, 30));
    }

    @ParameterizedTest(name = "{0}={1} is rejected")
    @CsvSource(delimiter = '|', value = {
        "BREAKGLASS_ACCOUNT_COUNT|0|between 1 and 10",
        "BREAKGLASS_ACCOUNT_COUNT|11|between 1 and 10",
        "BREAKGLASS_ACCOUNT_COUNT|two|whole number",
        "BREAKGLASS_UPN_PREFIX|.bg|A-Z a-z 0-9",
        "BREAKGLASS_UPN_PREFIX|b g|A-Z a-z 0-9",
        "BREAKGLASS_UPN_PREFIX|bg@evil.com|A-Z a-z 0-9",
        "BREAKGLASS_UPN_PREFIX|bg..x|no '..'",
        "BREAKGLASS_UPN_PREFIX|bgé|A-Z a-z 0-9",
        "BREAKGLASS_KEY_VAULT_URI|http://contoso.vault.azure.net|https URL",
        "BREAKGLASS_KEY_VAULT_URI|not a url|not a valid URL",
        "BREAKGLASS_TENANT_ID|contoso.onmicrosoft.com|tenant's GUID",
        "BREAKGLASS_CA_ALLOW_LIST|policy-one|policy id (GUID)",
        "BREAKGLASS_REMEDIATION|yes|true or false",
        "BREAKGLASS_TAP_ENABLED|on|true or false",
        "BREAKGLASS_TAP_LIFETIME_MINUTES|9|between 10 and 43200",
        "BREAKGLASS_TAP_LIFETIME_MINUTES|43201|between 10 and 43200",
        "BREAKGLASS_TAP_LIFETIME_MINUTES|1h|whole number",
        "BREAKGLASS_DRILL_WINDOW_DAYS|0|between 1 and 365",
        "BREAKGLASS_DRILL_WINDOW_DAYS|366|between 1 and 365",
        "BREAKGLASS_MAX_RUNS_PER_DAY|0|between 1 and 1440",
        "BREAKGLASS_MAX_RUNS_PER_DAY|1441|between 1 and 1440",
        "BREAKGLASS_MAX_RUNS_PER_DAY|lots|whole number",
        "BREAKGLASS_CREDENTIAL|password|one of default, managed-identity, static-token",
        "BREAKGLASS_EXCLUSION_GROUP_NAME|bg group|1-64 characters",
    })
    void rejectsABadSettingNamingIt(String key, String value, String rule) {
        Map<String, String> settings = valid();
        settings.put(key, value);

        assertThatThrownBy(() -> SpecLoader.load(settings))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> assertThat(e.problems())
                        .singleElement().asString().startsWith(key).contains(rule));
    }

    @Test
    void requiresTheVaultAndTheTenantAndReportsBothAtOnce() {
        assertThatThrownBy(() -> SpecLoader.load(Map.of()))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).isEqualTo("BREAKGLASS_TENANT_ID is required"))
                        .anySatisfy(p -> assertThat(p).isEqualTo("BREAKGLASS_KEY_VAULT_URI is required")));
    }

    @Test
    void refusesAStaticTokenForPublicCloudHostsWithoutEchoingIt() {
        Map<String, String> settings = valid();
        settings.put("BREAKGLASS_CREDENTIAL", "static-token");
        settings.put("BREAKGLASS_STATIC_TOKEN", "eyJ0eXAiOiJKV1QiLCJhbGciOi-secret");

        assertThatThrownBy(() -> SpecLoader.load(settings))
                .isInstanceOfSatisfying(SpecValidationException.class, e -> assertThat(e.problems())
                        .anySatisfy(p -> assertThat(p).contains("refused for public-cloud host graph.microsoft.com")))
                .message().doesNotContain("secret");
    }

    @Test
    void acceptsAStaticTokenForATestEndpointAndNeverPrintsIt() {
        Map<String, String> settings = valid();
        settings.put("BREAKGLASS_KEY_VAULT_URI", "https://fake.vault.localhost:8443");
        settings.put("BREAKGLASS_GRAPH_ENDPOINT", "https://localhost:8443/v1.0/");
        settings.put("BREAKGLASS_ARM_ENDPOINT", "https://localhost:8443");
        settings.put("BREAKGLASS_CREDENTIAL", "static-token");
        settings.put("BREAKGLASS_STATIC_TOKEN", "test-token-123");

        BreakGlassSpec spec = SpecLoader.load(settings);

        assertThat(spec.endpoints().graph()).hasToString("https://localhost:8443/v1.0");
        assertThat(spec.toString()).doesNotContain("test-token-123");
    }

    @Test
    void escapesControlCharactersWhenEchoingBadInput() {
        Map<String, String> settings = valid();
        settings.put("BREAKGLASS_UPN_PREFIX", "bg\u001b[31m\r\nINJECTED");

        assertThatThrownBy(() -> SpecLoader.load(settings)).message()
                .doesNotContain("\u001b").doesNotContain("\r\n").contains("\\u001b");
    }

    @Test
    void derivesKeyVaultSafeSecretNames() {
        Map<String, String> settings = valid();
        settings.put("BREAKGLASS_UPN_PREFIX", "ops.break_glass");

        assertThat(SpecLoader.load(settings).accounts().get(0).secretName()).isEqualTo("breakglass-ops-break-glass01");
    }
}
