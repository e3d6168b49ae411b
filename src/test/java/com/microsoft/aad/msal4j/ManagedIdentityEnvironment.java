package com.microsoft.aad.msal4j;

import java.util.Map;

/**
 * Points MSAL's managed identity sources at given values instead of the process environment, through MSAL's own
 * package-private test hook ({@code ManagedIdentityApplication.setEnvironmentVariables}). azure-identity 1.18's
 * {@code ManagedIdentityCredential} delegates to MSAL, which reads {@code IDENTITY_ENDPOINT} and
 * {@code IDENTITY_HEADER} from there only: the builder's {@code configuration(...)} does not reach it. JVM-wide, so
 * always {@link #reset()} after use.
 */
public final class ManagedIdentityEnvironment {

    private ManagedIdentityEnvironment() {
    }

    public static void use(Map<String, String> variables) {
        ManagedIdentityApplication.setEnvironmentVariables(variables::get);
    }

    public static void reset() {
        ManagedIdentityApplication.setEnvironmentVariables(null);
    }
}
