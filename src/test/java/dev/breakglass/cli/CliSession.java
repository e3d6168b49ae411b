package dev.breakglass.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakglass.testing.TestTenant;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.HashMap;
import java.util.Map;

/**
 * The CLI as a user or pipeline runs it against a fake tenant: TLS trust from the JVM's standard
 * {@code javax.net.ssl.trustStore} (a PKCS12 store holding the fake's certificate, set for the session and
 * restored on close), a {@code --config} file with the tenant's app-setting keys, and stdout, stderr and the
 * exit code of each run.
 */
final class CliSession implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TRUST_STORE = "javax.net.ssl.trustStore";
    private static final String TRUST_STORE_PASSWORD = "javax.net.ssl.trustStorePassword";

    private final TestTenant tenant;
    private final Path directory;
    private final String previousTrustStore;
    private final String previousTrustStorePassword;

    private CliSession(TestTenant tenant, Path directory, Path trustStore) {
        this.tenant = tenant;
        this.directory = directory;
        this.previousTrustStore = System.setProperty(TRUST_STORE, trustStore.toString());
        this.previousTrustStorePassword = System.setProperty(TRUST_STORE_PASSWORD, "changeit");
    }

    /** Makes the JVM trust {@code tenant}'s certificate; files go to {@code directory}. */
    static CliSession trusting(TestTenant tenant, Path directory) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        store.setCertificateEntry("fake-tenant", tenant.fake().certificate());
        Path trustStore = directory.resolve("truststore.p12");
        try (OutputStream out = Files.newOutputStream(trustStore)) {
            store.store(out, "changeit".toCharArray());
        }
        return new CliSession(tenant, directory, trustStore);
    }

    /** A {@code --config} file with the tenant's settings. */
    Path config() throws IOException {
        return config(Map.of());
    }

    /** A {@code --config} file with the tenant's settings, {@code overrides} replacing or adding keys. */
    Path config(Map<String, String> overrides) throws IOException {
        Map<String, String> settings = new HashMap<>(tenant.settings());
        settings.putAll(overrides);
        Path file = directory.resolve("breakglass.json");
        JSON.writeValue(file.toFile(), settings);
        return file;
    }

    /** Runs the CLI in-process as {@code breakglass args...}. */
    Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exitCode = BreakGlassCli.run(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), args);
        return new Run(exitCode, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        restore(TRUST_STORE, previousTrustStore);
        restore(TRUST_STORE_PASSWORD, previousTrustStorePassword);
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, previous);
        }
    }

    record Run(int exitCode, String stdout, String stderr) {
    }
}
