package dev.breakglass.bench;

import dev.breakglass.faketenant.FakeTenant;
import dev.breakglass.faketenant.TenantSeed;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Cold start, measured in child JVMs started the way a Functions worker is (a fresh {@code java} on the same
 * classpath): from JVM start to the first unit of work handled, against a floor JVM that only builds the SDK clients.
 * The fake tenant answers without injected latency here, so the figure is the JVM, class loading, client set-up
 * and TLS, not the network.
 */
final class ColdStart {

    private static final Pattern READY = Pattern.compile("ready-ms=(\\d+) heap-bytes=(\\d+)");

    /** One child JVM: {@code readyMs} as it measured itself, {@code processMs} from spawn to exit. */
    record Child(long readyMs, long processMs, long peakHeapBytes) {
    }

    /** The engine's first step and the clients-only floor, each the median of {@code runs} children. */
    record Result(Child engine, Child clientsOnly) {

        double ratio() {
            return (double) engine.readyMs() / clientsOnly.readyMs();
        }
    }

    private ColdStart() {
    }

    static Result measure(String classpath, int runs, java.io.PrintStream progress) {
        try (FakeTenant tenant = FakeTenant.start(TenantSeed.minimal())) {
            tenant.latency(Duration.ZERO);
            Path dir = Files.createTempDirectory("breakglass-bench");
            Path settings = dir.resolve("settings.properties");
            Path certificate = dir.resolve("fake-tenant.der");
            Properties properties = new Properties();
            properties.putAll(SizedRun.settingsFor(tenant));
            try (Writer writer = Files.newBufferedWriter(settings, StandardCharsets.UTF_8)) {
                properties.store(writer, "breakglass bench: the fake tenant's settings");
            }
            Files.write(certificate, tenant.certificate().getEncoded());
            List<Child> engine = new ArrayList<>();
            List<Child> clients = new ArrayList<>();
            for (int i = 1; i <= runs; i++) {
                progress.printf("cold start %d/%d%n", i, runs);
                clients.add(child(classpath, "clients", settings, certificate));
                engine.add(child(classpath, "engine", settings, certificate));
            }
            return new Result(median(engine), median(clients));
        } catch (IOException e) {
            throw new UncheckedIOException("measuring cold start", e);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("encoding the fake tenant's certificate", e);
        }
    }

    private static Child child(String classpath, String mode, Path settings, Path certificate) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = settings.resolveSibling(mode + ".log");
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", classpath, ColdStartProbe.class.getName(), mode,
                settings.toString(), certificate.toString()).redirectError(log.toFile());
        long start = System.nanoTime();
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            int exit = process.waitFor();
            long processMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
            Matcher matcher = READY.matcher(output);
            if (exit != 0 || !matcher.find()) {
                throw new IllegalStateException("the " + mode + " cold-start JVM failed (exit " + exit + "), see " + log
                        + ": " + output);
            }
            return new Child(Long.parseLong(matcher.group(1)), processMs, Long.parseLong(matcher.group(2)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while measuring cold start", e);
        }
    }

    private static Child median(List<Child> children) {
        List<Child> sorted = new ArrayList<>(children);
        sorted.sort(java.util.Comparator.comparingLong(Child::readyMs));
        return sorted.get(sorted.size() / 2);
    }
}
