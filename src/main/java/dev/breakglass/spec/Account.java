package dev.breakglass.spec;

import java.util.Locale;

/**
 * One emergency account as the spec wants it. Its key (the UPN's local part) is its natural key
 * everywhere: in queue messages, in the Key Vault secret's name and tags, and in the UPN itself.
 *
 * @param key         e.g. {@code bg01}: also the mailNickname and the UPN's local part
 * @param index       1-based position in the spec
 * @param displayName e.g. {@code "Emergency access 01"}
 */
public record Account(String key, int index, String displayName) {

    static Account of(String upnPrefix, String displayNamePrefix, int index) {
        String number = String.format(Locale.ROOT, "%02d", index);
        return new Account(upnPrefix + number, index, displayNamePrefix + " " + number);
    }

    /** The UPN on the tenant's initial domain, e.g. {@code bg01@contoso.onmicrosoft.com}. */
    public String upn(String initialDomain) {
        return key + "@" + initialDomain;
    }

    /**
     * The Key Vault secret name: vault names allow only {@code [0-9a-zA-Z-]}, so every other character
     * a UPN allows becomes {@code -}.
     */
    public String secretName() {
        return "breakglass-" + key.replaceAll("[^0-9A-Za-z-]", "-");
    }
}
