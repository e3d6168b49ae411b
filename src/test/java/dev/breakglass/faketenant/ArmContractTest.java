package dev.breakglass.faketenant;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The fake's ARM against api-contracts/arm and the recorded azure-cli traffic: status codes, the lower-cased
 * provider segment in ids, "Global" for action groups, flat action-group errors versus ARM's wrapped envelope,
 * 200-only PUT for aadiam, body validation answering 400, and the query validation behind D12.
 */
class ArmContractTest {

    static final String AG_VERSION = "?api-version=2022-06-01";
    static final String SQR_VERSION = "?api-version=2022-06-15";
    static final String AADIAM_VERSION = "?api-version=2017-04-01";

    FakeTenant tenant;
    Wire wire;
    String group;

    @BeforeEach
    void start() {
        tenant = FakeTenant.start(TenantSeed.minimal());
        wire = new Wire(tenant);
        group = "/subscriptions/" + tenant.subscriptionId() + "/resourceGroups/rg-breakglass/providers/Microsoft.Insights";
    }

    @AfterEach
    void stop() {
        tenant.close();
    }

    @Test
    void anActionGroupIsCreatedWith201UpdatedWith200AndEchoedInTheRecordedShape() {
        String body = "{\"location\":\"global\",\"properties\":{\"groupShortName\":\"breakglass\",\"enabled\":true,"
                + "\"emailReceivers\":[{\"name\":\"email-1\",\"emailAddress\":\"soc@contoso.com\",\"useCommonAlertSchema\":true}],"
                + "\"webhookReceivers\":[{\"name\":\"webhook-1\",\"serviceUri\":\"https://hooks.example.com/x\"}]}}";

        HttpResponse<String> created = wire.arm("PUT", group + "/actionGroups/Break-Glass" + AG_VERSION, body);
        HttpResponse<String> updated = wire.arm("PUT", group + "/actionGroups/break-glass" + AG_VERSION, body);

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(updated.statusCode()).isEqualTo(200);
        JsonNode group = Wire.json(updated);
        assertThat(group.get("id").asText()).isEqualTo("/subscriptions/" + tenant.subscriptionId()
                + "/resourceGroups/rg-breakglass/providers/microsoft.insights/actionGroups/Break-Glass");
        assertThat(group.get("type").asText()).isEqualTo("Microsoft.Insights/ActionGroups");
        assertThat(group.get("location").asText()).isEqualTo("Global");
        assertThat(group.get("kind").isNull()).isTrue();
        assertThat(group.get("identity").isNull()).isTrue();
        assertThat(group.get("properties").fieldNames()).toIterable().containsAll(List.of("emailReceivers",
                "smsReceivers", "webhookReceivers", "eventHubReceivers", "itsmReceivers", "azureAppPushReceivers",
                "automationRunbookReceivers", "voiceReceivers", "logicAppReceivers", "azureFunctionReceivers",
                "armRoleReceivers"));
        assertThat(group.at("/properties/smsReceivers")).isEmpty();
        assertThat(group.at("/properties/emailReceivers/0/status").asText()).isEqualTo("Enabled");
        assertThat(group.at("/properties/webhookReceivers/0/useAadAuth").asBoolean(true)).isFalse();
        assertThat(group.at("/properties/webhookReceivers/0/objectId").isNull()).isTrue();
        assertThat(Wire.json(wire.arm("GET", group.get("id").asText() + AG_VERSION, null))).isEqualTo(group);
        assertThat(tenant.state().actionGroups()).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "short name over 12 characters|{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"breakglass-ops\",\"enabled\":true}}|at most 12",
        "enabled missing|{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\"}}|properties.enabled",
        "email receiver without an address|{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\",\"enabled\":true,\"emailReceivers\":[{\"name\":\"a\"}]}}|emailReceivers[0].emailAddress",
        "receiver names not unique|{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\",\"enabled\":true,\"emailReceivers\":[{\"name\":\"a\",\"emailAddress\":\"a@b.c\"}],\"smsReceivers\":[{\"name\":\"A\",\"countryCode\":\"1\",\"phoneNumber\":\"5551234567\"}]}}|unique",
        "logic app without callback|{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\",\"enabled\":true,\"logicAppReceivers\":[{\"name\":\"la\",\"resourceId\":\"/subscriptions/x\"}]}}|callbackUrl",
    })
    void aMalformedActionGroupIs400WithTheFlatError(String reason, String body, String mentions) {
        HttpResponse<String> response = wire.arm("PUT", group + "/actionGroups/ag" + AG_VERSION, body);

        assertThat(response.statusCode()).isEqualTo(400);
        JsonNode error = Wire.json(response);
        assertThat(error.has("error")).isFalse();
        assertThat(error.get("code").asText()).isEqualTo("BadRequest");
        assertThat(error.get("message").asText()).contains(mentions);
        assertThat(tenant.state().actionGroups()).isEmpty();
    }

    @Test
    void aMissingActionGroupIsAFlat404AndDeleteIs200Then204() {
        HttpResponse<String> missing = wire.arm("GET", group + "/actionGroups/nope" + AG_VERSION, null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(Wire.json(missing).get("code").asText()).isEqualTo("ResourceNotFound");

        wire.arm("PUT", group + "/actionGroups/ag" + AG_VERSION,
                "{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\",\"enabled\":true}}");
        assertThat(wire.arm("DELETE", group + "/actionGroups/ag" + AG_VERSION, null).statusCode()).isEqualTo(200);
        assertThat(wire.arm("DELETE", group + "/actionGroups/ag" + AG_VERSION, null).statusCode()).isEqualTo(204);
    }

    @Test
    void armItselfAnswersInTheWrappedEnvelope() {
        String otherGroup = "/subscriptions/" + tenant.subscriptionId() + "/resourceGroups/rg-nope/providers/Microsoft.Insights";
        String otherSubscription = "/subscriptions/00000000-0000-0000-0000-0000000000ff/resourceGroups/rg-breakglass/providers/Microsoft.Insights";

        assertThat(errorCode(wire.arm("GET", group + "/actionGroups/ag", null))).isEqualTo("400 MissingApiVersionParameter");
        assertThat(errorCode(wire.arm("GET", group + "/actionGroups/ag?api-version=2015-01-01", null)))
                .isEqualTo("400 NoRegisteredProviderFound");
        assertThat(errorCode(wire.arm("GET", otherGroup + "/actionGroups/ag" + AG_VERSION, null))).isEqualTo("404 ResourceGroupNotFound");
        assertThat(errorCode(wire.arm("GET", otherSubscription + "/actionGroups/ag" + AG_VERSION, null)))
                .isEqualTo("404 SubscriptionNotFound");
        assertThat(errorCode(wire.send("GET", tenant.armEndpoint() + group + "/actionGroups/ag" + AG_VERSION, null, null)))
                .isEqualTo("401 AuthenticationFailed");
        assertThat(errorCode(wire.arm("PUT", group + "/actionGroups/ag" + AG_VERSION, "{\"properties\":{}}")))
                .isEqualTo("400 LocationRequired");
    }

    @Test
    void aScheduledQueryRuleIsCreatedWith201AndEchoedWithNumbersAndLowerCaseId() {
        HttpResponse<String> created = wire.arm("PUT", group + "/scheduledQueryRules/sq01" + SQR_VERSION, rule("\"0\"", false));
        HttpResponse<String> updated = wire.arm("PUT", group + "/scheduledQueryRules/sq01" + SQR_VERSION, rule("0", false));

        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(updated.statusCode()).isEqualTo(200);
        JsonNode rule = Wire.json(updated);
        assertThat(rule.get("id").asText()).isEqualTo("/subscriptions/" + tenant.subscriptionId()
                + "/resourceGroups/rg-breakglass/providers/microsoft.insights/scheduledqueryrules/sq01");
        assertThat(rule.get("type").asText()).isEqualTo("Microsoft.Insights/scheduledQueryRules");
        assertThat(rule.at("/properties/severity").isIntegralNumber()).isTrue();
        assertThat(rule.at("/properties/criteria/allOf/0/threshold").isDouble()).isTrue();
        assertThat(rule.at("/properties/createdWithApiVersion").asText()).isEqualTo("2022-06-15");
        assertThat(rule.at("/systemData/createdAt").isTextual()).isTrue();
        assertThat(rule.at("/properties/autoMitigate").asBoolean()).isFalse();
        assertThat(tenant.state().alertRule("sq01")).isPresent();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "severity out of range|\"severity\":0|\"severity\":7|severity",
        "unknown operator|\"operator\":\"GreaterThan\"|\"operator\":\"Above\"|operator",
        "unknown time aggregation|\"timeAggregation\":\"Count\"|\"timeAggregation\":\"Sum\"|timeAggregation",
        "frequency not a duration|\"evaluationFrequency\":\"PT5M\"|\"evaluationFrequency\":\"5 minutes\"|evaluationFrequency",
        "muted with auto-mitigation|\"autoMitigate\":false|\"autoMitigate\":true,\"muteActionsDuration\":\"PT30M\"|Auto mitigation",
        "scope is an unknown workspace|law-breakglass|law-elsewhere|was not found",
        "dimension without values|\"dimensions\":[{\"name\":\"UserId\",\"operator\":\"Include\",\"values\":[\"*\"]}]|\"dimensions\":[{\"name\":\"UserId\",\"operator\":\"Include\"}]|values",
    })
    void aMalformedRuleIs400InTheWrappedEnvelope(String reason, String valid, String broken, String mentions) {
        HttpResponse<String> response = wire.arm("PUT", group + "/scheduledQueryRules/sq01" + SQR_VERSION,
                rule("0", false).replace(valid, broken));

        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(Wire.json(response).at("/error/code").asText()).isEqualTo("BadRequest");
        assertThat(Wire.json(response).at("/error/message").asText()).contains(mentions);
        assertThat(tenant.state().alertRules()).isEmpty();
    }

    @Test
    void aQueryOnATableWithNoDataYetFailsUnlessValidationIsSkipped() {
        tenant.state().workspaceTables(tenant.workspaceId(), List.of("AuditLogs"));

        HttpResponse<String> validated = wire.arm("PUT", group + "/scheduledQueryRules/sq01" + SQR_VERSION, rule("0", false));
        HttpResponse<String> skipped = wire.arm("PUT", group + "/scheduledQueryRules/sq01" + SQR_VERSION, rule("0", true));

        assertThat(validated.statusCode()).isEqualTo(400);
        assertThat(Wire.json(validated).at("/error/message").asText())
                .contains("Failed to resolve table or column expression named 'SigninLogs'");
        assertThat(skipped.statusCode()).isEqualTo(201);
    }

    @Test
    void aDiagnosticSettingPutIsAlways200AndListedWithItsCategories() {
        String path = "/providers/microsoft.aadiam/diagnosticSettings/ours" + AADIAM_VERSION;
        String body = "{\"properties\":{\"workspaceId\":\"" + tenant.workspaceId() + "\",\"logs\":["
                + "{\"category\":\"SignInLogs\",\"enabled\":true},{\"category\":\"AuditLogs\",\"enabled\":true}]}}";

        assertThat(wire.arm("PUT", path, body).statusCode()).isEqualTo(200);
        HttpResponse<String> again = wire.arm("PUT", path, body);

        assertThat(again.statusCode()).isEqualTo(200);
        JsonNode setting = Wire.json(again);
        assertThat(setting.get("id").asText()).isEqualTo("/providers/microsoft.aadiam/diagnosticSettings/ours");
        assertThat(setting.at("/properties/logs/0/retentionPolicy/days").asInt(-1)).isZero();
        JsonNode list = Wire.json(wire.arm("GET", "/providers/microsoft.aadiam/diagnosticSettings" + AADIAM_VERSION, null));
        assertThat(list.get("value")).singleElement().isEqualTo(setting);
        JsonNode categories = Wire.json(wire.arm("GET", "/providers/microsoft.aadiam/diagnosticSettingsCategories" + AADIAM_VERSION, null));
        assertThat(categories.get("value").findValuesAsText("name")).contains("SignInLogs", "NonInteractiveUserSignInLogs", "AuditLogs");
        assertThat(categories.at("/value/0/properties/categoryType").asText()).isEqualTo("Logs");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "log without enabled|{\"properties\":{\"workspaceId\":\"WS\",\"logs\":[{\"category\":\"AuditLogs\"}]}}|400 BadRequest",
        "workspace GUID instead of its id|{\"properties\":{\"workspaceId\":\"4b9e8510-67ab-4e9a-95a9-e2f1e570ea9c\",\"logs\":[]}}|400 LinkedInvalidPropertyId",
        "category the tenant does not offer|{\"properties\":{\"workspaceId\":\"WS\",\"logs\":[{\"category\":\"Bogus\",\"enabled\":true}]}}|400 BadRequest",
        "no destination|{\"properties\":{\"logs\":[{\"category\":\"AuditLogs\",\"enabled\":true}]}}|400 BadRequest",
        "retention without days|{\"properties\":{\"workspaceId\":\"WS\",\"logs\":[{\"category\":\"AuditLogs\",\"enabled\":true,\"retentionPolicy\":{\"enabled\":false}}]}}|400 BadRequest",
    })
    void aMalformedDiagnosticSettingIs400(String reason, String body, String expected) {
        HttpResponse<String> response = wire.arm("PUT", "/providers/microsoft.aadiam/diagnosticSettings/x" + AADIAM_VERSION,
                body.replace("WS", tenant.workspaceId()));

        assertThat(errorCode(response)).isEqualTo(expected);
        assertThat(tenant.state().diagnosticSettings()).isEmpty();
    }

    @Test
    void aMissingDiagnosticSettingIs404AndDeleteIs200Then204() {
        assertThat(errorCode(wire.arm("GET", "/providers/microsoft.aadiam/diagnosticSettings/x" + AADIAM_VERSION, null)))
                .isEqualTo("404 ResourceNotFound");
        ObjectNode properties = Json.object().put("workspaceId", tenant.workspaceId());
        properties.putArray("logs").addObject().put("category", "AuditLogs").put("enabled", true);
        tenant.state().putDiagnosticSetting("x", (ObjectNode) Json.object().set("properties", properties));

        assertThat(wire.arm("DELETE", "/providers/microsoft.aadiam/diagnosticSettings/x" + AADIAM_VERSION, null).statusCode()).isEqualTo(200);
        assertThat(wire.arm("DELETE", "/providers/microsoft.aadiam/diagnosticSettings/x" + AADIAM_VERSION, null).statusCode()).isEqualTo(204);
    }

    @Test
    void throttlingIsA429WithRetryAfterInArmsEnvelopeAndTheJournalTellsReadsFromWrites() {
        tenant.faults().on("PUT", "/subscriptions/.*/actionGroups/.*").throttle("12");
        String path = group + "/actionGroups/ag" + AG_VERSION;
        String body = "{\"location\":\"Global\",\"properties\":{\"groupShortName\":\"bg\",\"enabled\":true}}";

        HttpResponse<String> throttled = wire.arm("PUT", path, body);
        wire.arm("PUT", path, body);
        wire.arm("GET", path, null);

        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).contains("12");
        assertThat(Wire.json(throttled).at("/error/code").asText()).isEqualTo("SubscriptionRequestsThrottled");
        assertThat(tenant.journal().writes()).extracting(Journal.Entry::status).containsExactly(429, 201);
        assertThat(tenant.journal().reads()).extracting(Journal.Entry::status).containsExactly(200);
    }

    @Test
    void aSeededForeignDiagnosticSettingIsListed() {
        ObjectNode seed = TenantSeed.minimal().json();
        ObjectNode setting = seed.putObject("azure").putArray("diagnosticSettings").addObject().put("name", "siem");
        setting.putObject("properties").put("storageAccountId", "/subscriptions/x/resourceGroups/y/providers/"
                + "Microsoft.Storage/storageAccounts/z").putArray("logs").addObject().put("category", "AuditLogs").put("enabled", true);
        try (FakeTenant seeded = FakeTenant.start(TenantSeed.fromJson(new java.io.ByteArrayInputStream(Json.bytes(seed))))) {
            assertThat(seeded.state().diagnosticSetting("siem")).hasValueSatisfying(found ->
                    assertThat(found.at("/properties/logs/0/category").asText()).isEqualTo("AuditLogs"));
        }
    }

    private String rule(String severity, boolean skipQueryValidation) {
        return "{\"location\":\"westeurope\",\"kind\":\"LogAlert\",\"properties\":{\"displayName\":\"Sign-in\",\"severity\":"
                + severity + ",\"enabled\":true,\"scopes\":[\"" + tenant.workspaceId() + "\"],\"evaluationFrequency\":\"PT5M\","
                + "\"windowSize\":\"PT15M\",\"criteria\":{\"allOf\":[{\"query\":\"SigninLogs | where UserId in~ ('x')\","
                + "\"timeAggregation\":\"Count\",\"dimensions\":[{\"name\":\"UserId\",\"operator\":\"Include\",\"values\":[\"*\"]}],"
                + "\"operator\":\"GreaterThan\",\"threshold\":0,\"failingPeriods\":{\"numberOfEvaluationPeriods\":1,"
                + "\"minFailingPeriodsToAlert\":1}}]},\"autoMitigate\":false,\"skipQueryValidation\":" + skipQueryValidation
                + ",\"actions\":{\"actionGroups\":[],\"customProperties\":{}}}}";
    }

    private static String errorCode(HttpResponse<String> response) {
        return response.statusCode() + " " + Wire.json(response).at("/error/code").asText();
    }
}
