package dev.breakglass.spec;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Builds a {@link BreakGlassSpec} from app settings (or a {@code --config} file with the same keys)
 * and rejects anything that breaks a rule, naming the setting, before a single call is made.
 */
public final class SpecLoader {

    private static final Pattern GUID = Pattern.compile(
            "^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    /**
     * Entra's UPN local-part characters (user-post-users.md: A-Z a-z 0-9 ' . - _ ! # ^ ~), leaving room
     * for the two-digit account number within the 64-character local part.
     */
    private static final Pattern UPN_PREFIX = Pattern.compile("^[A-Za-z0-9'_!#^~-][A-Za-z0-9'._!#^~-]{0,59}$");
    private static final Pattern MAIL_NICKNAME = Pattern.compile("^[A-Za-z0-9._-]{1,64}$");
    private static final int MAX_ACCOUNTS = 10;
    private static final int MAX_DISPLAY_NAME = 200;
    /** One run a minute all day: far above any real need, still a bound on an abusive caller (TESTS.md F10). */
    private static final int MAX_RUNS_PER_DAY = 1440;
    /** Public-cloud hosts a static token must never be sent to. */
    private static final List<String> PUBLIC_CLOUD_SUFFIXES = List.of(
            "microsoft.com", "windows.net", "azure.net", "azure.com", "azure.cn", "chinacloudapi.cn",
            "usgovcloudapi.net", "microsoft.us", "microsoftonline.us", "microsoftonline.com", "azure.us");

    private SpecLoader() {
    }

    /**
     * @param settings app settings or config-file entries; absent and blank values take the default
     * @throws SpecValidationException listing every problem found
     */
    public static BreakGlassSpec load(Map<String, String> settings) {
        Reader reader = new Reader(settings);
        String tenantId = reader.required(Setting.TENANT_ID);
        if (tenantId != null && !GUID.matcher(tenantId).matches()) {
            reader.problem(Setting.TENANT_ID, "must be the tenant's GUID, got '" + printable(tenantId) + "'");
        }
        int accountCount = reader.integer(Setting.ACCOUNT_COUNT, 1, MAX_ACCOUNTS);
        String upnPrefix = reader.value(Setting.UPN_PREFIX);
        if (!UPN_PREFIX.matcher(upnPrefix).matches() || upnPrefix.contains("..")) {
            reader.problem(Setting.UPN_PREFIX, "must be 1-60 characters of A-Z a-z 0-9 ' . - _ ! # ^ ~, "
                    + "not start with '.' and have no '..', got '" + printable(upnPrefix) + "'");
        }
        String displayName = reader.value(Setting.DISPLAY_NAME);
        if (displayName.length() > MAX_DISPLAY_NAME || displayName.codePoints().anyMatch(SpecLoader::isUnsafe)) {
            reader.problem(Setting.DISPLAY_NAME, "must be at most " + MAX_DISPLAY_NAME
                    + " characters with no control or bidirectional-override characters");
        }
        URI keyVaultUri = reader.httpsUri(Setting.KEY_VAULT_URI);
        String groupName = reader.value(Setting.EXCLUSION_GROUP_NAME);
        if (!MAIL_NICKNAME.matcher(groupName).matches()) {
            reader.problem(Setting.EXCLUSION_GROUP_NAME, "must be 1-64 characters of A-Z a-z 0-9 . - _, got '"
                    + printable(groupName) + "'");
        }
        Set<String> allowList = new LinkedHashSet<>();
        for (String id : reader.value(Setting.CA_ALLOW_LIST).split(",")) {
            String trimmed = id.trim();
            if (trimmed.isEmpty()) {
                continue;
            }
            if (!GUID.matcher(trimmed).matches()) {
                reader.problem(Setting.CA_ALLOW_LIST, "every entry must be a policy id (GUID), got '"
                        + printable(trimmed) + "'");
            }
            allowList.add(trimmed.toLowerCase(Locale.ROOT));
        }
        boolean remediation = reader.bool(Setting.REMEDIATION);
        URI graph = reader.httpsUri(Setting.GRAPH_ENDPOINT);
        URI arm = reader.httpsUri(Setting.ARM_ENDPOINT);
        Credentials credentials = credentials(reader, graph, arm, keyVaultUri);
        Monitoring monitoring = MonitoringLoader.load(reader);
        Readiness readiness = Readiness.load(reader);
        int maxRunsPerDay = reader.integer(Setting.MAX_RUNS_PER_DAY, 1, MAX_RUNS_PER_DAY);

        reader.throwIfProblems();
        return new BreakGlassSpec(tenantId, accountCount, upnPrefix, displayName, keyVaultUri, groupName,
                allowList, remediation, new Endpoints(stripTrailingSlash(graph), stripTrailingSlash(arm)),
                credentials, monitoring, readiness, maxRunsPerDay);
    }

    private static Credentials credentials(Reader reader, URI graph, URI arm, URI vault) {
        String modeValue = reader.value(Setting.CREDENTIAL);
        CredentialMode mode = CredentialMode.fromSetting(modeValue);
        if (mode == null) {
            reader.problem(Setting.CREDENTIAL, "must be one of default, managed-identity, static-token, got '"
                    + printable(modeValue) + "'");
            return new Credentials(CredentialMode.DEFAULT, null, null);
        }
        String clientId = blankToNull(reader.value(Setting.MANAGED_IDENTITY_CLIENT_ID));
        if (clientId != null && !GUID.matcher(clientId).matches()) {
            reader.problem(Setting.MANAGED_IDENTITY_CLIENT_ID, "must be a client id (GUID)");
        }
        String token = blankToNull(reader.value(Setting.STATIC_TOKEN));
        if (mode == CredentialMode.STATIC_TOKEN) {
            if (token == null) {
                reader.problem(Setting.STATIC_TOKEN, "is required when " + Setting.CREDENTIAL.key() + " is static-token");
            }
            for (URI uri : new URI[] {graph, arm, vault}) {
                if (uri != null && isPublicCloudHost(uri.getHost())) {
                    reader.problem(Setting.CREDENTIAL, "static-token is refused for public-cloud host "
                            + uri.getHost() + "; use default or managed-identity");
                }
            }
        } else if (token != null) {
            reader.problem(Setting.STATIC_TOKEN, "is only allowed when " + Setting.CREDENTIAL.key() + " is static-token");
        }
        return new Credentials(mode, clientId, token);
    }

    /** True for hosts of Microsoft's public and national clouds, where a fixed token has no place. */
    public static boolean isPublicCloudHost(String host) {
        String lower = host == null ? "" : host.toLowerCase(Locale.ROOT);
        return PUBLIC_CLOUD_SUFFIXES.stream().anyMatch(suffix -> lower.equals(suffix) || lower.endsWith("." + suffix));
    }

    private static boolean isUnsafe(int codePoint) {
        return Character.isISOControl(codePoint)
                || (codePoint >= 0x202A && codePoint <= 0x202E)
                || (codePoint >= 0x2066 && codePoint <= 0x2069);
    }

    /** Echoes user input in a message without letting control characters reach a terminal or log. */
    static String printable(String value) {
        StringBuilder out = new StringBuilder();
        value.codePoints().limit(80).forEach(cp -> {
            if (isUnsafe(cp)) {
                out.append(String.format(Locale.ROOT, "\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return value.codePointCount(0, value.length()) > 80 ? out + "…" : out.toString();
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }

    private static URI stripTrailingSlash(URI uri) {
        String text = uri.toString();
        return text.endsWith("/") ? URI.create(text.substring(0, text.length() - 1)) : uri;
    }

    /** Reads settings, collecting every problem rather than stopping at the first. */
    static final class Reader {
        private final Map<String, String> settings;
        private final List<String> problems = new ArrayList<>();

        Reader(Map<String, String> settings) {
            this.settings = settings;
        }

        String value(Setting setting) {
            String raw = settings.get(setting.key());
            return raw == null || raw.isBlank() ? setting.defaultValue() : raw.trim();
        }

        String required(Setting setting) {
            String value = value(setting);
            if (value == null) {
                problem(setting, "is required");
            }
            return value;
        }

        int integer(Setting setting, int min, int max) {
            String value = value(setting);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed < min || parsed > max) {
                    problem(setting, "must be between " + min + " and " + max + ", got " + parsed);
                }
                return parsed;
            } catch (NumberFormatException e) {
                problem(setting, "must be a whole number, got '" + printable(value) + "'");
                return min;
            }
        }

        boolean bool(Setting setting) {
            String value = value(setting).toLowerCase(Locale.ROOT);
            if (!value.equals("true") && !value.equals("false")) {
                problem(setting, "must be true or false, got '" + printable(value) + "'");
            }
            return value.equals("true");
        }

        URI httpsUri(Setting setting) {
            String value = required(setting);
            if (value == null) {
                return null;
            }
            try {
                URI uri = new URI(value);
                if (!"https".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                    problem(setting, "must be an https URL with a host, got '" + printable(value) + "'");
                    return null;
                }
                if (uri.getRawQuery() != null || uri.getRawFragment() != null || uri.getRawUserInfo() != null) {
                    problem(setting, "must not carry user info, a query or a fragment");
                    return null;
                }
                return uri;
            } catch (URISyntaxException e) {
                problem(setting, "is not a valid URL: '" + printable(value) + "'");
                return null;
            }
        }

        void problem(Setting setting, String rule) {
            problems.add(setting.key() + " " + rule);
        }

        void throwIfProblems() {
            if (!problems.isEmpty()) {
                throw new SpecValidationException(problems);
            }
        }
    }
}
