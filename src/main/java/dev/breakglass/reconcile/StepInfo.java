package dev.breakglass.reconcile;

import java.util.List;
import java.util.Optional;

/**
 * What a step is, said in one place: whether it runs per tenant or per account, the check it answers, the
 * permissions it needs, and the steps it follows.
 *
 * @param dependsOn the steps whose units of work must be done first; empty: every earlier step (see
 *                  {@link Step#dependsOn()})
 */
public record StepInfo(Step.Scope scope, Check check, Permissions permissions, Optional<List<String>> dependsOn) {

    public static StepInfo perTenant(Check check, Permissions permissions) {
        return new StepInfo(Step.Scope.TENANT, check, permissions, Optional.empty());
    }

    public static StepInfo perAccount(Check check, Permissions permissions) {
        return new StepInfo(Step.Scope.ACCOUNT, check, permissions, Optional.empty());
    }

    /** The same step, run once these steps are done; none: from the start. */
    public StepInfo after(String... steps) {
        return new StepInfo(scope, check, permissions, Optional.of(List.of(steps)));
    }
}
