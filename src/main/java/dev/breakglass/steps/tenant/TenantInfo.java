package dev.breakglass.steps.tenant;

import dev.breakglass.reconcile.Check;
import dev.breakglass.reconcile.Observation;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.reconcile.Step;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.reconcile.StepInfo;
import java.util.Set;

/**
 * Reads the tenant's initial {@code *.onmicrosoft.com} domain and its Entra ID licences. Owns
 * nothing and never writes, so no step waits for it: the steps that need its facts read them through
 * {@link TenantFacts}, once per run. A missing P1 or P2 licence is reported here so that the warnings
 * of later steps make sense.
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
    public StepInfo info() {
        return StepInfo.perTenant(CHECK, new Permissions(
                Set.of("Domain.Read.All", "Organization.Read.All"),
                Set.of())).after();
    }

    @Override
    public Observation observe(StepContext context) {
        TenantFacts facts = TenantFacts.of(context, directory);
        String licence;
        if (facts.premiumP2()) {
            licence = "Entra ID P2 (PIM available)";
        } else if (facts.premiumP1()) {
            licence = "Entra ID P1 (no PIM: Global Administrator is assigned directly)";
        } else {
            licence = "no Entra ID P1 or P2 (no Conditional Access to exclude the accounts from; no PIM)";
        }
        return new Observation.UpToDate("initial domain " + facts.initialDomain() + "; " + licence);
    }

    @Override
    public Outcome apply(StepContext context, Observation observed) {
        return new Outcome.Done("nothing to change: " + observed.summary());
    }
}
