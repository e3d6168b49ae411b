package dev.breakglass.azure;

import com.microsoft.graph.models.AuthenticationMethod;
import com.microsoft.graph.models.Fido2AuthenticationMethod;
import com.microsoft.graph.models.TemporaryAccessPassAuthenticationMethod;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.reconcile.SideBySide;
import dev.breakglass.steps.passkey.AuthenticationMethods;
import java.time.Instant;
import java.util.List;

/**
 * {@link AuthenticationMethods} on Microsoft Graph
 * (https://learn.microsoft.com/graph/api/authentication-list-methods,
 * https://learn.microsoft.com/graph/api/authentication-post-temporaryaccesspassmethods). Certificate-based
 * authentication is not a listed method: its username bindings are the user's {@code authorizationInfo.certificateUserIds}
 * (https://learn.microsoft.com/entra/identity/authentication/concept-certificate-based-authentication-certificateuserids).
 */
final class GraphAuthenticationMethods implements AuthenticationMethods {

    private final GraphServiceClient graph;

    GraphAuthenticationMethods(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public Registered registered(String userId) {
        try {
            var userRead = SideBySide.start(() -> graph.users().byUserId(userId).get(request ->
                    request.queryParameters.select = new String[] {"id", "authorizationInfo"}));
            var methods = graph.users().byUserId(userId).authentication().methods();
            List<Method> all = GraphPages.all(methods.get(), page -> page.getValue(),
                    link -> methods.withUrl(link).get()).stream().map(GraphAuthenticationMethods::toMethod).toList();
            User user = SideBySide.get(userRead);
            List<String> bindings = user.getAuthorizationInfo() == null || user.getAuthorizationInfo().getCertificateUserIds() == null
                    ? List.of() : user.getAuthorizationInfo().getCertificateUserIds();
            return new Registered(all, bindings);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("reading the authentication methods of user " + userId, e);
        }
    }

    private static Method toMethod(AuthenticationMethod method) {
        String type = method.getOdataType() == null ? "authenticationMethod"
                : method.getOdataType().substring(method.getOdataType().lastIndexOf('.') + 1);
        String name = method instanceof Fido2AuthenticationMethod fido2 ? fido2.getDisplayName() : null;
        return new Method(type, method.getId(), name);
    }

    @Override
    public List<TemporaryAccessPass> temporaryAccessPasses(String userId) {
        try {
            var passes = graph.users().byUserId(userId).authentication().temporaryAccessPassMethods().get();
            return passes == null || passes.getValue() == null ? List.of()
                    : passes.getValue().stream().map(GraphAuthenticationMethods::toPass).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the Temporary Access Passes of user " + userId, e);
        }
    }

    @Override
    public IssuedPass issueTemporaryAccessPass(String userId, int lifetimeMinutes) {
        TemporaryAccessPassAuthenticationMethod body = new TemporaryAccessPassAuthenticationMethod();
        body.setLifetimeInMinutes(lifetimeMinutes);
        body.setIsUsableOnce(true);
        try {
            TemporaryAccessPassAuthenticationMethod created = graph.users().byUserId(userId).authentication()
                    .temporaryAccessPassMethods().post(body);
            return new IssuedPass(toPass(created), created.getTemporaryAccessPass());
        } catch (RuntimeException e) {
            throw CloudErrors.translate("issuing a Temporary Access Pass to user " + userId, e);
        }
    }

    @Override
    public void deleteTemporaryAccessPass(String userId, String methodId) {
        try {
            graph.users().byUserId(userId).authentication().temporaryAccessPassMethods()
                    .byTemporaryAccessPassAuthenticationMethodId(methodId).delete();
        } catch (ODataError e) {
            if (e.getResponseStatusCode() != 404) {
                throw CloudErrors.translate("deleting Temporary Access Pass " + methodId + " of user " + userId, e);
            }
        } catch (RuntimeException e) {
            throw CloudErrors.translate("deleting Temporary Access Pass " + methodId + " of user " + userId, e);
        }
    }

    private static TemporaryAccessPass toPass(TemporaryAccessPassAuthenticationMethod pass) {
        Instant start = pass.getStartDateTime() != null ? pass.getStartDateTime().toInstant()
                : pass.getCreatedDateTime() != null ? pass.getCreatedDateTime().toInstant() : Instant.EPOCH;
        int lifetime = pass.getLifetimeInMinutes() == null ? 0 : pass.getLifetimeInMinutes();
        return new TemporaryAccessPass(pass.getId(), Boolean.TRUE.equals(pass.getIsUsable()),
                pass.getMethodUsabilityReason(), start, lifetime);
    }
}
