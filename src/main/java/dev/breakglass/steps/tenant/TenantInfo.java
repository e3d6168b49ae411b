package dev.breakglass.steps.tenant;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import java.util.Set;

/**
 * Reads the tenant's initial {@code *.onmicrosoft.com} domain and its Entra ID licences. Owns
 * nothing and never writes; the other steps depend on its facts, and a missing P1 or P2 licence is
 * reported here so that the warnings of later steps make sense.
 *
 * <p>Permissions: {@code Domain.Read.All} for {@code GET /domains}, {@code Organization.Read.All}
 * for {@code GET /subscribedSkus}.
 */
public final class TenantInfo implements Step {

    private static final Check CHECK = new Check("BG.1001",
            "The tenant's initial onmicrosoft.com domain and Entra ID licences are known");

    private final TenantDirectory directory;

    public TenantInfo(TenantDirectory directory) {
        this.directory = directory;
    }

    @Override
    public Scope scope() {
        return Scope.TENANT;
    }

    @Override
    public Check check() {
        return CHECK;
    }

    @Override
    public Permissions permissions() {
        return new Permissions(Set.of("Domain.Read.All", "Organization.Read.All"), Set.of());
    }

    @Override
    public Observation observe(StepContext context) {
        TenantFacts facts = TenantFacts.of(context, directory);
        if (!facts.premiumP1()) {
            return new Observation.Drifted(java.util.List.of("the tenant has no Entra ID P1 licence, so Conditional "
                    + "Access policies cannot apply; emergency accounts are still created"));
        }
        return new Observation.UpToDate("initial domain " + facts.initialDomain() + "; Entra ID "
                + (facts.premiumP2() ? "P2 (PIM available)" : "P1 (no PIM: Global Administrator is assigned directly)"));
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        return new Outcome.Done("nothing to change: " + observed.summary());
    }
}
