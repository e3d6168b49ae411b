package dev.breakglass.cli;

/** Keeps text that came from a tenant (display names, error messages) from steering the terminal. */
final class Terminal {

    private Terminal() {
    }

    static String printable(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(cp -> {
            boolean bidiOverride = (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
            if (Character.isISOControl(cp) || bidiOverride) {
                out.append(String.format("\\u%04x", cp));
            } else {
                out.appendCodePoint(cp);
            }
        });
        return out.toString();
    }
}
