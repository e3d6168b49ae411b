package dev.breakglass.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.Permissions;
import dev.breakglass.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** docs/permissions.md lists, in each on-request operation's row, every permission that operation declares. */
class OperationsPermissionsDocTest {

    @Test
    void rotationAndExportPermissionsAreDocumentedInTheirRows() throws IOException {
        String doc = Files.readString(Path.of("docs/permissions.md"));
        Engine engine = Engine.create(SpecLoader.load(Map.of(
                "BREAKGLASS_TENANT_ID", "00000000-0000-0000-0000-000000000001",
                "BREAKGLASS_KEY_VAULT_URI", "https://example.vault.azure.net")), null);

        assertDocumented(doc, "PasswordRotation", engine.passwordRotation().permissions());
        assertDocumented(doc, "InventoryReader", engine.inventory().permissions());
    }

    private static void assertDocumented(String doc, String name, Permissions permissions) {
        Optional<String> row = doc.lines().filter(line -> line.startsWith("| `" + name + "` |")).findFirst();
        assertThat(row).as("a row for %s", name).isPresent();
        String[] cells = row.get().split("\\|");
        permissions.observe().forEach(p -> assertThat(cells[2]).as("%s observes with", name).contains("`" + p + "`"));
        permissions.apply().forEach(p -> assertThat(cells[3]).as("%s applies with", name).contains("`" + p + "`"));
    }
}
