package dev.breakglass.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.Step;
import dev.breakglass.spec.SpecLoader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** docs/permissions.md lists, in each step's row, every permission that step declares. */
class PermissionsDocTest {

    @ParameterizedTest(name = "BREAKGLASS_TAP_ENABLED={0}")
    @ValueSource(strings = {"false", "true"})
    void everyDeclaredPermissionIsDocumentedInItsStepsRow(String temporaryAccessPasses) throws IOException {
        String doc = Files.readString(Path.of("docs/permissions.md"));
        Engine engine = Engine.create(SpecLoader.load(Map.of(
                "BREAKGLASS_TENANT_ID", "00000000-0000-0000-0000-000000000001",
                "BREAKGLASS_KEY_VAULT_URI", "https://example.vault.azure.net",
                "BREAKGLASS_TAP_ENABLED", temporaryAccessPasses)), null);

        assertThat(engine.workflow().steps()).isNotEmpty().allSatisfy(step -> {
            Optional<String> row = doc.lines().filter(line -> line.startsWith("| `" + step.name() + "` |")).findFirst();
            assertThat(row).as("a row for %s", step.name()).isPresent();
            String[] cells = row.get().split("\\|");
            step.permissions().observe().forEach(p -> assertThat(cells[2]).as("%s observes with", step.name())
                    .contains("`" + p + "`"));
            step.permissions().apply().forEach(p -> assertThat(cells[3]).as("%s applies with", step.name())
                    .contains("`" + p + "`"));
        });
    }

    @Test
    void everyStepHasACheckHelpPage() {
        Engine engine = Engine.create(SpecLoader.load(Map.of(
                "BREAKGLASS_TENANT_ID", "00000000-0000-0000-0000-000000000001",
                "BREAKGLASS_KEY_VAULT_URI", "https://example.vault.azure.net")), null);

        for (Step step : engine.workflow().steps()) {
            Path page = Path.of("docs/checks/" + step.check().id() + ".md");
            assertThat(page).as("help page of %s", step.name()).exists();
            assertThat(page).content().startsWith("# " + step.check().id() + " — " + step.check().title());
        }
    }
}
