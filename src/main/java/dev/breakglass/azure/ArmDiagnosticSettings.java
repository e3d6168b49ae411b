package dev.breakglass.azure;

import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpMethod;
import com.azure.core.http.HttpPipeline;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import com.azure.core.management.exception.ManagementError;
import com.azure.core.management.exception.ManagementException;
import com.azure.core.util.Context;
import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.breakglass.steps.diagnostics.DiagnosticSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@link DiagnosticSettings} on the tenant-level {@code microsoft.aadiam} API (2017-04-01), which no SDK models. It
 * goes through the monitor client's azure-core pipeline, so it shares its credential, OkHttp client, disabled
 * logging and disabled retries; errors become {@link ManagementException}s as the SDK's own would.
 */
final class ArmDiagnosticSettings implements DiagnosticSettings {

    private static final String API_VERSION = "?api-version=2017-04-01";
    private static final String PROVIDER = "/providers/microsoft.aadiam/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Supplier<HttpPipeline> pipeline;
    private final String endpoint;

    /** @param endpoint the ARM endpoint, without a trailing slash */
    ArmDiagnosticSettings(Supplier<HttpPipeline> pipeline, String endpoint) {
        this.pipeline = pipeline;
        this.endpoint = endpoint;
    }

    @Override
    public List<DiagnosticSetting> list() {
        String doing = "listing the tenant's Entra diagnostic settings";
        List<DiagnosticSetting> settings = new ArrayList<>();
        for (JsonNode setting : send(HttpMethod.GET, "diagnosticSettings", null, doing).path("value")) {
            List<String> enabled = new ArrayList<>();
            for (JsonNode log : setting.at("/properties/logs")) {
                if (log.path("enabled").asBoolean(false)) {
                    enabled.add(log.path("category").asText());
                }
            }
            JsonNode workspace = setting.at("/properties/workspaceId");
            settings.add(new DiagnosticSetting(setting.path("name").asText(),
                    workspace.isTextual() ? workspace.asText() : null, enabled));
        }
        return settings;
    }

    @Override
    public List<String> logCategories() {
        List<String> categories = new ArrayList<>();
        for (JsonNode category : send(HttpMethod.GET, "diagnosticSettingsCategories", null,
                "listing the tenant's Entra log categories").path("value")) {
            if ("Logs".equals(category.at("/properties/categoryType").asText())) {
                categories.add(category.path("name").asText());
            }
        }
        return categories;
    }

    @Override
    public void put(String name, String workspaceId, List<String> categories) {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode properties = body.putObject("properties");
        properties.put("workspaceId", workspaceId);
        ArrayNode logs = properties.putArray("logs");
        for (String category : categories) {
            ObjectNode log = logs.addObject().put("category", category).put("enabled", true);
            log.putObject("retentionPolicy").put("enabled", false).put("days", 0);
        }
        send(HttpMethod.PUT, "diagnosticSettings/" + name, body, "writing Entra diagnostic setting " + name);
    }

    private JsonNode send(HttpMethod method, String path, JsonNode body, String doing) {
        HttpRequest request = new HttpRequest(method, endpoint + PROVIDER + path + API_VERSION)
                .setHeader(HttpHeaderName.ACCEPT, "application/json");
        if (body != null) {
            request.setHeader(HttpHeaderName.CONTENT_TYPE, "application/json").setBody(body.toString());
        }
        try (HttpResponse response = pipeline.get().sendSync(request, Context.NONE)) {
            byte[] bytes = response.getBodyAsBinaryData() == null ? new byte[0] : response.getBodyAsBinaryData().toBytes();
            if (response.getStatusCode() >= 400) {
                throw new ManagementException("Status code " + response.getStatusCode(), response, error(bytes));
            }
            return bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
        } catch (IOException e) {
            throw CloudErrors.translate(doing, new UncheckedIOException(e));
        } catch (RuntimeException e) {
            throw CloudErrors.translate(doing, e);
        }
    }

    private static ManagementError error(byte[] body) {
        try (JsonReader reader = JsonProviders.createReader(body)) {
            return ManagementError.fromJson(reader);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
