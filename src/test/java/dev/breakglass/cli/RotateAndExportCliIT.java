package dev.breakglass.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.breakglass.cli.CliSession.Run;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rotate} and {@code export} as a user runs them, against the fake tenant via {@code --config} (TLS
 * trust from the JVM's trust store, as in {@link CliIT}), and {@code export --demo} against the embedded demo
 * tenant. The password never reaches stdout or stderr.
 */
class RotateAndExportCliIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path directory;
    private TestTenant tenant;
    private CliSession cli;

    @BeforeEach
    void startTenantAndTrustIt() throws IOException, GeneralSecurityException {
        tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring();
        cli = CliSession.trusting(tenant, directory);
    }

    @AfterEach
    void stop() {
        cli.close();
        tenant.close();
    }

    @Test
    void rotatePrintsWhatChangedAsJsonButNeverThePassword() throws IOException {
        assertThat(tenant.apply().succeeded()).isTrue();
        String secretName = tenant.spec().account("bg02").secretName();

        Run run = cli.run("rotate", "bg02", "--config", cli.config().toString(), "--json");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        JsonNode result = JSON.readTree(run.stdout());
        assertThat(result.get("succeeded").asBoolean()).isTrue();
        List<SecretVersion> versions = tenant.fake().state().secretVersions(secretName);
        SecretVersion active = versions.stream().filter(SecretVersion::enabled).findFirst().orElseThrow();
        assertThat(versions).filteredOn(SecretVersion::enabled).hasSize(1);
        assertThat(result.at("/rotation/version").asText()).isEqualTo(active.version());
        assertThat(tenant.fake().state().passwordOf(result.at("/rotation/userId").asText())).contains(active.value());
        versions.forEach(version -> assertThat(run.stdout() + run.stderr()).doesNotContain(version.value()));
    }

    @Test
    void rotateRefusesAnUnknownKeyAsUsageAndAnUnprovisionedAccountAsNotInTheDesiredState() throws IOException {
        Run unknown = cli.run("rotate", "bg42", "--config", cli.config().toString());
        Run unprovisioned = cli.run("rotate", "bg01", "--config", cli.config().toString());

        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(unknown.stderr()).contains("bg42").contains("bg01");
        assertThat(unprovisioned.exitCode()).isEqualTo(ExitCodes.NOT_IN_DESIRED_STATE);
        assertThat(unprovisioned.stderr()).contains("AccountNotProvisioned").contains("Re-run");
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void exportPrintsTheScubaGearFileOfTheLiveTenantAndWritesNothing() throws IOException {
        assertThat(tenant.apply().succeeded()).isTrue();
        tenant.fake().journal().clear();

        Run run = cli.run("export", "scubagear", "--config", cli.config().toString());

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        JsonNode aad = new YAMLMapper().readTree(run.stdout()).get("Aad");
        List<String> userIds = tenant.spec().accounts().stream().map(account -> tenant.fake().state()
                .user(account.upn(tenant.fake().initialDomain())).orElseThrow().get("id").asText()).toList();
        assertThat(List.of(aad.at("/MS.AAD.7.4v1/RoleExclusions/Users/0").asText(),
                aad.at("/MS.AAD.7.4v1/RoleExclusions/Users/1").asText())).containsExactlyInAnyOrderElementsOf(userIds);
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void exportRefusesAnUnknownFormatListingTheFormats() throws IOException {
        Run run = cli.run("export", "csv", "--config", cli.config().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCodes.INVALID_CONFIGURATION);
        assertThat(run.stderr()).contains("maester, scubagear, zta, sentinel");
        assertThat(tenant.fake().journal().entries()).isEmpty();
    }

    @Test
    void exportDemoProvisionsTheEmbeddedTenantAndPrintsItsWatchlist() throws IOException {
        Run run = cli.run("export", "sentinel", "--demo");

        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(ExitCodes.OK);
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(run.stdout())) {
            List<Map<String, String>> all = rows.readAll();
            assertThat(all).hasSize(2);
            assertThat(all).allSatisfy(row -> {
                assertThat(row.get("UserPrincipalName")).matches("bg0[12]@.*\\.onmicrosoft\\.com");
                assertThat(row.get("ObjectId")).hasSize(36);
            });
        }
    }
}
