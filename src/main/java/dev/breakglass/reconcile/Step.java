package dev.breakglass.reconcile;

import java.util.List;
import java.util.Optional;

/**
 * One kind of thing breakglass owns, kept in its desired state. Implementations are small classes
 * named after the thing ({@code EmergencyUser}), with the narrow port they need injected.
 *
 * <p>The contract (after crossplane-runtime's managed reconciler):
 * <ul>
 *   <li>{@link #observe} never writes. It throws {@link CloudException} when the tenant cannot be read.</li>
 *   <li>{@link #apply} is called only when observe did not answer {@link Observation.UpToDate} (or
 *       {@link Observation.Skipped}), and is safe to run twice: "already exists" is resolved by re-reading,
 *       never by creating again.</li>
 *   <li>Desired state is a pure function of the spec and of what observe reads.</li>
 * </ul>
 */
public interface Step {

    /** The step's name, e.g. {@code EmergencyUser}: also its queue-message and run-state key. */
    default String name() {
        return getClass().getSimpleName();
    }

    /** What the step is: its scope, check, permissions and the steps it follows. */
    StepInfo info();

    /** Whether the step runs once per tenant or once per emergency account. */
    default Scope scope() {
        return info().scope();
    }

    /**
     * The steps whose units of work must be done before this step's may run (for an account step, the same
     * account's units of the account steps named here). Empty: every earlier step in the declared order, the safe
     * default for a step that has not said what it needs. Steps that name their real dependencies let the others
     * run beside them: verification then takes as many round trips as its longest chain, not as its step count.
     * Only steps declared earlier may be named.
     */
    default Optional<List<String>> dependsOn() {
        return info().dependsOn();
    }

    /** The drift-report check this step answers. */
    default Check check() {
        return info().check();
    }

    /** What the step needs to observe and to apply. */
    default Permissions permissions() {
        return info().permissions();
    }

    Observation observe(StepContext context);

    /**
     * Makes the thing match the desired state.
     *
     * @param observed what {@link #observe} just returned (never {@link Observation.UpToDate} nor {@link Observation.Skipped})
     */
    Outcome apply(StepContext context, Observation observed);

    /** Per tenant, or per account. */
    enum Scope {
        TENANT, ACCOUNT
    }
}
