package dev.breakglass.steps.passkey;

import java.time.Instant;
import java.util.List;

/** A user's authentication methods and Temporary Access Passes on Microsoft Graph. */
public interface AuthenticationMethods {

    /** {@code GET /users/{id}/authentication/methods} and the user's certificate bindings. */
    Registered registered(String userId);

    /** {@code GET /users/{id}/authentication/temporaryAccessPassMethods}: never carries the pass itself. */
    List<TemporaryAccessPass> temporaryAccessPasses(String userId);

    /**
     * {@code POST /users/{id}/authentication/temporaryAccessPassMethods}, usable once. Graph answers with the pass
     * this one time only, and a POST while a pass is valid replaces (deletes) it.
     */
    IssuedPass issueTemporaryAccessPass(String userId, int lifetimeMinutes);

    /** {@code DELETE /users/{id}/authentication/temporaryAccessPassMethods/{methodId}}; absent counts as deleted. */
    void deleteTemporaryAccessPass(String userId, String methodId);

    /**
     * @param methods            every registered method, the password included
     * @param certificateUserIds the user's {@code authorizationInfo.certificateUserIds}: bindings for certificate-based
     *                           authentication, which is not listed among the methods
     */
    record Registered(List<Method> methods, List<String> certificateUserIds) {

        public Registered {
            methods = List.copyOf(methods);
            certificateUserIds = List.copyOf(certificateUserIds);
        }

        /** Passkeys (FIDO2) and certificate bindings: what opens the admin portals under mandatory MFA. */
        public List<String> phishingResistant() {
            List<String> found = new java.util.ArrayList<>();
            methods.stream().filter(Method::isFido2).forEach(m -> found.add("passkey '" + m.displayName() + "'"));
            if (!certificateUserIds.isEmpty()) {
                found.add(certificateUserIds.size() + " certificate binding" + (certificateUserIds.size() == 1 ? "" : "s"));
            }
            return found;
        }
    }

    /** @param type the OData type without its namespace, e.g. {@code fido2AuthenticationMethod} */
    record Method(String type, String id, String displayName) {

        boolean isFido2() {
            return "fido2AuthenticationMethod".equals(type);
        }
    }

    /** A Temporary Access Pass as Graph lists it; {@code usabilityReason} is Graph's {@code methodUsabilityReason}. */
    record TemporaryAccessPass(String id, boolean usable, String usabilityReason, Instant startsOn, int lifetimeMinutes) {

        public Instant expiresOn() {
            return startsOn.plusSeconds(60L * lifetimeMinutes);
        }
    }

    /** A pass just issued, with its value: held only to write it to Key Vault. */
    record IssuedPass(TemporaryAccessPass method, String value) {

        @Override
        public String toString() {
            return "IssuedPass[method=" + method + ", value=***]";
        }
    }
}
