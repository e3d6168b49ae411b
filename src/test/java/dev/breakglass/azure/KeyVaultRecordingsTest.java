package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.Cassette;
import dev.breakglass.faketenant.ReplayServer;
import dev.breakglass.faketenant.ReplayServer.Answer;
import dev.breakglass.steps.password.SecretStore.StoredSecret;
import dev.breakglass.testing.reliability.Covers;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * K5 for {@link KeyVaultSecretStore}: the Key Vault secret traffic azure-cli recorded (the SDK's token-less first
 * request and its 401 challenge, PUT 200 with a new version, GET of the soft-deleted secret), answered to our adapter
 * through azure-security-keyvault-secrets. Every vault request without a token gets the recorded challenge, as the
 * service does.
 */
class KeyVaultRecordingsTest {

    private static final Cassette VAULT = Cassette.load(
            "keyvault_secret_set_delete_softdelete.azure-cli.test_keyvault_secret_soft_delete.trimmed.yaml");
    /** What {@code toStored} reads: name and version come from the id. */
    private static final List<String> SECRET_READS = List.of("/id", "/attributes/enabled", "/attributes/created",
            "/tags");
    private static final String VERSION = "ba8af34979e747d192ade1495cda7654";
    private static final Instant CREATED = Instant.ofEpochSecond(1581614830);
    private static final Map<String, String> TAGS = Map.of("file-encoding", "utf-8");

    private ReplayServer server;
    private KeyVaultSecretStore store;

    @BeforeEach
    void start() {
        server = ReplayServer.start();
        store = new KeyVaultSecretStore(ReplayClients.against(server).secrets());
        Cassette.Interaction challenge = VAULT.nth("PUT", 0);
        assertThat(challenge.status()).isEqualTo(401);
        server.challengeAnonymous(Answer.of(challenge));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "after the recorded 401 challenge, the recorded 200 of PUT /secrets/{name} parses"
            + " into our StoredSecret: name and 32-hex version from the id, enabled, tags, UNIX-seconds creation time")
    void aSetSecretAnswersTheNewVersion(boolean unknownFields) {
        Cassette.Interaction set = VAULT.nth("PUT", 1);
        RecordedFields.assertHas(set.body(), SECRET_READS);
        server.answer("PUT", "/secrets/secret1", answer(set, unknownFields));

        StoredSecret stored = store.create("secret1", "ABC123", "text/plain", TAGS);

        assertThat(stored).isEqualTo(new StoredSecret("secret1", VERSION, true, false, TAGS, CREATED));
        assertThat(server.requests()).extracting(ReplayServer.Request::authorization)
                .as("token-less first request, then the bearer token after the challenge")
                .containsExactly(null, "Bearer replay-token");
        assertThat(set.uri().getQuery()).isEqualTo("api-version=7.0");
        assertThat(server.requests().get(1).rawQuery()).as("our SDK speaks a newer api-version than the recording")
                .isEqualTo("api-version=2025-07-01");
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "a secret with no live versions is found soft-deleted from the recorded GET"
            + " /deletedsecrets/{name} (recoveryId, deletedDate, scheduledPurgeDate unknown to our model)")
    void aSoftDeletedSecretIsFoundFromTheRecordedDeletedBundle(boolean unknownFields) {
        Cassette.Interaction deleted = VAULT.nth("GET", 1);
        RecordedFields.assertHas(deleted.body(), SECRET_READS);
        // Not recorded: listing the versions of a deleted secret answers 404 SecretNotFound in Key Vault's envelope
        // (the envelope of the recorded 401; the code from the Key Vault REST reference).
        server.answer("GET", "/secrets/secret1/versions", Answer.json(404,
                "{\"error\":{\"code\":\"SecretNotFound\",\"message\":\"A secret with (name/id) secret1 was not found in"
                        + " this key vault.\"}}"));
        server.answer("GET", "/deletedsecrets/secret1", answer(deleted, unknownFields));

        StoredSecret found = store.find("secret1").orElseThrow();

        assertThat(found).isEqualTo(new StoredSecret("secret1", VERSION, true, true, TAGS, CREATED));
        assertThat(server.unused()).isEmpty();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "listing versions follows the list's nextLink verbatim to the last page, whose"
            + " nextLink is JSON null as recorded, on pages built from the recorded secret bundle")
    void versionsFollowNextLinkToTheRecordedNullLink(boolean unknownFields) {
        assertThat(RecordedFields.parse(VAULT.nth("GET", 0).body()).get("nextLink").isNull()).isTrue();
        // Derived, not recorded: a versions page holds the recorded bundle without its value (items never carry one).
        var item = (com.fasterxml.jackson.databind.node.ObjectNode) RecordedFields.parse(VAULT.nth("PUT", 1).body());
        item.remove("value");
        String next = server.origin(ReplayClients.VAULT_HOST)
                + "/secrets/secret1/versions?api-version=2025-07-01&$skiptoken=opaque-page-2";
        server.answer("GET", "/secrets/secret1/versions", answer(Answer.json(200, "{\"value\":[" + item
                + "],\"nextLink\":\"" + next + "\"}"), unknownFields));
        server.answer("GET", "/secrets/secret1/versions", answer(Answer.json(200,
                "{\"value\":[],\"nextLink\":null}"), unknownFields));

        List<StoredSecret> versions = store.versions("secret1");

        assertThat(versions).containsExactly(new StoredSecret("secret1", VERSION, true, false, TAGS, CREATED));
        assertThat(server.requests()).last().extracting(ReplayServer.Request::rawQuery)
                .asString().contains("$skiptoken=opaque-page-2");
    }

    private static Answer answer(Cassette.Interaction recorded, boolean unknownFields) {
        return answer(Answer.of(recorded), unknownFields);
    }

    private static Answer answer(Answer answer, boolean unknownFields) {
        return unknownFields ? answer.withUnknownFields() : answer;
    }
}
