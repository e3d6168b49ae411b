package dev.breakglass.steps.password;

import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import java.util.Optional;

/**
 * Each account's secret metadata, read once per run: the password step, the user step and the provenance check of
 * every step that looks at the account's user all need it. A write to the secret {@link #forget}s it.
 */
public final class AccountSecrets {

    private AccountSecrets() {
    }

    public static Optional<SecretStore.StoredSecret> find(StepContext context, SecretStore secrets, Account account) {
        return context.reads().remember(key(account), () -> secrets.find(account.secretName()));
    }

    public static void forget(StepContext context, Account account) {
        context.reads().forget(key(account));
    }

    private static String key(Account account) {
        return "secret:" + account.secretName();
    }
}
