package dev.breakglass.functions;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** The {@code x-ms-client-principal} header App Service Authentication adds for an application caller. */
final class FuzzPrincipals {

    private FuzzPrincipals() {
    }

    static String encode(String role, String objectId) {
        String json = "{\"auth_typ\":\"aad\",\"claims\":[{\"typ\":\"roles\",\"val\":\"" + role + "\"},"
                + "{\"typ\":\"http://schemas.microsoft.com/identity/claims/objectidentifier\",\"val\":\"" + objectId
                + "\"}]}";
        return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
