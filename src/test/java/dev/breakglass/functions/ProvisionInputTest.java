package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * F5, F8, A12 and K2 at the HTTP edge: a rejected request is a 4xx problem with no stack trace or
 * SDK text, and causes no side effect (the app, and so storage and the tenant, is never touched).
 */
class ProvisionInputTest {

    private static final Supplier<FunctionsApp> UNTOUCHABLE = () -> {
        throw new AssertionError("a rejected request reached the app");
    };
    private final ProvisionFunction function = new ProvisionFunction(UNTOUCHABLE, CallerAuthorization.FUNCTION_KEYS_ONLY);

    @ParameterizedTest(name = "{0} → {2}")
    @CsvSource(delimiter = '|', value = {
        "a caller choosing the principal|{\"principalId\":\"00000000-0000-0000-0000-000000000001\"}|400",
        "a caller choosing the role|{\"role\":\"Global Administrator\"}|400",
        "a caller choosing the workspace|{\"workspaceId\":\"/subscriptions/x\"}|400",
        "a caller excluding policies|{\"excludePolicies\":[\"x\"]}|400",
        "a caller choosing recipients|{\"actionGroupEmails\":[\"evil@example.com\"]}|400",
        "duplicate keys|{\"reason\":\"a\",\"reason\":\"b\"}|400",
        "not an object|[1,2,3]|400",
        "a number for dryRun|{\"dryRun\":1}|400",
        "a control character in the reason|{\"reason\":\"line\\r\\nbreak\"}|400",
        "a right-to-left override in the reason|{\"reason\":\"\u202Eevil\"}|400",
        "trailing garbage|{\"reason\":\"a\"} {}|400",
    })
    void rejectsBodiesThatAskForMoreThanTheyMay(String reason, String body, int status) {
        HttpResponseMessage response = post(body, "application/json");

        assertThat(response.getStatusCode()).isEqualTo(status);
        assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
    }

    @ParameterizedTest(name = "{0} → {1}")
    @CsvSource({"text/plain, 415", "application/xml, 415", "'application/json; charset=utf-8', 202"})
    void acceptsOnlyJson(String contentType, int status) {
        int actual;
        try {
            actual = post("{}", contentType).getStatusCode();
        } catch (AssertionError reachedTheApp) {
            actual = 202;
        }
        assertThat(actual).isEqualTo(status);
    }

    @org.junit.jupiter.api.Test
    void refusesBodiesOverSixteenKilobytesAndDeepNesting() {
        assertThat(post("{\"reason\":\"" + "x".repeat(2_000_000) + "\"}", "application/json").getStatusCode())
                .isEqualTo(413);
        assertThat(post("[".repeat(1000) + "]".repeat(1000), "application/json").getStatusCode()).isEqualTo(400);
    }

    @Property(tries = 2000)
    void anyBodyIsAnsweredWithAProblemNeverAnExceptionOrA5xx(@ForAll("bodies") String body) {
        HttpResponseMessage response;
        try {
            response = post(body, "application/json");
        } catch (AssertionError reachedTheApp) {
            assertThat(body).doesNotContainPattern("\"(?!reason\"|dryRun\")[^\"]*\"\\s*:");
            return;
        }
        assertThat(response.getStatusCode()).isBetween(400, 499);
        assertThat(String.valueOf(response.getBody())).doesNotContain("Exception").doesNotContain("at dev.");
    }

    @Provide
    Arbitrary<String> bodies() {
        Arbitrary<String> noise = Arbitraries.strings().all().ofMaxLength(200);
        Arbitrary<String> keys = Arbitraries.of("reason", "dryRun", "role", "principalId", "", "__proto__", "reason\u0000");
        Arbitrary<String> values = Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(300).map(text ->
                "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\""), Arbitraries.of("true", "false", "null",
                "1e999", "[]", "{}", "-0"));
        Arbitrary<String> objects = net.jqwik.api.Combinators.combine(keys, values).as((key, value) ->
                "{\"" + key + "\":" + value + "}");
        return Arbitraries.oneOf(noise, objects);
    }

    private HttpResponseMessage post(String body, String contentType) {
        FakeHttp.Request request = FakeHttp.request(HttpMethod.POST, "/api/provision").body(body);
        request.header("content-type", contentType);
        return function.provision(request, FunctionsHost.context());
    }
}
