package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.microsoft.azure.functions.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** F3, F4: the app-role check, and never trusting the principal header when platform authentication is off. */
class CallerAuthorizationTest {

    private static final Supplier<FunctionsApp> REACHED = () -> {
        throw new IllegalStateException("reached the app");
    };

    @Test
    void refusesEveryRequestWhenARoleIsRequiredButPlatformAuthenticationIsOff() {
        var authorization = CallerAuthorization.fromSettings(Map.of("BREAKGLASS_REQUIRED_APP_ROLE", "Provision"));

        var response = new ProvisionFunction(REACHED, authorization).provision(
                request(principal("Provision")), FunctionsHost.context());

        assertThat(response.getStatusCode()).isEqualTo(500);
        assertThat((String) response.getBody()).contains("PlatformAuthenticationOff");
    }

    @Test
    void answers401WithoutAPrincipalAnd403WithoutTheRole() {
        var authorization = new CallerAuthorization("Provision", true);
        var function = new RunStatusFunction(REACHED, authorization);

        assertThat(function.status(FakeHttp.request(HttpMethod.GET, "/api/runs/x"), "x", FunctionsHost.context())
                .getStatusCode()).isEqualTo(401);
        assertThat(function.status(request(principal("Reader")), "x", FunctionsHost.context()).getStatusCode())
                .isEqualTo(403);
        assertThat(function.status(request("not base64 at all"), "x", FunctionsHost.context()).getStatusCode())
                .isEqualTo(403);
    }

    @Test
    void letsACallerWithTheRoleThrough() {
        var function = new ProvisionFunction(REACHED, new CallerAuthorization("Provision", true));

        assertThatThrownBy(() -> function.provision(request(principal("Provision")), FunctionsHost.context()))
                .hasMessage("reached the app");
    }

    @Test
    @dev.breakglass.testing.reliability.Covers(value = {"A9"}, proves = "the caller's identity for run ownership is the"
            + " principal id App Service Authentication vouches for, and nobody's when it is off (a forged header then"
            + " names no one)")
    void theCallerIdIsThePlatformValidatedPrincipalIdOnly() {
        FakeHttp.Request signedIn = FuzzPrincipals.signIn(FakeHttp.request(HttpMethod.GET, "/api/runs/x"), "Provision",
                "app-a");

        assertThat(new CallerAuthorization("Provision", true).callerId(signedIn)).contains("app-a");
        assertThat(new CallerAuthorization(null, false).callerId(signedIn)).isEmpty();
        assertThat(new CallerAuthorization("Provision", true).callerId(request(principal("Provision")))).isEmpty();
    }

    private static FakeHttp.Request request(String principal) {
        return FakeHttp.request(HttpMethod.POST, "/api/provision").header("X-MS-CLIENT-PRINCIPAL", principal);
    }

    private static String principal(String role) {
        String json = "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"" + role + "\"}]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
