package dev.breakglass.spec;

/**
 * @param mode                    how tokens are obtained
 * @param managedIdentityClientId client id of a user-assigned managed identity, or null for system-assigned/default
 * @param staticToken             the fixed bearer token of {@link CredentialMode#STATIC_TOKEN}; never printed
 */
public record Credentials(CredentialMode mode, String managedIdentityClientId, String staticToken) {

    @Override
    public String toString() {
        return "Credentials[mode=" + mode.settingValue()
                + (managedIdentityClientId == null ? "" : ", managedIdentityClientId=" + managedIdentityClientId)
                + (staticToken == null ? "" : ", staticToken=***") + "]";
    }
}
