package dev.breakglass.bench;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/** Memory and size: the heap this JVM used at its peak, and what a deployment ships in {@code lib/}. */
final class Footprint {

    /** Where {@code mvn package} writes the Functions app's dependencies. */
    static final Path PACKAGED_LIB = Path.of("target", "azure-functions", "breakglass", "lib");

    private Footprint() {
    }

    /** Samples the heap in use every 20 ms until closed; the peak is the largest sample. */
    static final class HeapSampler implements AutoCloseable {
        private final ScheduledExecutorService timer;
        private final AtomicLong peak = new AtomicLong();

        HeapSampler() {
            timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "bench-heap-sampler");
                thread.setDaemon(true);
                return thread;
            });
            timer.scheduleAtFixedRate(() -> peak.accumulateAndGet(
                    ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max),
                    0, 20, TimeUnit.MILLISECONDS);
        }

        long peakBytes() {
            return peak.get();
        }

        @Override
        public void close() {
            timer.shutdownNow();
        }
    }

    /** Collections and time spent in them so far, over every collector. */
    static String garbageCollections() {
        long count = 0;
        long millis = 0;
        for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, collector.getCollectionCount());
            millis += Math.max(0, collector.getCollectionTime());
        }
        return count + " collections, " + millis + " ms";
    }

    /**
     * The application's runtime classpath: the class loader's URLs under {@code exec:java} (Maven's own jars are
     * on {@code java.class.path} there), otherwise {@code java.class.path}.
     */
    static List<Path> runtimeClasspath() {
        List<Path> entries = new ArrayList<>();
        if (Footprint.class.getClassLoader() instanceof URLClassLoader loader && loader.getURLs().length > 0) {
            for (URL url : loader.getURLs()) {
                try {
                    entries.add(Path.of(url.toURI()));
                } catch (URISyntaxException e) {
                    throw new IllegalStateException("classpath entry " + url, e);
                }
            }
            return entries;
        }
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            entries.add(Path.of(entry));
        }
        return entries;
    }

    /** The size of the deployable {@code lib/}: the packaged folder when there is one, else the classpath's jars. */
    record LibSize(long bytes, long jars, String source) {
    }

    static LibSize libSize() {
        try {
            if (Files.isDirectory(PACKAGED_LIB)) {
                List<Path> jars;
                try (Stream<Path> files = Files.list(PACKAGED_LIB)) {
                    jars = files.filter(file -> file.toString().endsWith(".jar")).toList();
                }
                return new LibSize(size(jars), jars.size(), PACKAGED_LIB.toString());
            }
            List<Path> jars = runtimeClasspath().stream().filter(entry -> entry.toString().endsWith(".jar")).toList();
            return new LibSize(size(jars), jars.size(), "the runtime classpath's jars (not packaged: run mvn package "
                    + "for " + PACKAGED_LIB + ")");
        } catch (IOException e) {
            throw new UncheckedIOException("measuring lib/", e);
        }
    }

    private static long size(List<Path> jars) throws IOException {
        long total = 0;
        for (Path jar : jars) {
            total += Files.size(jar);
        }
        return total;
    }
}
