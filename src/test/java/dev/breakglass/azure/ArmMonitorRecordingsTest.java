package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.faketenant.Cassette;
import dev.breakglass.faketenant.ReplayServer;
import dev.breakglass.faketenant.ReplayServer.Answer;
import dev.breakglass.steps.actiongroup.ActionGroups.Group;
import dev.breakglass.steps.actiongroup.ActionGroups.Kind;
import dev.breakglass.steps.actiongroup.ActionGroups.Receiver;
import dev.breakglass.steps.alertrule.AlertRules.Rule;
import dev.breakglass.testing.reliability.Covers;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * K5 for {@link ArmActionGroups} and {@link ArmAlertRules}: the action group and scheduled query rule traffic azure-cli
 * recorded (PUT create 201, PUT update 200), answered to our adapters through azure-resourcemanager-monitor. No GET of
 * one resource was recorded; a GET answers the same resource representation the PUT echoes (the spec gives both the
 * one schema), so the read tests serve the recorded PUT response.
 */
class ArmMonitorRecordingsTest {

    private static final Cassette GROUPS = Cassette.load(
            "arm_actionGroups_2022-06-01.azure-cli.test_monitor_action_group_basic_scenario.trimmed.yaml");
    private static final Cassette RULES = Cassette.load(
            "arm_scheduledQueryRules_2021-08-01.azure-cli-extensions.test_scheduled_query_update_action_group.trimmed.yaml");
    private static final String SUBSCRIPTION = "/subscriptions/" + ReplayClients.SUBSCRIPTION;
    private static final String GROUP_RG = "cli_test_monitor_ag_basic000001";
    private static final String GROUP_PATH = SUBSCRIPTION + "/resourceGroups/" + GROUP_RG
            + "/providers/Microsoft.Insights/actionGroups/cliactiongrouptest000002";
    private static final String RULE_RG = "cli_test_scheduled_query_update000001";
    private static final String RULE_PATH = SUBSCRIPTION + "/resourceGroups/" + RULE_RG
            + "/providers/Microsoft.Insights/scheduledQueryRules/sq02";
    /** What {@code ArmActionGroups.toGroup} reads (SMS receivers' countryCode/phoneNumber: the recording has none). */
    private static final List<String> GROUP_READS = List.of("/properties/groupShortName", "/properties/enabled",
            "/properties/emailReceivers/0/name", "/properties/emailReceivers/0/emailAddress",
            "/properties/emailReceivers/0/useCommonAlertSchema", "/properties/webhookReceivers/0/name",
            "/properties/webhookReceivers/0/serviceUri", "/properties/webhookReceivers/0/useCommonAlertSchema",
            "/properties/logicAppReceivers/0/name", "/properties/logicAppReceivers/0/resourceId",
            "/properties/logicAppReceivers/0/callbackUrl", "/properties/logicAppReceivers/0/useCommonAlertSchema",
            "/properties/smsReceivers", "/properties/voiceReceivers", "/properties/itsmReceivers",
            "/properties/azureAppPushReceivers/0/name", "/properties/automationRunbookReceivers/0/name",
            "/properties/azureFunctionReceivers/0/name", "/properties/armRoleReceivers/0/name",
            "/properties/eventHubReceivers/0/name");
    /** What {@code ArmAlertRules.toRule} reads; {@code displayName} is optional and azure-cli set none. */
    private static final List<String> RULE_READS = List.of("/location", "/properties/description",
            "/properties/severity", "/properties/enabled", "/properties/scopes/0", "/properties/evaluationFrequency",
            "/properties/windowSize", "/properties/criteria/allOf/0/query", "/properties/criteria/allOf/0/dimensions",
            "/properties/criteria/allOf/0/timeAggregation", "/properties/criteria/allOf/0/operator",
            "/properties/criteria/allOf/0/threshold", "/properties/autoMitigate", "/properties/actions/actionGroups/0",
            "/properties/skipQueryValidation");

    private ReplayServer server;
    private AzureClients clients;

    @BeforeEach
    void start() {
        server = ReplayServer.start();
        clients = ReplayClients.against(server);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the recorded action group with every receiver type (flat ARM body, lower-cased"
            + " provider in its id, null kind/identity) parses into our Group: short name, enabled flag, email, webhook"
            + " and logic app receivers with their targets, every other receiver kept by name as OTHER")
    void anActionGroupWithEveryReceiverTypeParsesIntoOurGroup(boolean unknownFields) {
        Cassette.Interaction full = GROUPS.nth("PUT", 2);
        RecordedFields.assertHas(full.body(), GROUP_READS);
        server.answer("GET", GROUP_PATH, answer(new Answer(200, full.headers(), full.body()), unknownFields));

        Group group = new ArmActionGroups(() -> clients.monitor().serviceClient().getActionGroups())
                .get(GROUP_RG, "cliactiongrouptest000002").orElseThrow();

        assertThat(group.shortName()).isEqualTo("new_name");
        assertThat(group.enabled()).isTrue();
        assertThat(group.receivers()).containsExactly(
                new Receiver(Kind.EMAIL, "alice", "alice@example.com", null, true),
                new Receiver(Kind.WEBHOOK, "alice_web", "https://www.example.com/alert?name=alice", null, true),
                new Receiver(Kind.LOGIC_APP, "alice_logicapp", SUBSCRIPTION
                        + "/resourceGroups/LogicApp/providers/Microsoft.Logic/workflows/testLogicApp", "http://callback",
                        false),
                new Receiver(Kind.OTHER, "alice_apppush", null, null, false),
                new Receiver(Kind.OTHER, SUBSCRIPTION
                        + "/resourceGroups/runbookTest/providers/Microsoft.Automation/automationAccounts/runbooktest",
                        null, null, false),
                new Receiver(Kind.OTHER, "azfunc", null, null, false),
                new Receiver(Kind.OTHER, "alicearmrole", null, null, false),
                new Receiver(Kind.OTHER, "alice_eventhub", null, null, false));
        assertThat(GROUPS.nth("PUT", 0).uri().getQuery()).isEqualTo("api-version=2022-06-01");
        assertThat(server.requests().get(0).rawQuery()).as("the SDK's api-version is the recorded one")
                .isEqualTo("api-version=2022-06-01");
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "our action group PUT accepts the recorded 201 (create) and 200 (update) answers,"
            + " and sends the complete resource (location Global, every receiver array) as the recorded update did")
    void anActionGroupPutAcceptsTheRecordedCreateAndUpdate(boolean unknownFields) {
        server.answer("PUT", GROUP_PATH, answer(GROUPS.nth("PUT", 0), unknownFields))
                .answer("PUT", GROUP_PATH, answer(GROUPS.nth("PUT", 1), unknownFields));
        ArmActionGroups groups = new ArmActionGroups(() -> clients.monitor().serviceClient().getActionGroups());
        Group group = new Group("new_name", true, List.of(new Receiver(Kind.EMAIL, "soc", "soc@example.com", null, true)));

        groups.put(GROUP_RG, "cliactiongrouptest000002", group);
        groups.put(GROUP_RG, "cliactiongrouptest000002", group);

        assertThat(server.unused()).isEmpty();
        assertThat(server.requests()).allSatisfy(request -> assertThat(request.body()).contains("\"location\":\"Global\"",
                "\"smsReceivers\":[]", "\"voiceReceivers\":[]", "\"armRoleReceivers\":[]", "\"eventHubReceivers\":[]"));
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the recorded scheduled query rule (severity a JSON number, threshold a double,"
            + " systemData and createdWithApiVersion unknown to us) parses into our Rule, field by field")
    void aScheduledQueryRuleParsesIntoOurRule(boolean unknownFields) {
        Cassette.Interaction created = RULES.nth("PUT", 0);
        RecordedFields.assertHas(created.body(), RULE_READS);
        server.answer("GET", RULE_PATH, answer(new Answer(200, created.headers(), created.body()), unknownFields));

        Rule rule = new ArmAlertRules(() -> clients.monitor().serviceClient().getScheduledQueryRules())
                .get(RULE_RG, "sq02").orElseThrow();

        assertThat(rule).isEqualTo(new Rule("eastus", null, "Test rule", 2, true,
                List.of(SUBSCRIPTION + "/resourceGroups/" + RULE_RG), Duration.ofMinutes(5), Duration.ofMinutes(5),
                "union Event, Syslog | where TimeGenerated > ago(1h)", "", "Count", "GreaterThan", 360.0, true,
                List.of(SUBSCRIPTION + "/resourceGroups/" + RULE_RG
                        + "/providers/microsoft.insights/actionGroups/clitest000003"), false));
        assertThat(RULES.nth("PUT", 0).uri().getQuery()).isEqualTo("api-version=2021-08-01");
        assertThat(server.requests().get(0).rawQuery()).as("our SDK uses a newer api-version than the recording")
                .isEqualTo("api-version=2022-06-15");
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "our scheduled query rule PUT accepts the recorded 201 (create) and 200 (update)"
            + " answers through the SDK")
    void aScheduledQueryRulePutAcceptsTheRecordedCreateAndUpdate(boolean unknownFields) {
        server.answer("PUT", RULE_PATH, answer(RULES.nth("PUT", 0), unknownFields))
                .answer("PUT", RULE_PATH, answer(RULES.nth("PUT", 1), unknownFields));
        ArmAlertRules rules = new ArmAlertRules(() -> clients.monitor().serviceClient().getScheduledQueryRules());
        Rule rule = new Rule("eastus", "Sign-in", "Test rule", 2, true, List.of(SUBSCRIPTION + "/resourceGroups/"
                + RULE_RG), Duration.ofMinutes(5), Duration.ofMinutes(5), "SigninLogs", "UserPrincipalName", "Count",
                "GreaterThan", 0, true, List.of(), false);

        rules.put(RULE_RG, "sq02", rule);
        rules.put(RULE_RG, "sq02", rule);

        assertThat(server.unused()).isEmpty();
        assertThat(server.requests()).hasSize(2);
    }

    @ParameterizedTest(name = "unknown fields added: {0}")
    @ValueSource(booleans = {false, true})
    @Covers(value = {"K5"}, proves = "the action group RP's recorded FLAT error envelope ({code, message}, no \"error\""
            + " wrapper) reaches our classification with its code: a 409 is terminal ReceiverAlreadyEnabled, a 404 reads"
            + " as an absent action group")
    void theRecordedFlatErrorEnvelopeKeepsItsCode(boolean unknownFields) {
        Cassette.Interaction conflict = GROUPS.nth("POST", 1);
        Cassette.Interaction notFound = GROUPS.nth("POST", 0);
        RecordedFields.assertHas(conflict.body(), List.of("/code", "/message"));
        RecordedFields.assertLacks(conflict.body(), List.of("/error"));
        // Recorded on POST .../subscribe; the RP answers every operation in this envelope, so it is served to ours.
        server.answer("PUT", GROUP_PATH, answer(conflict, unknownFields))
                .answer("GET", GROUP_PATH, answer(notFound, unknownFields));
        ArmActionGroups groups = new ArmActionGroups(() -> clients.monitor().serviceClient().getActionGroups());

        var refused = org.assertj.core.api.Assertions.catchThrowableOfType(
                () -> groups.put(GROUP_RG, "cliactiongrouptest000002", new Group("x", true, List.of())),
                dev.breakglass.reconcile.CloudException.class);

        assertThat(refused.status()).isEqualTo(409);
        assertThat(refused.code()).isEqualTo("ReceiverAlreadyEnabled");
        assertThat(refused.kind()).isEqualTo(dev.breakglass.reconcile.CloudException.Kind.TERMINAL);
        assertThat(groups.get(GROUP_RG, "cliactiongrouptest000002")).isEmpty();
    }

    private static Answer answer(Cassette.Interaction recorded, boolean unknownFields) {
        return answer(Answer.of(recorded), unknownFields);
    }

    private static Answer answer(Answer answer, boolean unknownFields) {
        return unknownFields ? answer.withUnknownFields() : answer;
    }
}
