package dev.breakglass.faketenant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * Every request the fake received, in arrival order, including rejected and faulted ones.
 * Only the path and the query are kept, never headers or bodies, so no token or password lands here.
 */
public final class Journal {

    /**
     * One request. {@code status} is what was sent, or 0 when the connection was dropped without an answer.
     * {@code query} is the decoded query string (null when there was none).
     */
    public record Entry(Instant timestamp, String method, String path, String query, int status, boolean isWrite) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void record(Call call, int status) {
        entries.add(new Entry(Instant.now(), call.method, call.path, decodedQuery(call), status, call.isWrite()));
    }

    public List<Entry> entries() {
        return List.copyOf(entries);
    }

    public List<Entry> reads() {
        return entries.stream().filter(e -> !e.isWrite()).toList();
    }

    public List<Entry> writes() {
        return entries.stream().filter(Entry::isWrite).toList();
    }

    /** How many requests had this method ({@code null} or {@code "*"} = any) and a path matching the regex in full. */
    public long count(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        return entries.stream()
                .filter(e -> method == null || method.equals("*") || method.equalsIgnoreCase(e.method()))
                .filter(e -> pattern.matcher(e.path()).matches())
                .count();
    }

    public void clear() {
        entries.clear();
    }

    private static String decodedQuery(Call call) {
        if (call.query.isEmpty()) {
            return null;
        }
        List<String> parts = new ArrayList<>();
        call.query.forEach((k, v) -> parts.add(v.isEmpty() ? k : k + "=" + v));
        return String.join("&", parts);
    }
}
