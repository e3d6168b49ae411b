package dev.breakglass.azure;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.aad.msal4j.ManagedIdentityEnvironment;
import dev.breakglass.faketenant.ManagedIdentityEndpoint;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepEvents;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.TestTenant;
import dev.breakglass.testing.reliability.Covers;
import dev.breakglass.testing.reliability.Ledger;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import org.junit.jupiter.api.Test;

/** C8: the managed identity endpoint fails, then hangs, then answers; through azure-identity, MSAL and the fake. */
class ManagedIdentityTokenIT {

    @Test
    @Covers(value = "C8", proves = "The App Service managed identity endpoint answers 500 four times (more than "
            + "MSAL's own three retries), then hangs past the credential's 5 s timeout, then answers: through "
            + "azure-identity's ManagedIdentityCredential the step still ends Done, Graph accepts the token, and neither "
            + "the token nor the identity header appears in anything logged (JUL at ALL, and the SLF4J console)")
    void aTokenEndpointThatFailsThenHangsOnlyDelaysTheStep() {
        StringBuilder logged = new StringBuilder();
        Handler capture = capture(logged);
        Logger root = Logger.getLogger("");
        Level level = root.getLevel();
        PrintStream console = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal())) {
            ManagedIdentityEndpoint identity = tenant.fake().managedIdentity()
                    .thenServerError().thenServerError().thenServerError().thenServerError()
                    .thenHang(AzureClients.TOKEN_TIMEOUT.plusSeconds(2));
            tenant.set(Setting.CREDENTIAL, "managed-identity").set(Setting.STATIC_TOKEN, "");
            ManagedIdentityEnvironment.use(Map.of("IDENTITY_ENDPOINT", identity.endpoint(),
                    "IDENTITY_HEADER", identity.header()));
            root.addHandler(capture);
            root.setLevel(Level.ALL);
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            Ledger.faultsInjected(5);

            List<String> retries = new CopyOnWriteArrayList<>();
            Outcome outcome = tenant.engine().workflow().runner().withEvents(new StepEvents() {
                @Override
                public void retrying(String step, String target, Duration delay, String reason) {
                    retries.add(reason);
                }
            }).run(tenant.engine().workflow().step("TenantInfo").orElseThrow(),
                    tenant.engine().workflow().context(tenant.spec(), new StepKey("TenantInfo", null), new RunReads()));

            System.setErr(console);
            assertThat(outcome).as(outcome.toString()).isInstanceOf(Outcome.Done.class);
            assertThat(identity.requests()).as("500, then the hung request, then a token")
                    .containsExactly("500", "500", "500", "500", "hang", "200");
            assertThat(tenant.fake().journal().entries()).as("Graph accepted the managed identity's token")
                    .anySatisfy(entry -> assertThat(entry.status()).isEqualTo(200))
                    .noneSatisfy(entry -> assertThat(entry.status()).isEqualTo(401));
            String everything = logged + err.toString(StandardCharsets.UTF_8) + retries;
            System.out.println("C8 retries: " + retries);
            assertThat(everything).doesNotContain(tenant.fake().accessToken()).doesNotContain(identity.header());
        } finally {
            System.setErr(console);
            root.removeHandler(capture);
            root.setLevel(level);
            ManagedIdentityEnvironment.reset();
        }
    }

    private static Handler capture(StringBuilder logged) {
        SimpleFormatter format = new SimpleFormatter();
        return new Handler() {
            @Override
            public synchronized void publish(LogRecord record) {
                logged.append(format.format(record)).append('\n');
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
    }
}
