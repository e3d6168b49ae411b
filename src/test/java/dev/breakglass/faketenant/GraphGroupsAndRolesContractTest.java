package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GraphGroupsAndRolesContractTest {
    static final String GLOBAL_ADMIN = "62e90394-69f5-4237-9190-012177145e10";
    static final String ALEX = "c0ffee00-0000-4000-8000-000000000001";

    FakeTenant tenant;
    Wire wire;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.demo());
        wire = new Wire(tenant);
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    String createUser(String alias) {
        return Wire.json(wire.graph("POST", "/users", Wire.userBody(alias + "@contoso.onmicrosoft.com"))).get("id").asText();
    }

    String createGroup() {
        HttpResponse<String> response = wire.graph("POST", "/groups", "{\"displayName\":\"Emergency access accounts\",\"mailNickname\":\"breakglass\","
                + "\"mailEnabled\":false,\"securityEnabled\":true,\"isAssignableToRole\":true}");
        assertThat(response.statusCode()).isEqualTo(201);
        return Wire.json(response).get("id").asText();
    }

    static String ref(String id) {
        return "{\"@odata.id\":\"https://graph.microsoft.com/v1.0/directoryObjects/" + id + "\"}";
    }

    static String pimRequest(String principalId, String expiration) {
        return "{\"action\":\"adminAssign\",\"justification\":\"break-glass\",\"roleDefinitionId\":\"" + GLOBAL_ADMIN + "\","
                + "\"directoryScopeId\":\"/\",\"principalId\":\"" + principalId + "\",\"scheduleInfo\":{\"startDateTime\":\"2022-04-10T00:00:00Z\","
                + "\"expiration\":{\"type\":\"" + expiration + "\"}}}";
    }

    @Test
    void roleAssignableGroupsMustBeSecurityAndNotMailEnabled() {
        HttpResponse<String> response = wire.graph("POST", "/groups", "{\"displayName\":\"x\",\"mailNickname\":\"x\",\"mailEnabled\":true,"
                + "\"securityEnabled\":true,\"isAssignableToRole\":true}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Wire.json(response).at("/error/code").asText()).isEqualTo("Request_BadRequest");

        String id = createGroup();
        JsonNode found = Wire.json(wire.graph("GET", "/groups?$filter=mailNickname%20eq%20'breakglass'", null));
        assertThat(found.at("/value/0/id").asText()).isEqualTo(id);
        assertThat(found.at("/value/0/isAssignableToRole").asBoolean()).isTrue();
        assertThat(wire.graph("PATCH", "/groups/" + id, "{\"description\":\"d\"}").statusCode()).isEqualTo(204);
        assertThat(tenant.state().group(id).orElseThrow().get("description").asText()).isEqualTo("d");
    }

    @Test
    void membersAreAddedByRefListedAndRemoved() {
        String group = createGroup();
        String user = createUser("bg01");

        HttpResponse<String> add = wire.graph("POST", "/groups/" + group + "/members/$ref", ref(user));
        assertThat(add.statusCode()).isEqualTo(204);
        assertThat(add.body()).isEmpty();
        HttpResponse<String> again = wire.graph("POST", "/groups/" + group + "/members/$ref", ref(user));
        assertThat(again.statusCode()).isEqualTo(400);
        assertThat(Wire.json(again).at("/error/message").asText())
                .isEqualTo("One or more added object references already exist for the following modified properties: 'members'.");
        assertThat(wire.graph("POST", "/groups/" + group + "/members/$ref", ref("00000000-0000-0000-0000-000000000000")).statusCode())
                .isEqualTo(404);

        JsonNode members = Wire.json(wire.graph("GET", "/groups/" + group + "/members?$select=id,userPrincipalName", null));
        assertThat(members.at("/value/0/@odata.type").asText()).isEqualTo("#microsoft.graph.user");
        assertThat(members.at("/value/0/userPrincipalName").asText()).isEqualTo("bg01@contoso.onmicrosoft.com");

        assertThat(wire.graph("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null).statusCode()).isEqualTo(204);
        assertThat(wire.graph("DELETE", "/groups/" + group + "/members/" + user + "/$ref", null).statusCode()).isEqualTo(404);
        assertThat(tenant.state().members(group)).isEmpty();
    }

    @Test
    void replicationLagHidesANewUserFromMembershipAndRoles() {
        tenant.replicationLag(Duration.ofMinutes(2));
        String group = createGroup();
        String user = createUser("bg01");

        assertThat(wire.graph("POST", "/groups/" + group + "/members/$ref", ref(user)).statusCode()).isEqualTo(404);
        HttpResponse<String> pim = wire.graph("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", pimRequest(user, "noExpiration"));
        assertThat(pim.statusCode()).isEqualTo(404);
        assertThat(Wire.json(pim).at("/error/code").asText()).isEqualTo("Request_ResourceNotFound");
        assertThat(wire.graph("GET", "/users/" + user, null).statusCode()).isEqualTo(200);
    }

    @Test
    void pimAdminAssignCreatesAPermanentScheduleAndRefusesDuplicates() {
        String user = createUser("bg01");

        HttpResponse<String> response = wire.graph("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", pimRequest(user, "NoExpiration"));

        assertThat(response.statusCode()).isEqualTo(201);
        JsonNode request = Wire.json(response);
        assertThat(request.get("status").asText()).isEqualTo("Provisioned");
        assertThat(request.at("/scheduleInfo/expiration/type").asText()).isEqualTo("noExpiration");
        assertThat(request.at("/scheduleInfo/startDateTime").asText()).isNotEqualTo("2022-04-10T00:00:00Z");
        assertThat(request.get("targetScheduleId").asText()).isEqualTo(request.get("id").asText());

        JsonNode schedules = Wire.json(wire.graph("GET", "/roleManagement/directory/roleAssignmentSchedules?$filter=principalId%20eq%20'"
                + user + "'%20and%20roleDefinitionId%20eq%20'" + GLOBAL_ADMIN + "'", null));
        assertThat(schedules.get("value")).hasSize(1);
        assertThat(schedules.at("/value/0/assignmentType").asText()).isEqualTo("Assigned");
        assertThat(schedules.at("/value/0/memberType").asText()).isEqualTo("Direct");
        assertThat(schedules.at("/value/0/createdUsing").asText()).isEqualTo(request.get("id").asText());

        HttpResponse<String> duplicate = wire.graph("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", pimRequest(user, "noExpiration"));
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(Wire.json(duplicate).at("/error/code").asText()).isEqualTo("RoleAssignmentExists");
        assertThat(Wire.json(duplicate).at("/error/message").asText()).isEqualTo("The Role assignment already exists.");
    }

    @Test
    void schedulesListDirectAssignmentsWithTheirNonGuidIds() {
        JsonNode schedules = Wire.json(wire.graph("GET", "/roleManagement/directory/roleAssignmentSchedules?$filter=principalId%20eq%20'" + ALEX + "'", null));
        assertThat(schedules.get("value")).hasSize(1);
        assertThat(schedules.at("/value/0/createdUsing").isNull()).isTrue();
        assertThat(schedules.at("/value/0/id").asText()).startsWith("lAPpYvVpN0KRkAEhdxReE").endsWith("-1");
    }

    @Test
    void unlicensedTenantsGetAadPremiumLicenseRequired() {
        tenant.pimLicensed(false);
        HttpResponse<String> request = wire.graph("POST", "/roleManagement/directory/roleAssignmentScheduleRequests", pimRequest(ALEX, "noExpiration"));
        assertThat(request.statusCode()).isEqualTo(400);
        assertThat(Wire.json(request).at("/error/code").asText()).isEqualTo("AadPremiumLicenseRequired");
        assertThat(wire.graph("GET", "/roleManagement/directory/roleAssignmentSchedules", null).statusCode()).isEqualTo(400);
        // The direct path does not need P2.
        assertThat(wire.graph("GET", "/roleManagement/directory/roleAssignments", null).statusCode()).isEqualTo(200);
        try (FakeTenant minimal = FakeTenant.start(TenantSeed.minimal())) {
            HttpResponse<String> schedules = new Wire(minimal).graph("GET", "/roleManagement/directory/roleAssignmentSchedules", null);
            assertThat(Wire.json(schedules).at("/error/code").asText()).isEqualTo("AadPremiumLicenseRequired");
        }
    }

    @Test
    void directAssignmentsConflictAndDeleteRemovesTheSchedule() {
        String user = createUser("bg01");
        String body = "{\"@odata.type\":\"#microsoft.graph.unifiedRoleAssignment\",\"roleDefinitionId\":\"" + GLOBAL_ADMIN
                + "\",\"principalId\":\"" + user + "\",\"directoryScopeId\":\"/\"}";

        HttpResponse<String> created = wire.graph("POST", "/roleManagement/directory/roleAssignments", body);
        assertThat(created.statusCode()).isEqualTo(201);
        String id = Wire.json(created).get("id").asText();
        assertThat(id).matches("[A-Za-z0-9_-]{43}-1");

        HttpResponse<String> duplicate = wire.graph("POST", "/roleManagement/directory/roleAssignments", body);
        assertThat(duplicate.statusCode()).isEqualTo(400);
        assertThat(Wire.json(duplicate).at("/error/code").asText()).isEqualTo("Request_BadRequest");
        assertThat(Wire.json(duplicate).at("/error/message").asText())
                .isEqualTo("A conflicting object with one or more of the specified property values is present in the directory.");

        JsonNode listed = Wire.json(wire.graph("GET", "/roleManagement/directory/roleAssignments?$filter=principalId%20eq%20'" + user + "'", null));
        assertThat(listed.at("/value/0/resourceScope").asText()).isEqualTo("/");

        assertThat(wire.graph("DELETE", "/roleManagement/directory/roleAssignments/" + id, null).statusCode()).isEqualTo(204);
        assertThat(tenant.state().roleSchedules()).noneMatch(s -> s.get("principalId").asText().equals(user));
    }
}
