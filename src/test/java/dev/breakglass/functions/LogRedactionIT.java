package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * H3 through every HTTP function on Azurite and the fake tenant: requests carry a bearer token, a function key
 * ({@code code=} in the URL and {@code x-functions-key}), a platform principal and a SAS URL, and the tenant answers
 * with an error that quotes a token and a SAS signature. Every record that reaches the root logger (what the host
 * ships to Application Insights) is checked, message, parameters and thrown chain, for each secret value.
 */
class LogRedactionIT {

    private static final String BEARER = "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.bearer-h3-secret.c2ln";
    private static final String FUNCTION_KEY = "fnkey-h3-secret-Zm9vYmFy==";
    private static final String HOST_KEY = "hostkey-h3-secret";
    private static final String SAS = "sas-h3-secret%2Bsig%3D";
    private static final String SERVICE_TOKEN = "svc-h3-secret-token";
    private static final List<String> SECRETS = List.of(BEARER, "bearer-h3-secret", FUNCTION_KEY, "fnkey-h3-secret",
            HOST_KEY, SAS, "sas-h3-secret", SERVICE_TOKEN);

    @Test
    @Covers(value = {"H3"}, proves = "Calls to provision, run status, rotate and export carrying a bearer token, a "
            + "function key (code= and x-functions-key), a SAS URL, and a tenant error quoting a token and a SAS "
            + "signature leave none of these values in any log record (message, parameters, thrown chain)")
    void noCredentialCarriedByARequestOrAnErrorReachesTheLog() {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            FunctionsApp app = FunctionsTestApp.start(tenant).app();
            // Key Vault's error quotes credentials back, as a misbehaving proxy or a verbose service might.
            tenant.fake().faults().on("*", "/secrets.*").always().error(400, "BadParameter", "rejected Authorization: "
                    + "Bearer " + SERVICE_TOKEN + " for https://kv.vault.azure.net/x?sig=" + SAS);
            tenant.fake().faults().on("*", "/v1.0/.*").always().error(400, "Request_BadRequest", "token access_token="
                    + SERVICE_TOKEN);
            var authorization = CallerAuthorization.FUNCTION_KEYS_ONLY;
            List<HttpResponseMessage> answers = new ArrayList<>();

            try (LogCapture log = LogCapture.start()) {
                answers.add(new ProvisionFunction(() -> app, authorization).provision(
                        withCredentials(HttpMethod.POST, "/api/provision").body("{\"reason\":\"see https://st.blob.core"
                                + ".windows.net/c/b?sv=2022-11-02&sig=" + SAS + "\"}"), FunctionsHost.context()));
                var status = new RunStatusFunction(() -> app, authorization);
                answers.add(status.status(withCredentials(HttpMethod.GET, "/api/runs/not-a-run"), "not-a-run",
                        FunctionsHost.context()));
                var rotate = new RotatePasswordFunction(() -> app, authorization);
                answers.add(rotate.rotate(withCredentials(HttpMethod.POST, "/api/accounts/bg99/rotate"), "bg99",
                        FunctionsHost.context()));
                answers.add(new ExportFunction(() -> app, authorization).export(
                        withCredentials(HttpMethod.GET, "/api/exports/pdf"), "pdf", FunctionsHost.context()));
                answers.add(new ExportFunction(() -> app, authorization).export(
                        withCredentials(HttpMethod.GET, "/api/exports/maester"), "maester", FunctionsHost.context()));
                answers.add(rotate.rotate(withCredentials(HttpMethod.POST, "/api/accounts/bg01/rotate"), "bg01",
                        FunctionsHost.context()));
                // Last: an active run makes a rotation 409 before it reaches the tenant.
                answers.add(new ProvisionFunction(() -> app, authorization).provision(
                        withCredentials(HttpMethod.POST, "/api/provision").json("{\"dryRun\":true}"), FunctionsHost.context()));

                Ledger.faultsInjected(2);
                assertThat(answers).extracting(HttpResponseMessage::getStatusCode)
                        .containsExactly(415, 400, 404, 400, 502, 502, 202);
                List<String> lines = log.lines();
                assertThat(lines).as("the requests were logged (with their URLs)").hasSizeGreaterThanOrEqualTo(6)
                        .anySatisfy(line -> assertThat(line).contains("code=" + LogRedaction.REDACTED));
                assertThat(lines).allSatisfy(line -> assertThat(SECRETS).noneSatisfy(secret -> assertThat(line)
                        .as("log line").contains(secret)));
            }
        }
    }

    private static FakeHttp.Request withCredentials(HttpMethod method, String path) {
        FakeHttp.Request request = new FakeHttp.Request(method, java.net.URI.create(
                "https://breakglass-func.azurewebsites.net" + path + "?code=" + FUNCTION_KEY));
        return request.query("code", FUNCTION_KEY).header("Authorization", "Bearer " + BEARER)
                .header("x-functions-key", HOST_KEY);
    }
}
