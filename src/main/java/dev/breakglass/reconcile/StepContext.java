package dev.breakglass.reconcile;

import dev.breakglass.spec.Account;
import dev.breakglass.spec.BreakGlassSpec;

/**
 * What a step runs against: the spec, the account (for per-account steps) and the run's read cache.
 *
 * @param spec    the desired state
 * @param account the account a per-account step works on; null for tenant steps
 * @param reads   reads shared within one run (one walk of the CA policies, one read of the domains)
 */
public record StepContext(BreakGlassSpec spec, Account account, RunReads reads) {

    /** The account of a per-account step. */
    public Account requireAccount() {
        if (account == null) {
            throw new IllegalStateException("a per-account step ran without an account");
        }
        return account;
    }

    /** Report target: the account key, or {@code tenant}. */
    public String target() {
        return account == null ? "tenant" : account.key();
    }
}
