package dev.breakglass.faketenant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The subset of OData {@code $filter} the product uses: {@code prop eq 'v'}, {@code prop eq true|false|null},
 * {@code startswith(prop,'v')}, joined by {@code and}; {@code prop} may be a path such as
 * {@code onPremisesExtensionAttributes/extensionAttribute15}. String literals escape {@code '} as {@code ''}
 * (https://learn.microsoft.com/graph/query-parameters#escaping-single-quotes). Anything else is refused the way
 * Graph refuses a clause it cannot evaluate: 400 {@code Request_UnsupportedQuery}.
 *
 * <p>Directory string comparisons are case-insensitive in Entra ID (a UPN, mail or mailNickname match ignores
 * case), and the fake applies that to every string property.
 */
final class ODataFilter {

    private record Clause(boolean startsWith, String property, JsonNode literal) {
        boolean test(JsonNode entity) {
            JsonNode value = Json.path(entity, property);
            if (startsWith) {
                return value != null && value.isTextual()
                        && lower(value.asText()).startsWith(lower(literal.asText()));
            }
            if (literal.isNull()) {
                return value == null || value.isNull();
            }
            if (literal.isTextual()) {
                return value != null && value.isTextual() && value.asText().equalsIgnoreCase(literal.asText());
            }
            return literal.equals(value);
        }
    }

    private final List<Clause> clauses;

    private ODataFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    static ODataFilter parse(String expression) {
        List<String> tokens = tokenize(expression);
        List<Clause> clauses = new ArrayList<>();
        int i = 0;
        while (true) {
            if (i < tokens.size() && tokens.get(i).equalsIgnoreCase("startswith")) {
                expect(tokens, i + 1, "(", expression);
                String property = property(tokens, i + 2, expression);
                expect(tokens, i + 3, ",", expression);
                JsonNode literal = literal(tokens, i + 4, expression);
                expect(tokens, i + 5, ")", expression);
                if (!literal.isTextual()) {
                    throw unsupported(expression);
                }
                clauses.add(new Clause(true, property, literal));
                i += 6;
            } else {
                String property = property(tokens, i, expression);
                expect(tokens, i + 1, "eq", expression);
                clauses.add(new Clause(false, property, literal(tokens, i + 2, expression)));
                i += 3;
            }
            if (i == tokens.size()) {
                return new ODataFilter(clauses);
            }
            expect(tokens, i, "and", expression);
            i++;
        }
    }

    boolean test(JsonNode entity) {
        return clauses.stream().allMatch(c -> c.test(entity));
    }

    static ApiError unsupported(String expression) {
        return ApiError.of(400, "Request_UnsupportedQuery",
                "Unsupported or invalid query filter clause specified: '" + expression + "'.");
    }

    private static String lower(String s) {
        return s.toLowerCase(Locale.ROOT);
    }

    private static void expect(List<String> tokens, int i, String word, String expression) {
        if (i >= tokens.size() || !tokens.get(i).equalsIgnoreCase(word)) {
            throw unsupported(expression);
        }
    }

    private static String property(List<String> tokens, int i, String expression) {
        if (i >= tokens.size() || !tokens.get(i).matches("[A-Za-z_][A-Za-z0-9_]*(/[A-Za-z_][A-Za-z0-9_]*)*")) {
            throw unsupported(expression);
        }
        return tokens.get(i);
    }

    private static JsonNode literal(List<String> tokens, int i, String expression) {
        if (i >= tokens.size()) {
            throw unsupported(expression);
        }
        String token = tokens.get(i);
        if (token.startsWith("'")) {
            return TextNode.valueOf(token.substring(1));
        }
        switch (token) {
            case "true":
                return BooleanNode.TRUE;
            case "false":
                return BooleanNode.FALSE;
            case "null":
                return NullNode.instance;
            default:
                throw unsupported(expression);
        }
    }

    /** Words, punctuation and string literals; a string token is its unescaped value prefixed with one quote. */
    private static List<String> tokenize(String expression) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        while (i < expression.length()) {
            char c = expression.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            } else if (c == '(' || c == ')' || c == ',') {
                tokens.add(String.valueOf(c));
                i++;
            } else if (c == '\'') {
                StringBuilder value = new StringBuilder("'");
                i++;
                while (true) {
                    if (i >= expression.length()) {
                        throw unsupported(expression);
                    }
                    char d = expression.charAt(i);
                    if (d == '\'') {
                        if (i + 1 < expression.length() && expression.charAt(i + 1) == '\'') {
                            value.append('\'');
                            i += 2;
                            continue;
                        }
                        i++;
                        break;
                    }
                    value.append(d);
                    i++;
                }
                tokens.add(value.toString());
            } else {
                int start = i;
                while (i < expression.length() && !Character.isWhitespace(expression.charAt(i))
                        && "(),'".indexOf(expression.charAt(i)) < 0) {
                    i++;
                }
                tokens.add(expression.substring(start, i));
            }
        }
        return tokens;
    }
}
