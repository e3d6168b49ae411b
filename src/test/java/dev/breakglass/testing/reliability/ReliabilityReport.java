package dev.breakglass.testing.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Renders {@code docs/reliability.md} from the ledgers a build's test sessions wrote
 * ({@code target/reliability/ledger-*.json}, see {@link LedgerListener}): one row per {@link Covers}
 * test with its measured counts, then every case of the catalogue (shared/TESTS.md) with where it stands:
 * measured here, named by an older test's Javadoc (not instrumented), out of scope for the automated
 * suite, or not covered. Run after {@code mvn verify}:
 * {@code mvn -o -q exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.breakglass.testing.reliability.ReliabilityReport}.
 */
public final class ReliabilityReport {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern JAVADOC = Pattern.compile("/\\*\\*(.*?)\\*/", Pattern.DOTALL);
    private static final Pattern ID_OR_RANGE = Pattern.compile("\\b([A-K])(\\d{1,2})(?:\\s*[–-]\\s*\\1?(\\d{1,2}))?\\b");
    private static final List<String> COUNTERS = List.of("FAULTS_INJECTED", "RUNS_COMPLETED", "DUPLICATES_CREATED",
            "EXCLUSIONS_LOST", "SECRET_OCCURRENCES");

    /** Cases that need a live tenant or deployment; they belong to the operations docs. */
    private static final Map<String, String> OUT_OF_SCOPE = Map.of(
            "F1", "App Service Authentication rejects these before the app runs; configured and checked by infra/",
            "F2", "App Service Authentication (infra/); the app's own part is F4",
            "F3", "App-role check: CallerAuthorizationTest covers the app's part; the token validation is the platform's",
            "E7", "a deployment check of two real Function apps sharing storage",
            "E8", "a stopped real Function app and an Azure Monitor dead-man's-switch alert",
            "H5", "the real vault's configuration (purge protection, RBAC, network): infra/ and What-If",
            "H6", "Key Vault diagnostic logs and a real alert firing on SecretGet");

    /** Cases that do not arise in this design, with why. */
    private static final Map<String, String> NOT_APPLICABLE = Map.of(
            "C7", "no ARM call breakglass makes is a long-running operation: action groups, scheduled query rules "
                    + "and Entra diagnostic settings are synchronous PUTs (createOrUpdate, no poller)",
            "F9", "no request names a user: the accounts come from the app's settings and POST /api/provision "
                    + "rejects any user, principal or UPN property (F5); a configured UPN that already exists without "
                    + "breakglass's marker is D4 (ForeignObjectExists, nothing written)");

    /** The catalogue: every case ID of shared/TESTS.md with what it injects. */
    static final Map<String, String> CATALOGUE = orderedCatalogue(List.of(
            Map.entry("A1", "Valid POST"),
            Map.entry("A2", "Poll while steps run (fake Graph delays 30 s)"),
            Map.entry("A3", "Run a Logic-Apps-style client (poll until non-202, honor …"),
            Map.entry("A4", "Make a step fail terminally (fake PIM returns ExpirationRule)"),
            Map.entry("A5", "POST twice with the same Idempotency-Key and body (second after a …"),
            Map.entry("A6", "Same key, different body"),
            Map.entry("A7", "Same key, second POST while the first is still validating"),
            Map.entry("A8", "No key, same UPN while an op is in flight"),
            Map.entry("A9", "GET the status URL without a token / with another tenant's token / …"),
            Map.entry("A10", "Hammer the status endpoint at 50 rps ignoring Retry-After"),
            Map.entry("A11", "Storage returns 503 on op-record write or enqueue"),
            Map.entry("A12", "Unknown op id; malformed op id (../, 10 kB string)"),
            Map.entry("A13", "Cancel (DELETE) before GA assignment"),
            Map.entry("B1", "Deliver the same step message twice, concurrently, to two workers"),
            Map.entry("B2", "Kill the worker right after POST /users returns 201, before ack …"),
            Map.entry("B3", "Deterministic 403 Authorization_RequestDenied on a step"),
            Map.entry("B4", "Transient 503 on attempts 1–2, success on 3"),
            Map.entry("B5", "Step throws 5 times (transient forever)"),
            Map.entry("B6", "Malformed JSON, unknown schema version, wrong base64 encoding …"),
            Map.entry("B7", "Static/build check"),
            Map.entry("B8", "Deliver step N+1 before step N is complete (queues are unordered)"),
            Map.entry("B9", "Op makes no progress for longer than its SLA (message expired or lost)"),
            Map.entry("B10", "Retry-After: 600 from Graph inside a queue step"),
            Map.entry("C1", "Graph returns 429 with Retry-After: 3 on POST /users three times"),
            Map.entry("C2", "429 without Retry-After on PATCH …"),
            Map.entry("C3", "Retry-After: 3.5, Retry-After: <HTTP-date in the past>, …"),
            Map.entry("C4", "503 on POST /users after the fake has created the user (lost …"),
            Map.entry("C5", "TCP reset / empty response / slow body on each Graph/ARM/KV call"),
            Map.entry("C6", "ARM PUT (action group / alert rule) → 429 with Retry-After: 12"),
            Map.entry("C7", "ARM LRO: 201 provisioningState Accepted / 202 with …"),
            Map.entry("C8", "IMDS/managed-identity token endpoint returns 500, then times out"),
            Map.entry("C9", "Key Vault 429/503 on setSecret"),
            Map.entry("C10", "PIM returns \"principal not found\"/404 for 90 s after user creation"),
            Map.entry("C11", "x-ms-throttle-limit-percentage: 0.9 on successful Graph responses"),
            Map.entry("D1", "Re-run provisioning for an already complete account"),
            Map.entry("D2", "Crash matrix: for each of 7 steps, crash (a) before the side …"),
            Map.entry("D3", "Crash between the KV write (pending) and user creation; retry …"),
            Map.entry("D4", "UPN already exists, not created by this system (no provenance marker)"),
            Map.entry("D5", "Our user exists but lastPasswordChangeDateTime > creation + 1 min, …"),
            Map.entry("D6", "PIM says \"role assignment already exists\""),
            Map.entry("D7", "PIM RoleAssignmentRequestPolicyValidationFailed: ExpirationRule"),
            Map.entry("D8", "Between our GET and PATCH of a CA policy, an \"admin\" changes …"),
            Map.entry("D9", "Run the exclusion twice; policies in …"),
            Map.entry("D10", "Allow-listed policy (\"Require phishing-resistant MFA for …"),
            Map.entry("D11", "Existing Entra diagnostic setting with a different name/workspace"),
            Map.entry("D12", "Fresh workspace: ARM rejects the alert query (Failed to resolve …"),
            Map.entry("D13", "Cancel or terminal failure after user creation, before GA"),
            Map.entry("D14", "Repeat ARM PUTs with deterministic names"),
            Map.entry("E1", "Delete the alert rule out of band (azurerm DisappearsStep analogue)"),
            Map.entry("E2", "Disable the rule; change its KQL; remove the email receiver; empty …"),
            Map.entry("E3", "Remove the exclusion from one CA policy; create a new policy …"),
            Map.entry("E4", "Break-glass user disabled; GA removed; password changed; new auth …"),
            Map.entry("E5", "Diagnostic setting deleted or the SignInLogs category disabled"),
            Map.entry("E6", "Run two host instances; verification runs longer than the schedule …"),
            Map.entry("E7", "Two apps sharing AzureWebJobsStorage with the same host id"),
            Map.entry("E8", "App stopped for 3 intervals"),
            Map.entry("E9", "Graph 403 on Policy.Read.All during verification; ARM 500"),
            Map.entry("E10", "Invalid NCRONTAB / wrong field count in config"),
            Map.entry("F1", "No token; wrong audience; other tenant; expired; alg:none; …"),
            Map.entry("F2", "Valid function key but no Entra token"),
            Map.entry("F3", "Token from an allowed app but missing the Provision app role"),
            Map.entry("F4", "Forged x-ms-client-principal header sent directly (Easy Auth …"),
            Map.entry("F5", "Extra JSON properties (role, principalId, objectId, workspaceId, …"),
            Map.entry("F6", "UPN fuzz: wrong domain, custom federated domain, . before @, …"),
            Map.entry("F7", "displayName with CRLF/ANSI escapes, 10 k chars, RTL override"),
            Map.entry("F8", "Content-Type text/plain / body 2 MB / JSON depth 1,000 / duplicate …"),
            Map.entry("F9", "Request names an existing privileged or existing user"),
            Map.entry("F10", "More than the configured max break-glass accounts (e.g. 4), or > N …"),
            Map.entry("F11", "Errors from Graph (400 body)"),
            Map.entry("G1", "A principal with Storage Queue Data Contributor writes …"),
            Map.entry("G2", "Tamper with an existing op's message (opId of op A, UPN of op B) …"),
            Map.entry("G3", "Dump queues, poison queues, op table, blob leases"),
            Map.entry("H1", "Seed the RNG in a test profile to emit canary Zq9!CANARY…"),
            Map.entry("H2", "Set AZURE_HTTP_LOG_DETAIL_LEVEL=BODY_AND_HEADERS and …"),
            Map.entry("H3", "Requests carrying Authorization, code= query param, SAS URLs"),
            Map.entry("H4", "Exception while holding the password (e.g. KV 500 right after …"),
            Map.entry("H5", "Inspect the KV secret"),
            Map.entry("H6", "Read the break-glass secret as an operator"),
            Map.entry("K1", "Stateful fuzzing of the HTTP API from its OpenAPI document, …"),
            Map.entry("K2", "Jazzer / JUnit @FuzzTest on the request parser, UPN validator and …"),
            Map.entry("K3", "Property test of the password generator (10⁶ samples)"),
            Map.entry("K4", "Property test of the step state machine (random interleavings of …"),
            Map.entry("K5", "The real recorded responses in api-contracts/recordings replayed …")));

    private ReliabilityReport() {
    }

    public static void main(String[] args) throws IOException {
        Path ledgers = args.length > 0 ? Path.of(args[0]) : LedgerListener.DIRECTORY;
        Path out = args.length > 1 ? Path.of(args[1]) : Path.of("docs", "reliability.md");
        Files.writeString(out, render(read(ledgers), javadocMentions(Path.of("src", "test", "java"))));
        System.out.println("wrote " + out);
    }

    /** The newest result of every test, across the ledger files of the build. */
    static List<JsonNode> read(Path directory) throws IOException {
        Map<String, JsonNode> newest = new TreeMap<>();
        if (!Files.isDirectory(directory)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(path -> path.getFileName().toString().startsWith("ledger-")).sorted(
                    Comparator.comparing(ReliabilityReport::modified)).toList()) {
                for (JsonNode test : JSON.readTree(file.toFile()).path("tests")) {
                    newest.put(test.path("test").asText(), test);
                }
            }
        }
        return new ArrayList<>(newest.values());
    }

    static String render(List<JsonNode> tests, Map<String, TreeSet<String>> mentions) {
        StringBuilder md = new StringBuilder();
        md.append("# Reliability: the fault and abuse catalogue, as measured\n\n")
                .append("<!-- Generated by dev.breakglass.testing.reliability.ReliabilityReport from the ledgers the ")
                .append("test suite wrote (target/reliability). Do not edit by hand. -->\n\n")
                .append("Each test annotated `@Covers` records its result and counters while it runs against the fake ")
                .append("tenant and Azurite. Totals over ").append(tests.size()).append(" tests:\n\n");
        Map<String, Long> totals = new LinkedHashMap<>();
        long invocations = 0;
        long passed = 0;
        for (JsonNode test : tests) {
            invocations += test.path("invocations").asLong();
            passed += test.path("passed").asLong();
            for (String counter : COUNTERS) {
                totals.merge(counter, test.path("counters").path(counter).asLong(), Long::sum);
            }
        }
        md.append("| executions (passed/total) | faults injected | runs completed | duplicates created | ")
                .append("exclusions lost | secret occurrences |\n|---|---|---|---|---|---|\n")
                .append("| ").append(passed).append("/").append(invocations);
        for (String counter : COUNTERS) {
            md.append(" | ").append(totals.get(counter));
        }
        md.append(" |\n\nFaults injected: crashes, injected HTTP faults, duplicate or early messages, tampering with the ")
                .append("tenant, and for the fuzz tests the hostile or malformed requests that were rejected. Runs completed: ")
                .append("provisioning runs driven to Succeeded. Duplicates created and exclusions lost are measured on ")
                .append("the fake tenant's final state; secret occurrences are stored passwords (plain, base64, URL- and ")
                .append("JSON-escaped) found in the run table, the queues, the poison queue, host errors and security ")
                .append("events.\n");
        md.append("\n## Measured cases\n\n")
                .append("| IDs | test | what it proved | passed/executions | faults | runs | duplicates | ")
                .append("exclusions lost | secret occurrences |\n|---|---|---|---|---|---|---|---|---|\n");
        Map<String, List<String>> testsById = new TreeMap<>();
        for (JsonNode test : tests) {
            List<String> ids = new ArrayList<>();
            test.path("ids").forEach(id -> ids.add(id.asText()));
            ids.forEach(id -> testsById.computeIfAbsent(id, key -> new ArrayList<>()).add(test.path("test").asText()));
            md.append("| ").append(String.join(", ", ids)).append(" | `").append(test.path("test").asText())
                    .append("` | ").append(test.path("proves").asText().replace("|", "\\|")).append(" | ")
                    .append(test.path("passed").asLong()).append("/").append(test.path("invocations").asLong());
            for (String counter : COUNTERS) {
                md.append(" | ").append(test.path("counters").path(counter).asLong());
            }
            md.append(" |\n");
        }
        md.append("\n## Every case of the catalogue\n\n| ID | inject | status |\n|---|---|---|\n");
        for (Map.Entry<String, String> entry : CATALOGUE.entrySet()) {
            String id = entry.getKey();
            String status;
            if (testsById.containsKey(id)) {
                boolean allPassed = tests.stream().filter(test -> testsById.get(id).contains(test.path("test").asText()))
                        .allMatch(test -> test.path("passed").asLong() == test.path("invocations").asLong());
                status = (allPassed ? "measured, passed: " : "measured, FAILING: ") + String.join(", ",
                        testsById.get(id).stream().map(name -> "`" + name + "`").toList());
            } else if (NOT_APPLICABLE.containsKey(id)) {
                status = "not applicable: " + NOT_APPLICABLE.get(id);
            } else if (OUT_OF_SCOPE.containsKey(id)) {
                status = "out of scope (needs a live tenant or deployment): " + OUT_OF_SCOPE.get(id);
            } else if (mentions.containsKey(id)) {
                status = "covered by " + String.join(", ", mentions.get(id).stream().map(name -> "`" + name + "`")
                        .toList()) + " (named in its Javadoc; not instrumented with counters)";
            } else {
                status = "**not covered yet**";
            }
            md.append("| ").append(id).append(" | ").append(entry.getValue().replace("|", "\\|")).append(" | ")
                    .append(status).append(" |\n");
        }
        return md.toString();
    }

    /** Case IDs (and ranges such as {@code A1–A6}) named in the Javadoc of test classes, by class. */
    static Map<String, TreeSet<String>> javadocMentions(Path testSources) throws IOException {
        Map<String, TreeSet<String>> mentions = new TreeMap<>();
        try (Stream<Path> files = Files.walk(testSources)) {
            for (Path file : files.filter(path -> path.toString().endsWith("IT.java")
                    || path.toString().endsWith("Test.java")).toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                Matcher javadoc = JAVADOC.matcher(Files.readString(file));
                while (javadoc.find()) {
                    Matcher id = ID_OR_RANGE.matcher(javadoc.group(1));
                    while (id.find()) {
                        int from = Integer.parseInt(id.group(2));
                        int to = id.group(3) == null ? from : Integer.parseInt(id.group(3));
                        for (int number = from; number <= to; number++) {
                            String caseId = id.group(1) + number;
                            if (CATALOGUE.containsKey(caseId)) {
                                mentions.computeIfAbsent(caseId, key -> new TreeSet<>()).add(name);
                            }
                        }
                    }
                }
            }
        }
        return mentions;
    }

    private static Map<String, String> orderedCatalogue(List<Map.Entry<String, String>> entries) {
        Map<String, String> catalogue = new LinkedHashMap<>();
        entries.forEach(entry -> catalogue.put(entry.getKey(), entry.getValue()));
        return catalogue;
    }

    private static long modified(Path path) {
        try {
            return Files.getLastModifiedTime(path).toMillis();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
