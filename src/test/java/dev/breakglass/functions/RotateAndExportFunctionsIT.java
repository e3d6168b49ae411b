package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.faketenant.TenantState.SecretVersion;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.spec.Account;
import dev.breakglass.testing.TestTenant;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code POST /api/accounts/{key}/rotate} and {@code GET /api/exports/{format}} through the
 * {@code @FunctionName} methods, the run table on Azurite and the fake tenant: a rotation answers 200 with
 * no secret and leaves one enabled version holding the user's password; unknown key 404; a provisioning
 * run in progress 409 with its Location and no write; an unprovisioned account 409; throttling beyond
 * what one invocation waits 503 with Retry-After. Each export is parsed back and compared with the fake's
 * final state (the accounts' object ids and UPNs, the exclusion group's id); an unknown format is 400 with
 * the list of formats. H1: no response carries a stored password.
 */
class RotateAndExportFunctionsIT {

    private static final ObjectMapper JSON = new ObjectMapper();

    private TestTenant tenant;
    private FunctionsApp app;
    private RotatePasswordFunction rotate;
    private ExportFunction export;

    @BeforeEach
    void start() {
        tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring();
        app = FunctionsTestApp.start(tenant).app();
        rotate = new RotatePasswordFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
        export = new ExportFunction(() -> app, CallerAuthorization.FUNCTION_KEYS_ONLY);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void aRotationAnswers200WithoutTheSecretAndLeavesOneEnabledVersionHoldingTheUsersPassword() throws IOException {
        provision();
        Account account = tenant.spec().account("bg01");
        String oldVersion = versions(account).get(0).version();

        HttpResponseMessage response = rotate("bg01");

        assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(200);
        JsonNode body = JSON.readTree((String) response.getBody());
        assertThat(body.get("account").asText()).isEqualTo("bg01");
        assertThat(body.get("disabledVersions").get(0).asText()).isEqualTo(oldVersion);
        List<SecretVersion> versions = versions(account);
        assertThat(versions).filteredOn(SecretVersion::enabled).singleElement().satisfies(active -> {
            assertThat(active.version()).isEqualTo(body.get("secretVersion").asText());
            assertThat(tenant.fake().state().passwordOf(body.get("userId").asText())).contains(active.value());
        });
        versions.forEach(version -> assertThat((String) response.getBody()).doesNotContain(version.value()));
    }

    @Test
    void anUnknownAccountKeyIs404ProblemJson() throws IOException {
        HttpResponseMessage response = rotate("bg99");

        assertThat(response.getStatusCode()).isEqualTo(404);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
        assertThat(JSON.readTree((String) response.getBody()).get("errorCode").asText()).isEqualTo("AccountNotFound");
        assertThat(tenant.fake().journal().entries()).isEmpty();
    }

    @Test
    void aRotationWhileAProvisioningRunIsActiveIs409WithTheRunsLocationAndWritesNothing() throws IOException {
        provision();
        String runId = app.runs().start("someone provisions", false).id();
        tenant.fake().journal().clear();

        HttpResponseMessage response = rotate("bg01");

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(response.getHeader("Location")).endsWith("/api/runs/" + runId);
        assertThat(JSON.readTree((String) response.getBody()).get("errorCode").asText())
                .isEqualTo("ProvisioningRunActive");
        assertThat(tenant.fake().journal().writes()).isEmpty();
        assertThat(versions(tenant.spec().account("bg01"))).hasSize(1);
    }

    @Test
    void aSecondRotationOfTheSameAccountWhileOneRunsIs409AndAnotherAccountIsNotBlocked() throws IOException {
        provision();
        app.store().lock(RotatePasswordFunction.LOCK_PREFIX + "bg01", "another-invocation",
                java.time.Instant.now().plusSeconds(60), other -> true);

        HttpResponseMessage blocked = rotate("bg01");
        HttpResponseMessage other = rotate("bg02");

        assertThat(blocked.getStatusCode()).isEqualTo(409);
        assertThat(JSON.readTree((String) blocked.getBody()).get("errorCode").asText()).isEqualTo("RotationInProgress");
        assertThat(versions(tenant.spec().account("bg01"))).hasSize(1);
        assertThat(other.getStatusCode()).isEqualTo(200);
    }

    @Test
    void aRotationOfAnAccountNotProvisionedYetIs409() throws IOException {
        HttpResponseMessage response = rotate("bg01");

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(JSON.readTree((String) response.getBody()).get("errorCode").asText()).isEqualTo("AccountNotProvisioned");
        assertThat(tenant.fake().journal().writes()).isEmpty();
    }

    @Test
    void keyVaultThrottlingLongerThanOneInvocationWaitsIs503WithRetryAfterAndTheRetryConverges() {
        provision();
        tenant.fake().faults().on("PUT", "/secrets/.*").throttle("120");

        HttpResponseMessage throttled = rotate("bg01");
        HttpResponseMessage retried = rotate("bg01");

        assertThat(throttled.getStatusCode()).isEqualTo(503);
        assertThat(throttled.getHeader("Retry-After")).isNotBlank();
        assertThat(retried.getStatusCode()).isEqualTo(200);
        assertThat(versions(tenant.spec().account("bg01"))).filteredOn(SecretVersion::enabled).hasSize(1);
    }

    @Test
    void theMaesterExportDeclaresTheExclusionGroupOfTheLiveTenant() throws IOException {
        provision();

        HttpResponseMessage response = export("maester");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
        assertThat(response.getHeader("Content-Disposition")).contains("maester-config.json");
        JsonNode accounts = JSON.readTree((String) response.getBody()).at("/GlobalSettings/EmergencyAccessAccounts");
        assertThat(accounts).hasSize(1);
        assertThat(accounts.get(0).get("Type").asText()).isEqualTo("Group");
        assertThat(accounts.get(0).get("Id").asText()).isEqualTo(groupId());
    }

    @Test
    void theScubaGearExportExcludesTheLiveAccountsAndGroup() throws IOException {
        provision();

        HttpResponseMessage response = export("scubagear");

        assertThat(response.getStatusCode()).isEqualTo(200);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/yaml");
        JsonNode config = new YAMLMapper().readTree((String) response.getBody());
        assertThat(config.get("ProductNames").get(0).asText()).isEqualTo("aad");
        JsonNode aad = config.get("Aad");
        assertThat(texts(aad.at("/MS.AAD.1.1v1/CapExclusions/Users"))).containsExactlyInAnyOrderElementsOf(userIds());
        assertThat(texts(aad.at("/MS.AAD.3.6v1/CapExclusions/Groups"))).containsExactly(groupId());
        assertThat(texts(aad.at("/MS.AAD.7.4v1/RoleExclusions/Users"))).containsExactlyInAnyOrderElementsOf(userIds());
    }

    @Test
    void theZeroTrustAssessmentExportRunsTheEmergencyAccessTestAndNamesTheLiveAccounts() throws IOException {
        provision();

        JsonNode config = JSON.readTree((String) export("zta").getBody());

        assertThat(texts(config.get("Tests"))).containsExactly("21835");
        assertThat(config.at("/BreakGlass/EmergencyAccessAccounts").findValuesAsText("Id"))
                .containsExactlyInAnyOrderElementsOf(userIds());
        assertThat(config.at("/BreakGlass/EmergencyAccessAccounts").findValuesAsText("UserPrincipalName"))
                .containsExactlyInAnyOrderElementsOf(upns());
        assertThat(config.at("/BreakGlass/ExclusionGroup/Id").asText()).isEqualTo(groupId());
    }

    @Test
    void theSentinelExportIsAWatchlistCsvOfTheLiveAccounts() throws IOException {
        provision();

        HttpResponseMessage response = export("sentinel");

        assertThat(response.getHeader("Content-Type")).isEqualTo("text/csv; charset=utf-8");
        assertThat(response.getHeader("Content-Disposition")).contains("BreakGlassAccounts.csv");
        try (MappingIterator<Map<String, String>> rows = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues((String) response.getBody())) {
            List<Map<String, String>> all = rows.readAll();
            assertThat(all).extracting(row -> row.get("ObjectId")).containsExactlyInAnyOrderElementsOf(userIds());
            assertThat(all).extracting(row -> row.get("UserPrincipalName")).containsExactlyInAnyOrderElementsOf(upns());
            assertThat(all).extracting(row -> row.get("ExclusionGroupId")).containsOnly(groupId());
        }
    }

    @Test
    void anUnknownFormatIs400ListingTheFormats() throws IOException {
        HttpResponseMessage response = export("csv");

        assertThat(response.getStatusCode()).isEqualTo(400);
        JsonNode problem = JSON.readTree((String) response.getBody());
        assertThat(problem.get("errorCode").asText()).isEqualTo("UnknownExportFormat");
        assertThat(texts(problem.get("formats"))).containsExactly("maester", "scubagear", "zta", "sentinel");
        assertThat(tenant.fake().journal().entries()).isEmpty();
    }

    @Test
    void anExportBeforeProvisioningIs409NotAFileThatDeclaresNothing() throws IOException {
        HttpResponseMessage response = export("maester");

        assertThat(response.getStatusCode()).isEqualTo(409);
        assertThat(JSON.readTree((String) response.getBody()).get("errorCode").asText()).isEqualTo("NotProvisioned");
    }

    private void provision() {
        ApplyReport report = tenant.apply();
        assertThat(report.succeeded()).as(report.toString()).isTrue();
        tenant.fake().journal().clear();
    }

    private HttpResponseMessage rotate(String key) {
        return rotate.rotate(FakeHttp.request(HttpMethod.POST, "/api/accounts/" + key + "/rotate"), key,
                FunctionsHost.context());
    }

    private HttpResponseMessage export(String format) {
        return export.export(FakeHttp.request(HttpMethod.GET, "/api/exports/" + format), format, FunctionsHost.context());
    }

    private List<SecretVersion> versions(Account account) {
        return tenant.fake().state().secretVersions(account.secretName());
    }

    private String groupId() {
        return tenant.fake().state().groups().stream()
                .filter(group -> tenant.spec().exclusionGroupName().equals(group.path("mailNickname").asText()))
                .map(group -> group.get("id").asText()).findFirst().orElseThrow();
    }

    private List<String> upns() {
        return tenant.spec().accounts().stream().map(account -> account.upn(tenant.fake().initialDomain())).toList();
    }

    private List<String> userIds() {
        return upns().stream().map(upn -> tenant.fake().state().user(upn).orElseThrow().get("id").asText()).toList();
    }

    private static List<String> texts(JsonNode array) {
        return java.util.stream.StreamSupport.stream(array.spliterator(), false).map(JsonNode::asText).toList();
    }
}
