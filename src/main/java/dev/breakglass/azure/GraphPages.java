package dev.breakglass.azure;

import com.microsoft.graph.models.BaseCollectionPaginationCountResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Follows {@code @odata.nextLink} verbatim until the last page
 * (https://learn.microsoft.com/graph/paging): the link is opaque, so it is never built or edited.
 */
final class GraphPages {

    private GraphPages() {
    }

    static <T, P extends BaseCollectionPaginationCountResponse> List<T> all(P first, Function<P, List<T>> items,
            Function<String, P> next) {
        List<T> all = new ArrayList<>();
        P page = first;
        while (page != null) {
            if (items.apply(page) != null) {
                all.addAll(items.apply(page));
            }
            String link = page.getOdataNextLink();
            page = link == null || link.isBlank() ? null : next.apply(link);
        }
        return all;
    }

    /** An OData string literal: single quotes doubled (https://learn.microsoft.com/graph/filter-query-parameter). */
    static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
