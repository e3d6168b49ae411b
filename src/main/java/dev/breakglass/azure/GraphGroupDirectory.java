package dev.breakglass.azure;

import com.microsoft.graph.models.DirectoryObject;
import com.microsoft.graph.models.Group;
import com.microsoft.graph.models.ReferenceCreate;
import com.microsoft.graph.models.User;
import com.microsoft.graph.models.odataerrors.ODataError;
import com.microsoft.graph.serviceclient.GraphServiceClient;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.steps.group.GroupDirectory;
import java.util.List;

/** {@link GroupDirectory} on Microsoft Graph. */
final class GraphGroupDirectory implements GroupDirectory {

    /**
     * Graph has no specific code for a duplicate member: it answers 400 Request_BadRequest with this
     * message (https://learn.microsoft.com/graph/api/group-post-members#response), so it is matched here, once.
     */
    private static final String ALREADY_A_MEMBER = "added object references already exist";

    private final GraphServiceClient graph;
    private final String graphBaseUrl;

    GraphGroupDirectory(GraphServiceClient graph, String graphBaseUrl) {
        this.graph = graph;
        this.graphBaseUrl = graphBaseUrl;
    }

    @Override
    public List<GroupDirectory.SecurityGroup> findByMailNickname(String mailNickname) {
        try {
            return GraphPages.all(graph.groups().get(request -> {
                request.queryParameters.filter = "mailNickname eq " + GraphPages.literal(mailNickname);
                request.queryParameters.select = new String[] {"id", "displayName", "isAssignableToRole"};
            }), page -> page.getValue(), link -> graph.groups().withUrl(link).get()).stream()
                    .map(GraphGroupDirectory::toGroup).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("finding group " + mailNickname, e);
        }
    }

    @Override
    public GroupDirectory.SecurityGroup createRoleAssignable(String mailNickname, String displayName, String description) {
        Group group = new Group();
        group.setDisplayName(displayName);
        group.setDescription(description);
        group.setMailNickname(mailNickname);
        group.setMailEnabled(false);
        group.setSecurityEnabled(true);
        group.setIsAssignableToRole(true);
        try {
            return toGroup(graph.groups().post(group));
        } catch (RuntimeException e) {
            throw CloudErrors.translate("creating exclusion group " + mailNickname, e);
        }
    }

    private static GroupDirectory.SecurityGroup toGroup(Group group) {
        return new GroupDirectory.SecurityGroup(group.getId(), group.getDisplayName(),
                Boolean.TRUE.equals(group.getIsAssignableToRole()));
    }

    @Override
    public List<Member> listMembers(String groupId) {
        try {
            return GraphPages.all(graph.groups().byGroupId(groupId).members().get(request ->
                    request.queryParameters.select = new String[] {"id", "displayName", "userPrincipalName"}),
                    page -> page.getValue(),
                    link -> graph.groups().byGroupId(groupId).members().withUrl(link).get()).stream()
                    .map(GraphGroupDirectory::toMember).toList();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("listing the members of group " + groupId, e);
        }
    }

    private static Member toMember(DirectoryObject member) {
        String name = member instanceof User user && user.getUserPrincipalName() != null
                ? user.getUserPrincipalName() : String.valueOf(member.getAdditionalData().getOrDefault("displayName",
                        member.getId()));
        return new Member(member.getId(), name);
    }

    @Override
    public void addMember(String groupId, String memberId) {
        ReferenceCreate reference = new ReferenceCreate();
        reference.setOdataId(graphBaseUrl + "/directoryObjects/" + memberId);
        try {
            graph.groups().byGroupId(groupId).members().ref().post(reference);
        } catch (ODataError e) {
            if (e.getResponseStatusCode() == 400 && e.getError() != null && e.getError().getMessage() != null
                    && e.getError().getMessage().contains(ALREADY_A_MEMBER)) {
                throw new CloudException(CloudException.Kind.TERMINAL, 400, "MemberAlreadyExists",
                        "adding " + memberId + " to group " + groupId + ": already a member", null);
            }
            throw CloudErrors.translate("adding " + memberId + " to group " + groupId, e);
        } catch (RuntimeException e) {
            throw CloudErrors.translate("adding " + memberId + " to group " + groupId, e);
        }
    }

    @Override
    public void removeMember(String groupId, String memberId) {
        try {
            graph.groups().byGroupId(groupId).members().byDirectoryObjectId(memberId).ref().delete();
        } catch (RuntimeException e) {
            throw CloudErrors.translate("removing " + memberId + " from group " + groupId, e);
        }
    }
}
