package dev.breakglass.spec;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The desired state: what the tenant's emergency-access accounts must look like. Built only by
 * {@link SpecLoader}, which validates every field, so holders of a spec can trust it.
 *
 * @param tenantId            the Entra tenant (GUID)
 * @param accountCount        how many emergency accounts (Microsoft recommends at least two)
 * @param upnPrefix           local-part prefix; account n is {@code <prefix><nn>@<initial onmicrosoft.com domain>}
 * @param displayName         display name; account n gets {@code "<displayName> <nn>"}
 * @param keyVaultUri         vault that receives each account's password
 * @param exclusionGroupName  mailNickname of the role-assignable group excluded from Conditional Access
 * @param conditionalAccessAllowList ids of CA policies meant to target the accounts (never modified)
 * @param remediation         whether verification may heal drift (and remove foreign group members)
 * @param endpoints           Graph and ARM endpoints
 * @param credentials         how to authenticate
 * @param monitoring          the workspace, action group and alert rules; null when no workspace is configured
 * @param readiness           passkey readiness (Temporary Access Pass) and the validation drill
 * @param maxRunsPerDay       provisioning runs the HTTP route may start per UTC day (TESTS.md F10)
 */
public record BreakGlassSpec(
        String tenantId,
        int accountCount,
        String upnPrefix,
        String displayName,
        URI keyVaultUri,
        String exclusionGroupName,
        Set<String> conditionalAccessAllowList,
        boolean remediation,
        Endpoints endpoints,
        Credentials credentials,
        Monitoring monitoring,
        Readiness readiness,
        int maxRunsPerDay) {

    public BreakGlassSpec {
        conditionalAccessAllowList = Set.copyOf(conditionalAccessAllowList);
    }

    /** The accounts this spec asks for, in order. */
    public List<Account> accounts() {
        List<Account> accounts = new ArrayList<>(accountCount);
        for (int index = 1; index <= accountCount; index++) {
            accounts.add(Account.of(upnPrefix, displayName, index));
        }
        return accounts;
    }

    /** The account with this key, if the spec asks for it. */
    public Account account(String key) {
        return accounts().stream()
                .filter(account -> account.key().equals(key))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no emergency account '" + key + "' in the spec"));
    }
}
