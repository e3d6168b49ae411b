package dev.breakglass.steps.tenant;

import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.StepContext;
import java.util.List;
import java.util.Locale;

/**
 * What the other steps need to know about the tenant, read once per run.
 *
 * @param initialDomain the {@code *.onmicrosoft.com} domain Entra created with the tenant: emergency
 *                      accounts live there because it cannot be federated or removed
 * @param premiumP1     Entra ID P1 (Conditional Access)
 * @param premiumP2     Entra ID P2 (PIM)
 */
public record TenantFacts(String initialDomain, boolean premiumP1, boolean premiumP2) {

    private static final String DOMAIN_KEY = "tenant-initial-domain";
    private static final String PLANS_KEY = "tenant-service-plans";

    /** The facts for this run, reading them on first use. */
    public static TenantFacts of(StepContext context, TenantDirectory directory) {
        // The domain first: the account steps wait for it, nothing waits for the licences.
        String initialDomain = initialDomain(context, directory);
        List<String> plans = context.reads().remember(PLANS_KEY, directory::listServicePlans);
        boolean p2 = plans.contains("AAD_PREMIUM_P2");
        return new TenantFacts(initialDomain, p2 || plans.contains("AAD_PREMIUM"), p2);
    }

    /**
     * The initial domain alone, for the steps that only need a UPN: one read ({@code /domains}), not two, on their
     * path.
     */
    public static String initialDomain(StepContext context, TenantDirectory directory) {
        return context.reads().remember(DOMAIN_KEY, () -> readInitialDomain(directory));
    }

    private static String readInitialDomain(TenantDirectory directory) {
        return directory.listDomains().stream()
                .filter(TenantDirectory.Domain::initial)
                .map(domain -> domain.name().toLowerCase(Locale.ROOT))
                .filter(name -> name.endsWith(".onmicrosoft.com"))
                .findFirst()
                .orElseThrow(() -> CloudException.terminal("InitialDomainNotFound",
                        "reading the tenant's domains: no initial *.onmicrosoft.com domain was listed"));
    }
}
