package dev.breakglass.exports;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import java.util.List;

/**
 * A Microsoft Sentinel watchlist of the emergency accounts, as a CSV file with a header row
 * (https://learn.microsoft.com/azure/sentinel/watchlists-create). Create it with the alias
 * {@value #ALIAS} and the search key {@value #SEARCH_KEY}: sign-in and audit logs carry the object id
 * ({@code SigninLogs.UserId}), which survives a rename, unlike the UPN. Queries then read it with
 * {@code _GetWatchlist('BreakGlassAccounts')}. Written by Jackson's CSV writer, so a display name with a
 * comma, quote or line break stays one field.
 */
final class SentinelWatchlist {

    static final String ALIAS = "BreakGlassAccounts";
    static final String SEARCH_KEY = "ObjectId";
    static final List<String> COLUMNS = List.of("UserPrincipalName", SEARCH_KEY, "DisplayName", "AccountKey",
            "ExclusionGroupId");

    private static final CsvMapper CSV = new CsvMapper();

    private SentinelWatchlist() {
    }

    static String render(Inventory inventory) {
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        COLUMNS.forEach(schema::addColumn);
        List<List<String>> rows = inventory.accounts().stream().map(account -> List.of(account.userPrincipalName(),
                account.objectId(), nullToEmpty(account.displayName()), account.key(),
                inventory.exclusionGroup().objectId())).toList();
        try {
            return CSV.writer(schema.build()).writeValueAsString(rows);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the Sentinel watchlist", e);
        }
    }

    private static String nullToEmpty(String value) {
        return value == null ? "" : value;
    }
}
