package dev.breakglass.azure;

import com.microsoft.graph.models.AdministrativeUnit;
import com.microsoft.graph.models.AuthenticationMethod;
import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.User;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.reconcile.SideBySide;
import dev.breakglass.steps.role.AccountIntegrity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * {@link AccountIntegrity.Reader} on Microsoft Graph: the user's timestamps, its authentication methods
 * (https://learn.microsoft.com/graph/api/authentication-list-methods, {@code UserAuthenticationMethod.Read.All})
 * and its direct memberships (https://learn.microsoft.com/graph/api/user-list-memberof), every page.
 */
final class GraphAccountIntegrity implements AccountIntegrity.Reader {

    private final GraphServiceClient graph;

    GraphAccountIntegrity(GraphServiceClient graph) {
        this.graph = graph;
    }

    @Override
    public AccountIntegrity.Facts read(String userId) {
        try {
            var userRead = SideBySide.start(() -> graph.users().byUserId(userId).get(request ->
                    request.queryParameters.select = new String[] {"id", "createdDateTime", "lastPasswordChangeDateTime"}));
            var methods = graph.users().byUserId(userId).authentication().methods();
            var methodsRead = SideBySide.start(() -> GraphPages.all(methods.get(), page -> page.getValue(),
                    link -> methods.withUrl(link).get()).stream().map(AuthenticationMethod::getOdataType).toList());
            var memberOf = graph.users().byUserId(userId).memberOf();
            List<AccountIntegrity.Membership> memberships = GraphPages.all(memberOf.get(), page -> page.getValue(),
                    link -> memberOf.withUrl(link).get()).stream()
                    .filter(member -> member instanceof Group || member instanceof AdministrativeUnit)
                    .map(GraphAccountIntegrity::toMembership).toList();
            User user = SideBySide.get(userRead);
            return new AccountIntegrity.Facts(instant(user.getCreatedDateTime()),
                    instant(user.getLastPasswordChangeDateTime()), SideBySide.get(methodsRead), memberships);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("checking the integrity of user " + userId, e);
        }
    }

    private static AccountIntegrity.Membership toMembership(DirectoryObject member) {
        String mailNickname = member instanceof Group group ? group.getMailNickname() : null;
        return new AccountIntegrity.Membership(member.getOdataType(), member.getId(), mailNickname);
    }

    private static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
