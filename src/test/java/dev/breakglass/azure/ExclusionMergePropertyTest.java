package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.microsoft.kiota.serialization.JsonSerializationWriter;
import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.steps.ca.PolicyUsers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * For 10 000 random policies: the exclusion step's PATCH body (the real SDK model, serialised by the
 * SDK's JSON writer), applied with Graph's PATCH semantics (objects merge, named arrays replace),
 * keeps every exclusion that existed before, adds the group exactly once, and changes nothing outside
 * {@code conditions.users.excludeGroups}.
 */
class ExclusionMergePropertyTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> SPECIAL_USERS = List.of("All", "None", "GuestsOrExternalUsers");
    private static FakeTenant tenant;

    @BeforeContainer
    static void start() {
        tenant = FakeTenant.start(TenantSeed.minimal());
    }

    @AfterContainer
    static void stop() {
        tenant.close();
    }

    @Property(tries = 10_000)
    void keepsEveryExclusionAndChangesNothingElse(@ForAll("policies") ObjectNode policy, @ForAll boolean alreadyExcluded)
            throws IOException {
        String groupId = UUID.randomUUID().toString();
        if (alreadyExcluded) {
            ((ArrayNode) policy.at("/conditions/users/excludeGroups")).add(groupId);
        }
        String id = tenant.state().addPolicy(policy);
        ObjectNode before = tenant.state().policy(id).orElseThrow();

        tenant.state().patchPolicy(id, wireBody(usersOf(before).withExcludedGroup(groupId)));
        ObjectNode after = tenant.state().policy(id).orElseThrow();

        JsonNode usersBefore = before.at("/conditions/users");
        JsonNode usersAfter = after.at("/conditions/users");
        for (String array : List.of("includeUsers", "excludeUsers", "includeGroups", "includeRoles", "excludeRoles")) {
            assertThat(usersAfter.get(array)).as(array).isEqualTo(usersBefore.get(array));
        }
        List<String> expectedGroups = texts(usersBefore.get("excludeGroups"));
        if (!alreadyExcluded) {
            expectedGroups.add(groupId);
        }
        assertThat(texts(usersAfter.get("excludeGroups"))).containsExactlyElementsOf(expectedGroups)
                .containsOnlyOnce(groupId);
        assertThat(withoutExcludedGroups(after)).isEqualTo(withoutExcludedGroups(before));
    }

    /** Exactly what the adapter sends: the SDK model serialised by the SDK's JSON writer. */
    private static ObjectNode wireBody(PolicyUsers users) throws IOException {
        JsonSerializationWriter writer = new JsonSerializationWriter();
        writer.writeObjectValue(null, GraphConditionalAccess.usersPatch(users));
        return (ObjectNode) JSON.readTree(writer.getSerializedContent());
    }

    private static PolicyUsers usersOf(ObjectNode policy) {
        JsonNode users = policy.at("/conditions/users");
        return new PolicyUsers(texts(users.get("includeUsers")), texts(users.get("excludeUsers")),
                texts(users.get("includeGroups")), texts(users.get("excludeGroups")),
                texts(users.get("includeRoles")), texts(users.get("excludeRoles")));
    }

    private static ObjectNode withoutExcludedGroups(ObjectNode policy) {
        ObjectNode copy = policy.deepCopy();
        copy.remove("modifiedDateTime");
        ((ObjectNode) copy.at("/conditions/users")).remove("excludeGroups");
        return copy;
    }

    private static List<String> texts(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }

    @Provide
    Arbitrary<ObjectNode> policies() {
        Arbitrary<List<String>> ids = Arbitraries.create(() -> UUID.randomUUID().toString()).list().ofMaxSize(4);
        Arbitrary<List<String>> users = Arbitraries.oneOf(ids, Arbitraries.of(SPECIAL_USERS).list().ofMaxSize(1));
        Arbitrary<String> state = Arbitraries.of("enabled", "disabled", "enabledForReportingButNotEnforced");
        Arbitrary<List<String>> controls = Arbitraries.of("block", "mfa", "compliantDevice", "domainJoinedDevice",
                "approvedApplication", "compliantApplication", "passwordChange").list().uniqueElements().ofMaxSize(3);
        Arbitrary<List<String>> locations = Arbitraries.oneOf(ids, Arbitraries.just(List.of("All")),
                Arbitraries.just(List.of("AllTrusted")));
        return Combinators.combine(List.of(users, users, ids, ids, ids, ids, controls, locations,
                Arbitraries.of("AND", "OR").map(List::of), state.map(List::of),
                Arbitraries.strings().ofMaxLength(40).map(List::of), Arbitraries.of("all", "browser", "other")
                        .list().uniqueElements().ofMinSize(1).ofMaxSize(2)))
                .as(parts -> policy(parts));
    }

    private static ObjectNode policy(List<List<String>> parts) {
        ObjectNode policy = JsonNodeFactory.instance.objectNode();
        policy.put("displayName", "Random " + parts.get(10).get(0));
        policy.put("state", parts.get(9).get(0));
        ObjectNode conditions = policy.putObject("conditions");
        ObjectNode users = conditions.putObject("users");
        String[] arrays = {"includeUsers", "excludeUsers", "includeGroups", "excludeGroups", "includeRoles", "excludeRoles"};
        for (int i = 0; i < arrays.length; i++) {
            parts.get(i).forEach(users.putArray(arrays[i])::add);
        }
        conditions.putObject("applications").putArray("includeApplications").add("All");
        parts.get(11).forEach(conditions.putArray("clientAppTypes")::add);
        ObjectNode locations = conditions.putObject("locations");
        parts.get(7).forEach(locations.putArray("includeLocations")::add);
        if (parts.get(6).isEmpty()) {
            policy.putObject("sessionControls").putObject("signInFrequency").put("value", 4).put("type", "hours")
                    .put("isEnabled", true);
        } else {
            ObjectNode grant = policy.putObject("grantControls");
            grant.put("operator", parts.get(8).get(0));
            parts.get(6).forEach(grant.putArray("builtInControls")::add);
        }
        return policy;
    }
}
