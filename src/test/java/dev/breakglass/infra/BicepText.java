package dev.breakglass.infra;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Just enough of Bicep, read as text, for the consistency tests: there is no Bicep compiler on the build machines.
 * Comments are dropped first (outside strings), and blocks are delimited by matching brackets outside strings, so
 * formatting, comments and nested objects do not fool it.
 */
final class BicepText {

    private static final Pattern KEY = Pattern.compile("^\\s*('?)([A-Za-z0-9_.$-]+)\\1\\s*:", Pattern.MULTILINE);
    private static final Pattern STRING = Pattern.compile("'((?:[^'\\\\]|\\\\.)*)'");

    private final Path file;
    private final String code;

    private BicepText(Path file, String code) {
        this.file = file;
        this.code = code;
    }

    static BicepText read(Path file) {
        try {
            return new BicepText(file, withoutComments(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source without comments. */
    String code() {
        return code;
    }

    /** The keys at the top level of the object literal that follows {@code opening}, e.g. {@code "var appSettings = {"}. */
    Set<String> objectKeys(String opening) {
        String body = block(opening, '{', '}');
        Set<String> keys = new LinkedHashSet<>();
        Matcher key = KEY.matcher(topLevelOnly(body));
        while (key.find()) {
            keys.add(key.group(2));
        }
        return keys;
    }

    /** The value expression of {@code key} in the object literal that follows {@code opening}, up to the line's end. */
    String objectValue(String opening, String key) {
        String body = block(opening, '{', '}');
        // topLevelOnly keeps every character's position, so a match in it locates the same text in the body.
        Matcher entry = Pattern.compile("^\\s*'?" + Pattern.quote(key) + "'?\\s*:(.*)$", Pattern.MULTILINE)
                .matcher(topLevelOnly(body));
        if (!entry.find()) {
            throw new AssertionError(file + ": no key " + key + " after '" + opening + "'");
        }
        return body.substring(entry.start(1), entry.end(1)).trim();
    }

    /** The string literals of the array literal that follows {@code opening}, e.g. {@code "var graphPermissions = ["}. */
    List<String> stringArray(String opening) {
        List<String> values = new ArrayList<>();
        Matcher string = STRING.matcher(block(opening, '[', ']'));
        while (string.find()) {
            values.add(string.group(1));
        }
        return values;
    }

    boolean contains(Pattern pattern) {
        return pattern.matcher(code).find();
    }

    /** The text between the bracket that ends {@code opening} and its matching close, strings skipped. */
    private String block(String opening, char open, char close) {
        Matcher start = Pattern.compile(Pattern.quote(opening).replace(" ", "\\E\\s*\\Q")).matcher(code);
        if (!start.find() || code.charAt(start.end() - 1) != open) {
            throw new AssertionError(file + ": no '" + opening + "'");
        }
        int depth = 1;
        boolean inString = false;
        for (int i = start.end(); i < code.length(); i++) {
            char c = code.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '\'') {
                    inString = false;
                }
            } else if (c == '\'') {
                inString = true;
            } else if (c == open) {
                depth++;
            } else if (c == close) {
                depth--;
                if (depth == 0) {
                    return code.substring(start.end(), i);
                }
            }
        }
        throw new AssertionError(file + ": '" + opening + "' is never closed");
    }

    /** Blanks out everything nested deeper than the top level, so only top-level keys remain visible. */
    private static String topLevelOnly(String body) {
        StringBuilder out = new StringBuilder(body.length());
        int depth = 0;
        boolean inString = false;
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\' && i + 1 < body.length()) {
                    out.append(depth == 0 ? c : ' ');
                    c = body.charAt(++i);
                    out.append(depth == 0 ? c : ' ');
                    continue;
                }
                if (c == '\'') {
                    inString = false;
                }
            } else if (c == '\'') {
                inString = true;
            } else if (c == '{' || c == '[' || c == '(') {
                depth++;
            } else if (c == '}' || c == ']' || c == ')') {
                depth--;
                out.append(' ');
                continue;
            }
            out.append(depth == 0 || c == '\n' ? c : ' ');
        }
        return out.toString();
    }

    /** Drops {@code //} and {@code /* *}{@code /} comments that are not inside a string literal. */
    static String withoutComments(String source) {
        StringBuilder out = new StringBuilder(source.length());
        boolean inString = false;
        for (int i = 0; i < source.length(); i++) {
            char c = source.charAt(i);
            if (inString) {
                out.append(c);
                if (c == '\\' && i + 1 < source.length()) {
                    out.append(source.charAt(++i));
                } else if (c == '\'') {
                    inString = false;
                }
            } else if (c == '\'') {
                inString = true;
                out.append(c);
            } else if (source.startsWith("//", i)) {
                while (i < source.length() && source.charAt(i) != '\n') {
                    i++;
                }
                out.append('\n');
            } else if (source.startsWith("/*", i)) {
                int end = source.indexOf("*/", i + 2);
                i = end < 0 ? source.length() : end + 1;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
