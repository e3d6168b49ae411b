package dev.breakglass.functions;

import com.azure.storage.queue.models.PeekedMessageItem;
import dev.breakglass.faketenant.TenantState;
import dev.breakglass.spec.Account;
import dev.breakglass.testing.TestTenant;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * H1/G3 in the sinks a Functions run writes to: every password the fake's Key Vault holds, in plain,
 * base64, URL- and JSON-escaped form, counted in the run table, both queues, the host's invocation errors
 * and the security log.
 */
final class SecretSinks {

    private SecretSinks() {
    }

    static long occurrences(TestTenant tenant, CrashingPipeline pipeline) {
        List<String> sinks = new ArrayList<>();
        FunctionsTestApp.runTable().listEntities()
                .forEach(entity -> sinks.add(entity.getProperties().toString()));
        for (var queue : List.of(pipeline.host().stepsQueue(), pipeline.host().poisonQueue())) {
            for (PeekedMessageItem message : queue.peekMessages(32, null, null)) {
                sinks.add(message.getBody().toString());
            }
        }
        sinks.addAll(pipeline.host().failures());
        sinks.addAll(pipeline.securityEvents());
        long count = 0;
        for (Account account : tenant.spec().accounts()) {
            for (TenantState.SecretVersion version : tenant.fake().state().secretVersions(account.secretName())) {
                for (String form : forms(version.value())) {
                    count += sinks.stream().filter(sink -> sink.contains(form)).count();
                }
            }
        }
        return count;
    }

    private static List<String> forms(String secret) {
        return List.of(secret, Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)),
                URLEncoder.encode(secret, StandardCharsets.UTF_8),
                secret.replace("\\", "\\\\").replace("\"", "\\\""));
    }
}
