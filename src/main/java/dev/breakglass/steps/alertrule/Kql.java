package dev.breakglass.steps.alertrule;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The only way values reach an alert query: Entra object ids, each checked to be a GUID, so no name, UPN or other
 * text from the tenant or the configuration can change what a query means.
 */
final class Kql {

    private static final Pattern GUID = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Kql() {
    }

    /** {@code "id1", "id2"}: a KQL list of string literals, for {@code in~ (…)} and {@code dynamic([…])}. */
    static String ids(Collection<String> ids) {
        if (ids.isEmpty()) {
            throw new IllegalArgumentException("an alert query needs at least one object id");
        }
        return ids.stream().map(Kql::guid).map(id -> "\"" + id + "\"").collect(Collectors.joining(", "));
    }

    /** The GUIDs a query names, lower-cased: what verification compares with the accounts' ids. */
    static Set<String> idsIn(String query) {
        Set<String> found = new LinkedHashSet<>();
        Matcher matcher = GUID.matcher(query == null ? "" : query);
        while (matcher.find()) {
            found.add(matcher.group().toLowerCase(Locale.ROOT));
        }
        return found;
    }

    private static String guid(String id) {
        if (id == null || !GUID.matcher(id).matches()) {
            throw new IllegalArgumentException("not an object id (GUID): refusing to put it in a query");
        }
        return id.toLowerCase(Locale.ROOT);
    }
}
