package dev.breakglass.functions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The headers App Service Authentication adds for an application caller: {@code x-ms-client-principal} (claims, with
 * the app role) and {@code x-ms-client-principal-id} (its object id).
 */
final class FuzzPrincipals {

    private FuzzPrincipals() {
    }

    static FakeHttp.Request signIn(FakeHttp.Request request, String role, String objectId) {
        String json = "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"" + role + "\"}]}";
        return request.header("x-ms-client-principal", Base64.getEncoder().encodeToString(
                json.getBytes(StandardCharsets.UTF_8))).header("x-ms-client-principal-id", objectId);
    }
}
