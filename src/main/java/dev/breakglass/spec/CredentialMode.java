package dev.breakglass.spec;

/** How breakglass authenticates to Graph, ARM and Key Vault. */
public enum CredentialMode {
    /** {@code DefaultAzureCredential}: environment, workload identity, managed identity, Azure CLI. */
    DEFAULT("default"),
    /** A (user-assigned, if a client id is set) managed identity: the Function App in Azure. */
    MANAGED_IDENTITY("managed-identity"),
    /** A fixed bearer token, for test endpoints only: refused for public-cloud hosts. */
    STATIC_TOKEN("static-token");

    private final String settingValue;

    CredentialMode(String settingValue) {
        this.settingValue = settingValue;
    }

    public String settingValue() {
        return settingValue;
    }

    static CredentialMode fromSetting(String value) {
        for (CredentialMode mode : values()) {
            if (mode.settingValue.equals(value)) {
                return mode;
            }
        }
        return null;
    }
}
