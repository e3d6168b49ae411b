package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.Cassette;
import dev.breakglass.faketenant.ReplayServer;
import dev.breakglass.faketenant.ReplayServer.Answer;
import dev.breakglass.steps.user.UserDirectory.DirectoryUser;
import dev.breakglass.steps.user.UserDirectory.NewUser;
import dev.breakglass.steps.user.UserDirectory.UserChanges;
import dev.breakglass.testing.reliability.Covers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * K5 for {@link GraphUserDirectory}: the Graph v1.0 users traffic azure-cli recorded (create, read by UPN, PATCH,
 * special-character UPNs), answered to our adapter through the Graph SDK. Each test runs on the recorded body and
 * on the same body with an unknown field in every object.
 */
class GraphUserRecordingsTest {

    private static final Cassette CRUD = Cassette.load("graph_users_crud.azure-cli.test_user_scenario.trimmed.yaml");
    private static final Cassette SPECIAL = Cassette.load(
            "graph_users_special_chars_upn.azure-cli.test_special_characters_in_upn.trimmed.yaml");
    /** What {@code create} reads from the 201 body. */
    private static final List<String> CREATE_READS = List.of("/id");
    /** What {@code findByUpn} reads that Graph returns without {@code $select} (the default projection). */
    private static final List<String> READ_DEFAULT_PROJECTION = List.of("/id", "/userPrincipalName", "/displayName");
    /** What {@code findByUpn} reads that only {@code $select} returns: azure-cli did not ask, so the recording lacks it. */
    private static final List<String> READ_SELECT_ONLY = List.of("/accountEnabled", "/passwordPolicies",
            "/onPremisesSyncEnabled", "/onPremisesExtensionAttributes");
    private static final String UPN = "graphusertest000001@AzureSDKTeam.onmicrosoft.com";
    private static final String SPECIAL_UPN = "$azure-cli-test-user#000001@AzureSDKTeam.onmicrosoft.com";

    private ReplayServer server;
    private GraphUserDirectory users;

    @BeforeEach
    void start() {
        server = ReplayServer.start();
        users = new GraphUserDirectory(ReplayClients.against(server).graph());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the recorded 201 of POST /users (default projection only, no accountEnabled)"
            + " parses through the Graph SDK into the new user's id, with and without unknown fields")
    void createReadsTheIdOfTheRecordedCreation(boolean unknownFields) {
        Cassette.Interaction created = CRUD.nth("POST", 0);
        RecordedFields.assertHas(created.body(), CREATE_READS);
        server.answer("POST", "/v1.0/users", answer(created, unknownFields));

        String id = users.create(new NewUser(UPN, "graphusertest", "graphusertest000001", "not-a-real-password",
                "breakglass:replay"));

        assertThat(id).isEqualTo("e0872b63-3a2d-4edc-b1df-9d63302db894");
        assertThat(server.unused()).isEmpty();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the recorded GET /users/{upn} body parses into our DirectoryUser; the fields only"
            + " $select returns (accountEnabled, passwordPolicies, the marker) are absent from it because azure-cli sent"
            + " no $select, and our request names every one of them in $select")
    void findByUpnParsesTheRecordedUserAndSelectsWhatTheDefaultProjectionLacks(boolean unknownFields) {
        Cassette.Interaction read = CRUD.nth("GET", 0);
        RecordedFields.assertHas(read.body(), READ_DEFAULT_PROJECTION);
        RecordedFields.assertLacks(read.body(), READ_SELECT_ONLY);
        assertThat(read.uri().getQuery()).as("recorded request shape").isNull();
        server.answer("GET", "/v1.0/users/" + UPN, answer(read, unknownFields));

        DirectoryUser user = users.findByUpn(UPN).orElseThrow();

        assertThat(user).isEqualTo(new DirectoryUser("e0872b63-3a2d-4edc-b1df-9d63302db894", UPN, "graphusertest000004",
                false, null, null, null));
        String select = URLDecoder.decode(server.requests().get(0).rawQuery(), StandardCharsets.UTF_8);
        assertThat(select).startsWith("$select=").contains("accountEnabled", "passwordPolicies",
                "onPremisesSyncEnabled", "onPremisesExtensionAttributes");
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "a UPN with '$' and '#' (accepted by Graph in the recording) is created from the"
            + " recorded 201 and read back by UPN as ONE percent-encoded path segment (the recording used the"
            + " users('…') key form; '#' is never sent raw, where it would cut the URL)")
    void aUpnWithDollarAndHashIsOnePercentEncodedSegment(boolean unknownFields) {
        // The curator trimmed this cassette's content-type; without one Kiota returns no body at all. The value is the
        // one the CRUD cassette recorded for the same call.
        String contentType = CRUD.nth("POST", 0).headers().get("content-type");
        server.answer("POST", "/v1.0/users", answer(Answer.of(SPECIAL.nth("POST", 0))
                .withHeader("content-type", contentType), unknownFields));
        // Derived, not recorded: the entity is the recorded $filter list's only element, as GET /users/{upn} answers it.
        String listed = RecordedFields.parse(SPECIAL.nth("GET", 0).body()).get("value").get(0).toString();
        server.answer("GET", "/v1.0/users/" + SPECIAL_UPN, answer(new Answer(200, SPECIAL.nth("GET", 0).headers(),
                listed).withHeader("content-type", contentType), unknownFields));

        String id = users.create(new NewUser(SPECIAL_UPN, "azure-cli-test-user", SPECIAL_UPN, "not-a-real-password",
                "breakglass:replay"));
        DirectoryUser user = users.findByUpn(SPECIAL_UPN).orElseThrow();

        assertThat(id).isEqualTo("7dc002a2-b4e7-4392-a200-2ddde1f85e95");
        assertThat(user.id()).isEqualTo(id);
        assertThat(user.userPrincipalName()).isEqualTo(SPECIAL_UPN);
        assertThat(server.requests().get(1).rawPath()).isEqualTo(
                "/v1.0/users/%24azure-cli-test-user%23000001%40AzureSDKTeam.onmicrosoft.com");
        assertThat(SPECIAL.nth("PATCH", 0).uri().getRawPath()).as("recorded form")
                .isEqualTo("/v1.0/users('%24azure-cli-test-user%23000001%40AzureSDKTeam.onmicrosoft.com')");
    }

    @ParameterizedTest(name = "recorded interaction {0}")
    @ValueSource(ints = {0, 1})
    @Covers(value = {"K5"}, proves = "the recorded 204-with-empty-body answers to PATCH /users are accepted by our update"
            + " through the Graph SDK (no body expected, none required)")
    void updateAcceptsTheRecordedEmptyNoContent(int recording) {
        Cassette.Interaction patched = recording == 0 ? CRUD.nth("PATCH", 0) : SPECIAL.nth("PATCH", 0);
        assertThat(patched.status()).isEqualTo(204);
        assertThat(patched.body()).isEmpty();
        server.answer("PATCH", "/v1.0/users/e0872b63-3a2d-4edc-b1df-9d63302db894", Answer.of(patched));

        users.update("e0872b63-3a2d-4edc-b1df-9d63302db894", new UserChanges("graphusertest000004", null));

        assertThat(server.unused()).isEmpty();
        assertThat(server.requests().get(0).body()).contains("\"displayName\":\"graphusertest000004\"");
    }

    private static Answer answer(Cassette.Interaction recorded, boolean unknownFields) {
        return answer(Answer.of(recorded), unknownFields);
    }

    private static Answer answer(Answer answer, boolean unknownFields) {
        return unknownFields ? answer.withUnknownFields() : answer;
    }
}
