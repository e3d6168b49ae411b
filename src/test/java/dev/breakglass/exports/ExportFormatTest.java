package dev.breakglass.exports;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Golden shapes of the exports, against the documented formats: Maester's
 * {@code GlobalSettings.EmergencyAccessAccounts} entries ({@code Type}, {@code Id}), ScubaGear's {@code Aad}
 * policy keys with {@code CapExclusions}/{@code RoleExclusions} {@code Users}/{@code Groups} lists, the Zero
 * Trust Assessment's {@code Tests} key, and a CSV that keeps awkward display names in one field.
 */
class ExportFormatTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Inventory INVENTORY = new Inventory("11111111-1111-1111-1111-111111111111",
            new Inventory.Group("22222222-2222-2222-2222-222222222222", "Emergency access: CA exclusion", "bg-ca"),
            List.of(new Inventory.Member("bg01", "bg01@contoso.onmicrosoft.com", "10000000-0000-0000-0000-000000000001",
                            "Emergency \"access\", 01\nsecond line"),
                    new Inventory.Member("bg02", "bg02@contoso.onmicrosoft.com", "1e100000-0000-0000-0000-000000000002",
                            null)));

    @Test
    void maesterHasExactlyTheDocumentedKeys() throws IOException {
        JsonNode root = JSON.readTree(ExportFormat.MAESTER.render(INVENTORY));

        assertThat(root.fieldNames()).toIterable().containsExactly("GlobalSettings");
        assertThat(root.get("GlobalSettings").fieldNames()).toIterable().containsExactly("EmergencyAccessAccounts");
        JsonNode entry = root.at("/GlobalSettings/EmergencyAccessAccounts/0");
        assertThat(entry.fieldNames()).toIterable().containsExactly("Type", "Id");
        assertThat(entry.get("Type").asText()).isIn("User", "Group");
    }

    @Test
    void scubaGearListsEveryPolicyThatAcceptsExclusionsAndNothingElse() throws IOException {
        String yaml = ExportFormat.SCUBAGEAR.render(INVENTORY);
        JsonNode root = new YAMLMapper().readTree(yaml);

        assertThat(root.fieldNames()).toIterable().containsExactly("ProductNames", "Aad");
        assertThat(root.get("Aad").fieldNames()).toIterable().containsExactly("MS.AAD.1.1v1", "MS.AAD.2.1v1",
                "MS.AAD.2.3v1", "MS.AAD.3.1v1", "MS.AAD.3.2v1", "MS.AAD.3.6v1", "MS.AAD.3.7v1", "MS.AAD.3.8v1",
                "MS.AAD.7.4v1");
        root.get("Aad").fields().forEachRemaining(policy -> {
            JsonNode exclusions = policy.getValue().get(policy.getKey().equals("MS.AAD.7.4v1") ? "RoleExclusions"
                    : "CapExclusions");
            assertThat(exclusions).as(policy.getKey()).isNotNull();
            assertThat(exclusions.get("Users")).hasSize(2);
        });
        assertThat(root.at("/Aad/MS.AAD.7.4v1/RoleExclusions/Users/1").isTextual())
                .as("an id that looks like a number in scientific notation stays a string").isTrue();
        assertThat(yaml).doesNotStartWith("---");
    }

    @Test
    void zeroTrustAssessmentReadsOnlyTestsAndTheRestIsForPeople() throws IOException {
        JsonNode root = JSON.readTree(ExportFormat.ZTA.render(INVENTORY));

        assertThat(root.get("Tests").get(0).asText()).isEqualTo("21835");
        assertThat(root.fieldNames()).toIterable().containsExactly("Tests", "BreakGlass");
        assertThat(root.at("/BreakGlass/TenantId").asText()).isEqualTo(INVENTORY.tenantId());
    }

    @Test
    void sentinelQuotesCommasQuotesAndLineBreaksSoEachAccountStaysOneRow() throws IOException {
        String csv = ExportFormat.SENTINEL.render(INVENTORY);

        assertThat(csv.lines().findFirst()).contains("UserPrincipalName,ObjectId,DisplayName,AccountKey,ExclusionGroupId");
        try (MappingIterator<List<String>> rows = new CsvMapper().readerForListOf(String.class)
                .with(CsvSchema.emptySchema().withSkipFirstDataRow(true)).with(com.fasterxml.jackson.dataformat.csv.CsvParser.Feature.WRAP_AS_ARRAY)
                .readValues(csv)) {
            List<List<String>> all = rows.readAll();
            assertThat(all).hasSize(2);
            assertThat(all.get(0)).containsExactly("bg01@contoso.onmicrosoft.com", "10000000-0000-0000-0000-000000000001",
                    "Emergency \"access\", 01\nsecond line", "bg01", "22222222-2222-2222-2222-222222222222");
            assertThat(all.get(1).get(2)).isEmpty();
        }
    }

    @Test
    void formatsAreFoundByNameCaseInsensitivelyAndUnknownOnesAreNot() {
        assertThat(ExportFormat.of("Maester")).contains(ExportFormat.MAESTER);
        assertThat(ExportFormat.of("csv")).isEmpty();
        assertThat(ExportFormat.of(null)).isEmpty();
        assertThat(ExportFormat.ids()).containsExactly("maester", "scubagear", "zta", "sentinel");
    }
}
