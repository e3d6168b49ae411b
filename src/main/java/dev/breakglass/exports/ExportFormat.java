package dev.breakglass.exports;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The files other tools read to recognise the emergency accounts, so that they stop flagging the
 * exclusions breakglass made on purpose and agree with it on which accounts those are. How each tool
 * consumes its file: {@code docs/exports.md}.
 */
public enum ExportFormat {

    MAESTER("maester", "application/json", "maester-config.json", MaesterConfig::render),
    SCUBAGEAR("scubagear", "application/yaml", "scubagear-aad.yaml", ScubaGearConfig::render),
    ZTA("zta", "application/json", "zt-config.json", ZeroTrustAssessmentConfig::render),
    SENTINEL("sentinel", "text/csv", SentinelWatchlist.ALIAS + ".csv", SentinelWatchlist::render);

    private final String id;
    private final String mediaType;
    private final String fileName;
    private final Function<Inventory, String> renderer;

    ExportFormat(String id, String mediaType, String fileName, Function<Inventory, String> renderer) {
        this.id = id;
        this.mediaType = mediaType;
        this.fileName = fileName;
        this.renderer = renderer;
    }

    /** The name in {@code GET /api/exports/{format}} and {@code breakglass export <format>}. */
    public String id() {
        return id;
    }

    public String mediaType() {
        return mediaType;
    }

    /** The file name the tool expects (or that names the watchlist). */
    public String fileName() {
        return fileName;
    }

    public String render(Inventory inventory) {
        return renderer.apply(inventory);
    }

    /** By its {@link #id()}, case-insensitively. */
    public static Optional<ExportFormat> of(String id) {
        return Arrays.stream(values()).filter(format -> format.id.equals(id == null ? null : id.toLowerCase(Locale.ROOT)))
                .findFirst();
    }

    public static List<String> ids() {
        return Arrays.stream(values()).map(ExportFormat::id).toList();
    }
}
