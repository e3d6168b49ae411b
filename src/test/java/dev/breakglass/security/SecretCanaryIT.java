package dev.breakglass.security;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakglass.faketenant.TenantSeed;
import dev.breakglass.reconcile.ApplyReport;
import dev.breakglass.reconcile.DriftReport;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Setting;
import dev.breakglass.steps.password.PasswordGenerator;
import dev.breakglass.steps.password.PasswordRotation;
import dev.breakglass.testing.TestTenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * H1, H2 (in part), H4: the generator emits a canary, and the canary — raw, base64, URL- and
 * JSON-escaped — must appear in no sink: console output and SDK logs, the fake's request journal,
 * outcomes and exception messages, drift reports and the CLI's JSON, Key Vault tags, the user object,
 * and a password rotation's result.
 * Failsafe runs this class in its own JVM with {@code AZURE_HTTP_LOG_DETAIL_LEVEL=BODY_AND_HEADERS},
 * {@code AZURE_LOG_LEVEL=verbose} and every SLF4J logger at trace (see pom.xml), so a client whose
 * logging is not pinned would print the password here.
 */
class SecretCanaryIT {

    static final String CANARY = "Zq9!CANARY-" + "x7#Lm2$Pq-".repeat(6).substring(0, 53);

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void captureConsole() {
        originalOut = System.out;
        originalErr = System.err;
        PrintStream capture = new PrintStream(console, true, StandardCharsets.UTF_8);
        System.setOut(new PrintStream(new TeeStream(originalOut, capture), true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(new TeeStream(originalErr, capture), true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreConsole() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void theCanaryReachesTheTenantAndNoOtherSinkThroughRetriesAndLostResponses() throws JsonProcessingException {
        assertThat(System.getenv("AZURE_HTTP_LOG_DETAIL_LEVEL")).as("set by failsafe for this class")
                .isEqualTo("BODY_AND_HEADERS");
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).passwords(new Canary())) {
            tenant.fake().faults().on("PUT", "/secrets/breakglass-bg01").times(1).serverError(500);
            tenant.fake().faults().on("POST", "/v1.0/users").times(1).lostResponse();
            tenant.fake().faults().on("PATCH", "/secrets/breakglass-bg02/.*").times(1).serverError(503);

            ApplyReport apply = tenant.apply();
            DriftReport report = tenant.verify();

            assertThat(apply.succeeded()).as("apply: %s", apply.failure()).isTrue();
            String userId = tenant.fake().state().user("bg01@fabrikam.onmicrosoft.com").orElseThrow().get("id").asText();
            assertThat(tenant.fake().state().passwordOf(userId)).contains(CANARY);
            assertThat(tenant.fake().state().secretVersions("breakglass-bg01")).singleElement()
                    .satisfies(version -> assertThat(version.value()).isEqualTo(CANARY));

            assertNoCanary(sinks(tenant, apply.toString(), report.toString(), renderedJson(apply, report)));
        }
    }

    @Test
    void aRejectedPasswordFailsWithoutTheCanaryInTheMessage() throws JsonProcessingException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).passwords(new Canary())) {
            tenant.fake().faults().on("POST", "/v1.0/users").always().error(400, "Request_BadRequest",
                    "The specified password does not comply with password complexity requirements.");

            ApplyReport apply = tenant.apply();

            assertThat(apply.failure()).get().extracting(ApplyReport.Entry::outcome)
                    .isInstanceOfSatisfying(Outcome.Terminal.class, terminal -> assertThat(terminal.message())
                            .contains("creating emergency user bg01@").contains("password complexity"));
            assertNoCanary(sinks(tenant, apply.toString(), "", renderedJson(apply, tenant.verify())));
        }
    }

    @Test
    void aRotationToTheCanaryThroughALostResponseAndAThrottledVersionUpdateLeavesItInTheTenantOnly()
            throws JsonProcessingException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).withoutMonitoring()) {
            tenant.applyBefore("GlobalAdminAssignment");
            tenant.passwords(new Canary());
            tenant.fake().faults().on("PATCH", "/v1.0/users/.*").times(1).lostResponse();
            tenant.fake().faults().on("PATCH", "/secrets/breakglass-bg01/.*").times(1).serverError(503);

            PasswordRotation.Rotated rotated = tenant.engine().passwordRotation().rotate(new StepContext(tenant.spec(),
                    tenant.spec().account("bg01"), new RunReads()));

            String userId = tenant.fake().state().user("bg01@fabrikam.onmicrosoft.com").orElseThrow().get("id").asText();
            assertThat(tenant.fake().state().passwordOf(userId)).contains(CANARY);
            assertThat(tenant.fake().state().secretVersions("breakglass-bg01")).filteredOn(version -> version.enabled())
                    .singleElement().satisfies(version -> assertThat(version.value()).isEqualTo(CANARY));
            assertNoCanary(sinks(tenant, rotated.toString(), renderedJson(rotated)));
        }
    }

    /** H1 for Temporary Access Passes: the pass Graph answers once reaches the vault and no other sink. */
    @Test
    void aTemporaryAccessPassReachesTheVaultAndNoOtherSink() throws JsonProcessingException {
        try (TestTenant tenant = TestTenant.start(TenantSeed.minimal()).set(Setting.TAP_ENABLED, "true")) {
            tenant.fake().faults().on("PUT", "/secrets/breakglass-bg02-tap").times(1).serverError(503);

            ApplyReport apply = tenant.apply();
            DriftReport report = tenant.verify();

            assertThat(apply.succeeded()).as("apply: %s", apply.failure()).isTrue();
            List<String> passes = new ArrayList<>();
            for (String account : List.of("bg01", "bg02")) {
                String userId = tenant.fake().state().user(account + "@fabrikam.onmicrosoft.com").orElseThrow()
                        .get("id").asText();
                String pass = tenant.fake().state().temporaryAccessPass(userId).orElseThrow().value();
                assertThat(tenant.fake().state().secretVersions("breakglass-" + account + "-tap"))
                        .last().satisfies(version -> assertThat(version.value()).isEqualTo(pass));
                passes.add(pass);
            }
            List<String> sinks = sinks(tenant, apply.toString(), report.toString(), renderedJson(apply, report));
            for (String pass : passes) {
                for (String form : List.of(pass, URLEncoder.encode(pass, StandardCharsets.UTF_8),
                        new ObjectMapper().writeValueAsString(pass))) {
                    assertThat(sinks).noneSatisfy(sink -> assertThat(sink).contains(form));
                }
            }
        }
    }

    private List<String> sinks(TestTenant tenant, String... more) {
        List<String> sinks = new ArrayList<>(List.of(more));
        sinks.add(console.toString(StandardCharsets.UTF_8));
        sinks.add(tenant.fake().journal().entries().toString());
        sinks.add(tenant.fake().state().users().toString());
        sinks.add(tenant.fake().state().groups().toString());
        sinks.add(tenant.fake().state().policies().toString());
        for (String name : List.of("breakglass-bg01", "breakglass-bg02", "breakglass-bg01-tap", "breakglass-bg02-tap")) {
            tenant.fake().state().secretVersions(name).forEach(version -> {
                sinks.add(version.tags().toString());
                sinks.add(String.valueOf(version.contentType()));
            });
        }
        return sinks;
    }

    private static String renderedJson(Object... results) throws JsonProcessingException {
        return new ObjectMapper().findAndRegisterModules().writeValueAsString(results);
    }

    private static void assertNoCanary(List<String> sinks) throws JsonProcessingException {
        List<String> forms = new ArrayList<>(List.of("CANARY", URLEncoder.encode(CANARY, StandardCharsets.UTF_8),
                new ObjectMapper().writeValueAsString(CANARY)));
        for (int offset = 0; offset < 3; offset++) {
            String shifted = "x".repeat(offset) + CANARY;
            String encoded = Base64.getEncoder().encodeToString(shifted.getBytes(StandardCharsets.UTF_8));
            forms.add(encoded.substring(4, 16));
        }
        for (String sink : sinks) {
            for (String form : forms) {
                assertThat(sink).doesNotContain(form);
            }
        }
    }

    /** The test profile's generator: always the canary. */
    static final class Canary extends PasswordGenerator {
        @Override
        public String generate() {
            return CANARY;
        }
    }

    /** Writes to two streams: the real console, and the capture. */
    static final class TeeStream extends java.io.OutputStream {
        private final java.io.OutputStream first;
        private final java.io.OutputStream second;

        TeeStream(java.io.OutputStream first, java.io.OutputStream second) {
            this.first = first;
            this.second = second;
        }

        @Override
        public void write(int b) throws java.io.IOException {
            first.write(b);
            second.write(b);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws java.io.IOException {
            first.write(bytes, offset, length);
            second.write(bytes, offset, length);
        }
    }
}
