package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.faketenant.Cassette;
import dev.breakglass.faketenant.ReplayServer;
import dev.breakglass.faketenant.ReplayServer.Answer;
import dev.breakglass.steps.group.GroupDirectory.SecurityGroup;
import dev.breakglass.testing.reliability.Covers;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * K5 for Graph collection responses read through {@link GraphGroupDirectory} (and {@link GraphPages}): the recorded
 * answer to a {@code $filter} that matches nothing. It was recorded on {@code /servicePrincipals}; every Graph
 * collection has the one envelope ({@code @odata.context}, {@code value}, optional {@code @odata.nextLink}), so it is
 * served to our group lookup.
 */
class GraphListRecordingsTest {

    private static final Cassette EMPTY = Cassette.load("graph_filter_empty_list.azure-cli.test_sp_show_exit_code.yaml");
    /** What {@link GraphPages#all} reads from a page. */
    private static final List<String> PAGE_READS = List.of("/value");

    private ReplayServer server;
    private GraphGroupDirectory groups;

    @BeforeEach
    void start() {
        server = ReplayServer.start();
        AzureClients clients = ReplayClients.against(server);
        groups = new GraphGroupDirectory(clients.graph(), clients.graphBaseUrl());
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the recorded empty $filter answer ({\"value\":[]} and no nextLink) parses into an"
            + " empty list, not an error, so a missing exclusion group reads as absent")
    void theRecordedEmptyFilterAnswerIsAnEmptyList(boolean unknownFields) {
        Cassette.Interaction empty = EMPTY.nth("GET", 0);
        RecordedFields.assertHas(empty.body(), PAGE_READS);
        server.answer("GET", "/v1.0/groups", answer(Answer.of(empty), unknownFields));

        assertThat(groups.findByMailNickname("non-exist")).isEmpty();
        String query = URLDecoder.decode(server.requests().get(0).rawQuery(), StandardCharsets.UTF_8);
        assertThat(query).contains("$filter=mailNickname eq 'non-exist'");
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "an @odata.nextLink on the recorded envelope is followed verbatim (its opaque"
            + " $skiptoken untouched) until a page without one, and every page's items are kept")
    void aNextLinkIsFollowedVerbatimToTheLastPage(boolean unknownFields) {
        // Derived, not recorded (no cassette pages): the recorded envelope, page 1 with one group and a nextLink.
        ObjectNode first = (ObjectNode) RecordedFields.parse(EMPTY.nth("GET", 0).body());
        first.withArray("value").addObject().put("id", "5a1f2c6e-0000-4000-8000-000000000001")
                .put("displayName", "breakglass-ca-exclusion").put("isAssignableToRole", true);
        String link = server.origin("localhost") + "/v1.0/groups?$filter=mailNickname%20eq%20%27x%27&$skiptoken=RFNwdAIAAQ";
        first.put("@odata.nextLink", link);
        server.answer("GET", "/v1.0/groups", answer(Answer.json(200, first.toString()), unknownFields))
                .answer("GET", "/v1.0/groups", answer(Answer.of(EMPTY.nth("GET", 0)), unknownFields));

        List<SecurityGroup> found = groups.findByMailNickname("x");

        assertThat(found).containsExactly(new SecurityGroup("5a1f2c6e-0000-4000-8000-000000000001",
                "breakglass-ca-exclusion", true));
        assertThat(server.requests()).hasSize(2);
        assertThat(server.requests().get(1).rawQuery()).isEqualTo("$filter=mailNickname%20eq%20%27x%27&$skiptoken=RFNwdAIAAQ");
    }

    private static Answer answer(Answer answer, boolean unknownFields) {
        return unknownFields ? answer.withUnknownFields() : answer;
    }
}
