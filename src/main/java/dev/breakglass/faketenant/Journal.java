package dev.breakglass.faketenant;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
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
     * {@code query} is the decoded query string (null when there was none). {@code received} is when the request
     * arrived, {@code timestamp} when it was answered (injected latency included).
     */
    public record Entry(Instant timestamp, String method, String path, String query, int status, boolean isWrite,
            Instant received) {
    }

    private final List<Entry> entries = new CopyOnWriteArrayList<>();

    void record(Call call, int status) {
        entries.add(new Entry(Instant.now(), call.method, call.path, decodedQuery(call), status, call.isWrite(),
                call.received));
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

    /**
     * The most requests that ran one after another: the longest chain of requests each received after the previous
     * one was answered. Requests in flight together count once, so this is how many round trips the work took
     * however many requests it sent; it can only overstate the dependencies between them, never hide one.
     */
    public int longestSequentialChain() {
        List<Entry> byAnswer = new ArrayList<>(entries);
        byAnswer.sort(Comparator.comparing(Entry::timestamp));
        int[] chain = new int[byAnswer.size()];
        int longest = 0;
        for (int i = 0; i < byAnswer.size(); i++) {
            chain[i] = 1;
            for (int j = 0; j < i; j++) {
                if (!byAnswer.get(j).timestamp().isAfter(byAnswer.get(i).received())) {
                    chain[i] = Math.max(chain[i], chain[j] + 1);
                }
            }
            longest = Math.max(longest, chain[i]);
        }
        return longest;
    }

    /**
     * The most requests matching {@code method} ({@code null} or {@code "*"} = any) and {@code pathRegex} received
     * within any one-second window: the rate a per-second service limit sees.
     */
    public int maxPerSecond(String method, String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        List<Instant> times = entries.stream()
                .filter(e -> method == null || method.equals("*") || method.equalsIgnoreCase(e.method()))
                .filter(e -> pattern.matcher(e.path()).matches())
                .map(Entry::received).sorted().toList();
        int most = 0;
        int start = 0;
        for (int end = 0; end < times.size(); end++) {
            while (!times.get(start).plusSeconds(1).isAfter(times.get(end))) {
                start++;
            }
            most = Math.max(most, end - start + 1);
        }
        return most;
    }

    /**
     * The most requests with a path matching {@code pathRegex} that were in flight together: received before another
     * was answered. A client that sends one request at a time scores 1.
     */
    public int maxInFlight(String pathRegex) {
        Pattern pattern = Pattern.compile(pathRegex);
        List<Entry> matching = entries.stream().filter(e -> pattern.matcher(e.path()).matches()).toList();
        int most = 0;
        for (Entry entry : matching) {
            Instant at = entry.received();
            int inFlight = (int) matching.stream()
                    .filter(other -> !other.received().isAfter(at) && other.timestamp().isAfter(at)).count();
            most = Math.max(most, inFlight);
        }
        return most;
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
