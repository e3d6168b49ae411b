package dev.breakglass.bench;

import dev.breakglass.azure.AzureClients;
import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.Outcome;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepKey;
import dev.breakglass.reconcile.Workflow;
import dev.breakglass.spec.BreakGlassSpec;
import dev.breakglass.spec.SpecLoader;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The child JVM of the cold-start figure. {@code engine}: builds the production engine and handles one unit of
 * work ({@code TenantInfo}: two Graph reads) against the fake tenant, like a Functions worker's first queue
 * message; {@code clients}: only constructs the Graph, Key Vault and ARM clients, the floor any worker pays. Prints
 * {@code ready-ms=<JVM start to done> heap-bytes=<peak heap>} on stdout.
 *
 * <p>Arguments: mode, a properties file of app settings, the fake tenant's certificate (DER).
 */
public final class ColdStartProbe {

    private ColdStartProbe() {
    }

    public static void main(String[] args) throws IOException, CertificateException {
        BreakGlassSpec spec = SpecLoader.load(settings(Path.of(args[1])));
        X509Certificate trust = certificate(Path.of(args[2]));
        if (args[0].equals("engine")) {
            Engine engine = Engine.create(spec, trust);
            Workflow workflow = engine.workflow();
            StepKey first = new StepKey("TenantInfo", null);
            Outcome outcome = workflow.runner().run(workflow.step(first.step()).orElseThrow(),
                    workflow.context(spec, first, new RunReads()));
            if (!(outcome instanceof Outcome.Done)) {
                throw new IllegalStateException("the first step ended " + outcome);
            }
        } else {
            AzureClients.create(spec, trust);
        }
        long readyMs = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
        System.out.println("ready-ms=" + readyMs + " heap-bytes=" + peakHeap());
    }

    /** The sum of the heap pools' peaks: an upper bound on the peak heap in use. */
    static long peakHeap() {
        return ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(pool -> pool.getType() == MemoryType.HEAP)
                .map(MemoryPoolMXBean::getPeakUsage)
                .mapToLong(usage -> usage == null ? 0 : usage.getUsed())
                .sum();
    }

    private static Map<String, String> settings(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            properties.load(reader);
        }
        Map<String, String> settings = new HashMap<>();
        properties.stringPropertyNames().forEach(name -> settings.put(name, properties.getProperty(name)));
        return settings;
    }

    private static X509Certificate certificate(Path file) throws IOException, CertificateException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
    }
}
