package dev.breakglass.azure;

import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.steps.drill.SignInActivity;
import java.time.Instant;
import java.util.Optional;

/** {@link SignInActivity} on Microsoft Graph's {@code user.signInActivity} (https://learn.microsoft.com/graph/api/resources/signinactivity). */
final class GraphSignInActivity implements SignInActivity {

    private final GraphServiceClient graph;

    GraphSignInActivity(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public Optional<Instant> lastSuccessfulSignIn(String userId) {
        try {
            User user = graph.users().byUserId(userId).get(request -> request.queryParameters.select =
                    new String[] {"id", "signInActivity"});
            if (user.getSignInActivity() == null || user.getSignInActivity().getLastSuccessfulSignInDateTime() == null) {
                return Optional.empty();
            }
            return Optional.of(user.getSignInActivity().getLastSuccessfulSignInDateTime().toInstant());
        } catch (RuntimeException e) {
            throw CloudErrors.translate("reading the sign-in activity of user " + userId, e);
        }
    }
}
