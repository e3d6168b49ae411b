package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The deployable folder {@code mvn package} writes (target/azure-functions): each function's
 * bindings as the host will read them, and B7: no queue function carries a retry policy (retry
 * policies do not apply to queue triggers) and the timer reads its schedule from the app setting.
 */
class FunctionJsonIT {

    private static final Path APP = Path.of("target/azure-functions/breakglass");
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void declaresEachTriggerWithItsRouteQueueAndAuthLevel() throws IOException {
        assertThat(APP.resolve("host.json")).exists();
        assertThat(APP.resolve("lib")).isDirectory();
        assertHttp("provision", "provision", "POST", "FUNCTION");
        // Polled through Location by Logic Apps, which may not re-send a key: App Service Authentication guards it.
        assertHttp("runStatus", "runs/{id}", "GET", "ANONYMOUS");
        assertHttp("cancelRun", "runs/{id}", "DELETE", "FUNCTION");
        assertHttp("status", "status", "GET", "FUNCTION");
        assertHttp("verify", "verify", "POST", "FUNCTION");
        assertHttp("rotatePassword", "accounts/{key}/rotate", "POST", "FUNCTION");
        assertHttp("export", "exports/{format}", "GET", "FUNCTION");
        assertThat(trigger("step").get("queueName").asText()).isEqualTo("breakglass-steps");
        assertThat(trigger("step").get("connection").asText()).isEqualTo("AzureWebJobsStorage");
        assertThat(trigger("stepPoison").get("queueName").asText()).isEqualTo("breakglass-steps-poison");
        assertThat(trigger("verifyOnSchedule").get("type").asText()).isEqualTo("timerTrigger");
        assertThat(trigger("verifyOnSchedule").get("schedule").asText()).isEqualTo("%BREAKGLASS_VERIFY_SCHEDULE%");
    }

    @Test
    void noFunctionRetriesOrRunsOnStartup() throws IOException {
        try (Stream<Path> files = Files.walk(APP)) {
            files.filter(path -> path.getFileName().toString().equals("function.json")).forEach(path -> {
                JsonNode function = read(path);
                assertThat(function.has("retry")).as(path.toString()).isFalse();
                function.get("bindings").forEach(binding ->
                        assertThat(binding.has("runOnStartup")).as(path.toString()).isFalse());
            });
        }
    }

    @Test
    void hostJsonChoosesQueueSettingsOnPurpose() {
        JsonNode queues = read(APP.resolve("host.json")).at("/extensions/queues");
        assertThat(queues.get("maxDequeueCount").asInt()).isEqualTo(FunctionsHost.MAX_DEQUEUE_COUNT);
        assertThat(queues.get("messageEncoding").asText()).isEqualTo("base64");
        assertThat(queues.get("maxPollingInterval").asText()).isEqualTo("00:00:02");
    }

    private static void assertHttp(String function, String route, String method, String authLevel) {
        JsonNode trigger = trigger(function);
        assertThat(trigger.get("type").asText()).isEqualTo("httpTrigger");
        assertThat(trigger.get("route").asText()).isEqualTo(route);
        assertThat(trigger.get("methods")).extracting(JsonNode::asText).containsExactly(method);
        assertThat(trigger.get("authLevel").asText()).as("%s's authLevel", function).isEqualTo(authLevel);
    }

    private static JsonNode trigger(String function) {
        return read(APP.resolve(function).resolve("function.json")).get("bindings").get(0);
    }

    private static JsonNode read(Path path) {
        try {
            return JSON.readTree(path.toFile());
        } catch (IOException e) {
            throw new AssertionError("reading " + path, e);
        }
    }
}
