package dev.breakglass.steps.role;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * D5: before Global Administrator is granted, the user must still be the account breakglass created, not
 * one someone has taken over in between: its password never changed after creation, no sign-in method but
 * the password and what passkey readiness asks for, and no membership but breakglass's exclusion group. Any of
 * these means someone else holds or shapes a credential of a soon-to-be Global Administrator, so the assignment is
 * refused.
 *
 * <p>Passkeys (FIDO2), certificate methods and breakglass's own Temporary Access Pass are expected: BG.1011 asks the
 * custodians to register them, and without one the account cannot open the admin portals under mandatory MFA. A
 * passkey registered by someone else is not told apart here; the audit alert rule (BG.1010) reports every change to
 * the accounts. Phone, Authenticator, email and the other methods are never part of the design and fail the check.
 */
public final class AccountIntegrity {

    /** A password set at creation is stamped within seconds of it; more than this means it was changed later. */
    static final Duration PASSWORD_SET_AT_CREATION = Duration.ofMinutes(1);
    /** The authentication-method type of a password (https://learn.microsoft.com/graph/api/resources/passwordauthenticationmethod). */
    static final String PASSWORD_METHOD = "#microsoft.graph.passwordAuthenticationMethod";
    /** https://learn.microsoft.com/graph/api/resources/authenticationmethods-overview lists the types. */
    static final Set<String> EXPECTED_METHODS = Set.of(PASSWORD_METHOD, "#microsoft.graph.fido2AuthenticationMethod",
            "#microsoft.graph.x509CertificateAuthenticationMethod",
            "#microsoft.graph.temporaryAccessPassAuthenticationMethod");

    private final Reader reader;

    public AccountIntegrity(Reader reader) {
        this.reader = reader;
    }

    /**
     * What is wrong with the user, or empty when it may become Global Administrator.
     *
     * @param passwordSetOn when breakglass last set the password (a rotation's version), or null: a password changed
     *                      later than that, or than the user's creation, was changed by someone else
     */
    public Optional<String> violations(String userId, String exclusionGroupName, Instant passwordSetOn) {
        Facts facts = reader.read(userId);
        return check(facts, exclusionGroupName, true, lastSetByBreakglass(facts.created(), passwordSetOn));
    }

    /**
     * E4, for a user that already is Global Administrator: someone else's sign-in method or membership. A later
     * password change is not reported here: a deliberate rotation changes it too, and the rotation owns that check.
     */
    public Optional<String> foreignAccess(String userId, String exclusionGroupName) {
        return check(reader.read(userId), exclusionGroupName, false, null);
    }

    private static Optional<String> check(Facts facts, String exclusionGroupName, boolean checkPassword,
            Instant passwordSetOn) {
        List<String> wrong = new ArrayList<>();
        if (checkPassword && (passwordSetOn == null || facts.lastPasswordChange() == null
                || facts.lastPasswordChange().isAfter(passwordSetOn.plus(PASSWORD_SET_AT_CREATION)))) {
            wrong.add("its password was changed after breakglass set it (created " + facts.created()
                    + ", password changed " + facts.lastPasswordChange() + ")");
        }
        List<String> methods = facts.methodTypes().stream().filter(type -> !EXPECTED_METHODS.contains(type)).toList();
        if (!methods.isEmpty()) {
            wrong.add("it has authentication methods breakglass does not expect: " + methods);
        }
        List<String> memberships = facts.memberships().stream()
                .filter(membership -> !membership.isGroupNamed(exclusionGroupName)).map(Membership::describe).toList();
        if (!memberships.isEmpty()) {
            wrong.add("it is a member of " + memberships);
        }
        return wrong.isEmpty() ? Optional.empty() : Optional.of(String.join("; ", wrong));
    }

    /** The later of the user's creation and breakglass's last rotation; null when neither is known. */
    private static Instant lastSetByBreakglass(Instant created, Instant rotatedOn) {
        if (created == null || rotatedOn == null) {
            return created;
        }
        return rotatedOn.isAfter(created) ? rotatedOn : created;
    }

    /** Reads the facts the check needs. */
    public interface Reader {
        Facts read(String userId);
    }

    /**
     * @param methodTypes the {@code @odata.type} of each registered authentication method
     * @param memberships the groups and administrative units the user is a direct member of (directory roles excluded)
     */
    public record Facts(Instant created, Instant lastPasswordChange, List<String> methodTypes,
            List<Membership> memberships) {
        public Facts {
            methodTypes = List.copyOf(methodTypes);
            memberships = List.copyOf(memberships);
        }
    }

    /** @param type {@code @odata.type}, e.g. {@code #microsoft.graph.group} or {@code #microsoft.graph.administrativeUnit} */
    public record Membership(String type, String id, String mailNickname) {
        boolean isGroupNamed(String name) {
            return "#microsoft.graph.group".equals(type) && name != null && name.equalsIgnoreCase(mailNickname);
        }

        String describe() {
            return type.replace("#microsoft.graph.", "") + " " + (mailNickname == null ? id : mailNickname);
        }
    }
}
