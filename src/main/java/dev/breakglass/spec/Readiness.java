package dev.breakglass.spec;

/**
 * Whether the accounts can still be used: passkey readiness (and the Temporary Access Pass that bootstraps it)
 * and the validation drill.
 *
 * @param tapEnabled          whether apply may issue a Temporary Access Pass; off, readiness is only reported
 * @param tapLifetimeMinutes  lifetime of an issued pass, within Entra's 10 to 43200 minutes
 * @param drillWindowDays     an account's last successful sign-in must be at most this many days old
 */
public record Readiness(boolean tapEnabled, int tapLifetimeMinutes, int drillWindowDays) {

    /**
     * Entra's bounds for a Temporary Access Pass lifetime
     * (https://learn.microsoft.com/entra/identity/authentication/howto-authentication-temporary-access-pass).
     */
    public static final int MIN_TAP_LIFETIME_MINUTES = 10;
    public static final int MAX_TAP_LIFETIME_MINUTES = 43200;
    public static final int MAX_DRILL_WINDOW_DAYS = 365;

    static Readiness load(SpecLoader.Reader reader) {
        return new Readiness(reader.bool(Setting.TAP_ENABLED),
                reader.integer(Setting.TAP_LIFETIME_MINUTES, MIN_TAP_LIFETIME_MINUTES, MAX_TAP_LIFETIME_MINUTES),
                reader.integer(Setting.DRILL_WINDOW_DAYS, 1, MAX_DRILL_WINDOW_DAYS));
    }
}
