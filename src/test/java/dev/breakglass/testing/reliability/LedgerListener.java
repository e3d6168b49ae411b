package dev.breakglass.testing.reliability;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;

/**
 * Records every {@link Covers} test of a test session (Jupiter and jqwik alike) with its
 * {@link Ledger} counters into {@code target/reliability/ledger-*.json}; {@link ReliabilityReport}
 * merges the files of a build. Registered through {@code META-INF/services}.
 */
public final class LedgerListener implements TestExecutionListener {

    static final Path DIRECTORY = Path.of("target", "reliability");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Map<String, Record> records = new LinkedHashMap<>();
    private Map<Ledger.Counter, AtomicLong> counters;

    /** One test method, over all its invocations (parameterized rows, properties' tries count as one). */
    private static final class Record {
        final Covers covers;
        final String test;
        final String method;
        long invocations;
        long passed;
        final Map<Ledger.Counter, Long> totals = new LinkedHashMap<>();

        Record(Covers covers, String test, String method) {
            this.covers = covers;
            this.test = test;
            this.method = method;
        }
    }

    @Override
    public void executionStarted(TestIdentifier identifier) {
        if (identifier.isTest() && method(identifier).flatMap(LedgerListener::covers).isPresent()) {
            counters = Ledger.begin();
        }
    }

    @Override
    public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
        if (!identifier.isTest()) {
            return;
        }
        Optional<Method> method = method(identifier);
        Optional<Covers> covers = method.flatMap(LedgerListener::covers);
        if (covers.isEmpty() || counters == null) {
            return;
        }
        Ledger.end();
        String test = method.get().getDeclaringClass().getSimpleName() + "#" + method.get().getName();
        Record record = records.computeIfAbsent(test, key -> new Record(covers.get(), test, method.get().getName()));
        record.invocations++;
        if (result.getStatus() == TestExecutionResult.Status.SUCCESSFUL) {
            record.passed++;
        }
        counters.forEach((counter, value) -> record.totals.merge(counter, value.get(), Long::sum));
        counters = null;
    }

    @Override
    public void testPlanExecutionFinished(TestPlan plan) {
        if (records.isEmpty()) {
            return;
        }
        ObjectNode root = JSON.createObjectNode().put("finishedAt", Instant.now().toString());
        ArrayNode tests = root.putArray("tests");
        for (Record record : records.values()) {
            ObjectNode node = tests.addObject().put("test", record.test).put("proves", proves(record))
                    .put("invocations", record.invocations).put("passed", record.passed);
            ArrayNode ids = node.putArray("ids");
            for (String id : record.covers.value()) {
                ids.add(id);
            }
            ObjectNode totals = node.putObject("counters");
            record.totals.forEach((counter, value) -> totals.put(counter.name(), value));
        }
        try {
            Files.createDirectories(DIRECTORY);
            JSON.writerWithDefaultPrettyPrinter().writeValue(DIRECTORY.resolve("ledger-" + ProcessHandle.current().pid()
                    + "-" + System.nanoTime() + ".json").toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        records.clear();
    }

    private static String proves(Record record) {
        if (!record.covers.proves().isBlank()) {
            return record.covers.proves();
        }
        String words = record.method.replaceAll("([a-z0-9])([A-Z])", "$1 $2").toLowerCase(java.util.Locale.ROOT);
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static Optional<Method> method(TestIdentifier identifier) {
        return identifier.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast)
                .flatMap(source -> {
                    try {
                        return Optional.of(source.getJavaMethod());
                    } catch (RuntimeException notLoadable) {
                        return Optional.empty();
                    }
                });
    }

    private static Optional<Covers> covers(Method method) {
        Covers covers = method.getAnnotation(Covers.class);
        return Optional.ofNullable(covers != null ? covers : method.getDeclaringClass().getAnnotation(Covers.class));
    }
}
