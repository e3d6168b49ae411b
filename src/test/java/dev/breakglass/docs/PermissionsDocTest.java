package dev.breakglass.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.reconcile.Step;
import dev.breakglass.testing.DeclaredPermissions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * docs/permissions.md lists, in each step's row, every permission that step declares, and its Graph permissions are
 * exactly the ones the steps declare (infra/ grants the same set: InfraConsistencyTest).
 */
class PermissionsDocTest {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    /** A Graph permission name, e.g. {@code RoleManagement.ReadWrite.Directory}. */
    private static final Pattern GRAPH_PERMISSION = Pattern.compile("[A-Z][A-Za-z]+(\\.[A-Z][A-Za-z]+)+");

    @ParameterizedTest(name = "BREAKGLASS_TAP_ENABLED={0}")
    @ValueSource(booleans = {false, true})
    void everyDeclaredPermissionIsDocumentedInItsStepsRow(boolean temporaryAccessPasses) throws IOException {
        String doc = Files.readString(Path.of("docs/permissions.md"));

        assertThat(DeclaredPermissions.steps(temporaryAccessPasses)).isNotEmpty().allSatisfy(step -> {
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
    void theGraphPermissionsInTheStepTableAreExactlyTheOnesTheStepsDeclare() throws IOException {
        Set<String> documented = new TreeSet<>();
        Files.readString(Path.of("docs/permissions.md")).lines().filter(line -> line.startsWith("| `")).forEach(row -> {
            String[] cells = row.split("\\|");
            Matcher span = CODE_SPAN.matcher(cells[2] + " " + cells[3]);
            while (span.find()) {
                if (DeclaredPermissions.isGraph(span.group(1)) && GRAPH_PERMISSION.matcher(span.group(1)).matches()) {
                    documented.add(span.group(1));
                }
            }
        });

        assertThat(documented).as("Graph permissions listed in docs/permissions.md, against those the steps declare")
                .containsExactlyInAnyOrderElementsOf(DeclaredPermissions.graph());
    }

    @Test
    void everyStepHasACheckHelpPage() {
        for (Step step : DeclaredPermissions.steps()) {
            Path page = Path.of("docs/checks/" + step.check().id() + ".md");
            assertThat(page).as("help page of %s", step.name()).exists();
            assertThat(page).content().startsWith("# " + step.check().id() + " — " + step.check().title());
        }
    }
}
