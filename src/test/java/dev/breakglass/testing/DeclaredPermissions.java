package dev.breakglass.testing;

import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.Step;
import dev.breakglass.spec.SpecLoader;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What the code declares it needs, read from the steps the production {@link Engine} wires, so a step added anywhere
 * is covered by the documentation and infrastructure checks without touching them.
 */
public final class DeclaredPermissions {

    private static final List<String> NON_GRAPH_PREFIXES = List.of("ARM: ", "Key Vault: ");

    private DeclaredPermissions() {
    }

    /** Every step of the production engine with every optional feature on: all the code can ask for. */
    public static List<Step> steps() {
        return steps(true);
    }

    /**
     * Every step of the production engine. Only {@code BREAKGLASS_TAP_ENABLED} changes what a step declares
     * (issuing passes needs {@code UserAuthenticationMethod.ReadWrite.All}); no other value of the spec does.
     */
    public static List<Step> steps(boolean temporaryAccessPasses) {
        return Engine.create(SpecLoader.load(Map.of(
                "BREAKGLASS_TENANT_ID", "00000000-0000-0000-0000-000000000001",
                "BREAKGLASS_KEY_VAULT_URI", "https://example.vault.azure.net",
                "BREAKGLASS_TAP_ENABLED", String.valueOf(temporaryAccessPasses))), null).workflow().steps();
    }

    /** The union of the Microsoft Graph application permissions the steps declare, to observe and to apply. */
    public static Set<String> graph() {
        Set<String> graph = new TreeSet<>();
        for (Step step : steps()) {
            Stream.concat(step.permissions().observe().stream(), step.permissions().apply().stream())
                    .filter(DeclaredPermissions::isGraph).forEach(graph::add);
        }
        return graph;
    }

    /** Graph permissions are written bare ({@code User.Read.All}); Azure ones carry an {@code ARM:} or {@code Key Vault:} prefix. */
    public static boolean isGraph(String permission) {
        return NON_GRAPH_PREFIXES.stream().noneMatch(permission::startsWith);
    }
}
