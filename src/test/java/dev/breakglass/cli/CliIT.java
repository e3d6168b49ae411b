package dev.breakglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakglass.cli.CliSession.Run;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI as a user or pipeline runs it: {@code --config} with the app-setting keys, TLS trust from
 * the JVM's standard {@code javax.net.ssl.trustStore}, one JSON document on stdout with {@code --json},
 * and exit codes.
 */
class CliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;
    private TestTenant tenant;
    private CliSession cli;

    @BeforeEach
    void startTenantAndTrustIt() throws IOException, GeneralSecurityException {
        tenant = TestTenant.start(TenantSeed.minimal());
        cli = CliSession.trusting(tenant, directory);
    }

    @AfterEach
    void stop() {
        cli.close();
        tenant.close();
    }

    @Test
    void verifyReportsAnUnprovisionedTenantAsOneJsonDocumentAndExitsOne() throws IOException {
        Run run = cli.run("verify", "--config", cli.config().toString(), "--json");

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_IN_DESIRED_STATE);
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("checks")).isNotEmpty().allSatisfy(check -> assertThat(check.fieldNames())
                .toIterable().contains("id", "title", "status", "detail"));
        assertThat(result.get("checks").findValuesAsText("status")).contains("Failed").doesNotContain("Error");
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void applyProvisionsThenASecondApplyReportsZeroWrites() throws IOException {
        Path config = cli.config();

        Run first = cli.run("apply", "--config", config.toString(), "--json");
        // Only people can register the accounts' passkeys: until they do, apply reports PendingKeyRegistration.
        tenant.custodiansRegisterKeysAndDrill();
        Run second = cli.run("apply", "--config", config.toString(), "--json");

        assertThat(first.exitCode()).as(first.stderr()).isEqualTo(ExitCodes.NOT_IN_DESIRED_STATE);
        JsonNode provisioned = JSON.readTree(first.stdout());
        assertThat(provisioned.at("/applies/0/writes").asLong()).isPositive();
        assertThat(provisioned.get("checks")).filteredOn(check -> !check.get("status").asText().equals("Passed")
                && !check.get("status").asText().equals("Skipped")).extracting(check -> check.get("id").asText())
                .containsOnly("BG.1011");
        assertThat(second.exitCode()).isEqualTo(ExitCodes.OK);
        JsonNode result = JSON.readTree(second.stdout());
        assertThat(result.at("/applies/0/writes").asLong()).isZero();
        assertThat(result.get("checks")).allSatisfy(check -> assertThat(check.get("status").asText())
                .as(check.toString()).isEqualTo(check.get("id").asText().equals("BG.1012") ? "Skipped" : "Passed"));
        assertThat(second.stderr()).contains("done:");
    }

    @Test
    void rejectsAnInvalidConfigurationBeforeAnyCallNamingTheSetting() throws IOException {
        Run run = cli.run("plan", "--config", cli.config(Map.of("BREAKGLASS_ACCOUNT_COUNT", "0",
                "BREAKGLASS_UPN_PREFIX", "bad prefix")).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(run.stderr()).contains("BREAKGLASS_ACCOUNT_COUNT must be between 1 and 10")
                .contains("BREAKGLASS_UPN_PREFIX");
        assertThat(tenant.fake().journal().entries()).isEmpty();
    }

    @Test
    void rejectsUnknownKeysInTheConfigFileAsJsonWhenAsked() throws IOException {
        Run run = cli.run("verify", "--json", "--config",
                cli.config(Map.of("BREAKGLASS_ACOUNT_COUNT", "3")).toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("errors").get(0).asText()).startsWith("BREAKGLASS_ACOUNT_COUNT is not a breakglass setting");
        assertThat(result.get("checks")).isEmpty();
    }

    @Test
    void planListsTheChangesAndWritesNothing() throws IOException {
        Run run = cli.run("plan", "--config", cli.config().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.NOT_IN_DESIRED_STATE);
        assertThat(run.stdout()).contains("+ EmergencyUser").contains("Run apply to make them.");
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void verifyPrintsMarkdownWhenAsked() throws IOException {
        Run run = cli.run("verify", "--config", cli.config().toString(), "--markdown");

        assertThat(run.stdout()).startsWith("| ID | Target | Status | Check | Detail |").contains("| BG.1003 | bg01 |");
    }

    @Test
    void demoConvergesReportsZeroWritesOnTheSecondApplyAndShowsTheDrift() throws IOException {
        Run run = cli.run("demo", "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("checks").findValuesAsText("status")).isNotEmpty().containsOnly("Passed");
        assertThat(result.get("applies")).hasSize(3);
        assertThat(result.at("/applies/0/writes").asLong()).isPositive();
        assertThat(result.at("/applies/1/writes").asLong()).isZero();
        assertThat(result.at("/applies/2/writes").asLong()).isPositive();
        assertThat(result.get("drift").findValuesAsText("id")).containsExactly("BG.1006", "BG.1009", "BG.1013", "BG.1013");
        assertThat(result.get("checks").findValuesAsText("id")).contains("BG.1011", "BG.1012", "BG.1013");
        assertThat(run.stderr()).contains("== 4. readiness").contains("PendingKeyRegistration")
                .contains("never signed in successfully").contains("breakglass-bg01-tap");
        assertThat(run.stderr()).contains("== 6. drift");
    }
}
