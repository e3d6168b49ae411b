package dev.breakglass.infra;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.breakglass.spec.Setting;
import dev.breakglass.testing.DeclaredPermissions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/**
 * infra/ deploys exactly what the code reads and needs, without Azure and without a Bicep compiler: the app settings,
 * the Graph permissions, and the runtime (Java version, app name, Functions version) agree across the Setting enum and
 * the sources, the steps' declarations, main.bicep and its modules, local.settings.sample.json, README.md,
 * docs/permissions.md (PermissionsDocTest), host.json, azure.yaml and the pom. Each failure names the item.
 */
class InfraConsistencyTest {

    private static final Path MAIN = Path.of("infra/main.bicep");
    private static final Path GRAPH = Path.of("infra/modules/graph-permissions.bicep");
    private static final Path FUNCTION_APP = Path.of("infra/modules/functionapp.bicep");
    private static final String APP_SETTINGS = "var appSettings = {";
    private static final Pattern SETTING_IN_SOURCE = Pattern.compile("\\bBREAKGLASS_[A-Z0-9_]*[A-Z0-9]\\b");

    /** Settings the code reads that a deployment must not set, and why. */
    private static final Map<String, String> NOT_DEPLOYED = Map.of(
            Setting.STATIC_TOKEN.key(), "a bearer token for tests against the fake tenant; refused for public-cloud hosts");

    /** Settings that are not breakglass's own but that the code, the Functions host or the SDKs read, and why. */
    private static final Map<String, String> PLATFORM = Map.of(
            "AzureWebJobsStorage__credential", "identity-based host storage (StorageConnection, the queue triggers)",
            "AzureWebJobsStorage__clientId", "the user-assigned identity of that connection",
            "AzureWebJobsStorage__blobServiceUri", "the host's own leases and keys",
            "AzureWebJobsStorage__queueServiceUri", "the step queues (StorageConnection, the queue triggers)",
            "AzureWebJobsStorage__tableServiceUri", "the run table (StorageConnection)",
            "APPLICATIONINSIGHTS_CONNECTION_STRING", "where the host and the Java worker send telemetry",
            "APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "Entra ID authentication of that telemetry (local auth is off)",
            "AZURE_CLIENT_ID", "azure-identity's default user-assigned identity (the app passes its client id itself)",
            "FUNCTIONS_EXTENSION_VERSION", "the Functions host version (not an app setting on Flex Consumption)",
            "FUNCTIONS_WORKER_RUNTIME", "the worker runtime (not an app setting on Flex Consumption)");

    /** The local form of the storage connection, for Azurite. */
    private static final Set<String> LOCAL_ONLY = Set.of("AzureWebJobsStorage");

    /**
     * Graph permissions granted only when a Bicep bool parameter is true. To make a permission conditional: declare it
     * in the step as usual, list it in a Bicep array looped with {@code [for p in <array>: if (<parameter>) {...}]} in
     * graph-permissions.bicep (not in graphPermissions), pass the parameter to the app setting that turns the feature
     * on in main.bicep's appSettings, and add a row here. Until that setting exists in the code, the grant is
     * "prepared": allowed in Bicep although no step declares it yet; once it exists, a step must declare it.
     */
    private static final List<ConditionalGrant> CONDITIONAL = List.of(
            new ConditionalGrant("UserAuthenticationMethod.ReadWrite.All", "temporaryAccessPassPermissions",
                    "enableTemporaryAccessPass", "BREAKGLASS_TAP_ENABLED"));

    record ConditionalGrant(String permission, String bicepArray, String bicepParameter, String setting) {
    }

    @Test
    void everySettingTheCodeReadsIsSetByMainBicep() {
        Set<String> set = BicepText.read(MAIN).objectKeys(APP_SETTINGS);

        assertThat(minus(minus(codeSettings(), NOT_DEPLOYED.keySet()), set))
                .as("settings the code reads that main.bicep's appSettings does not set").isEmpty();
        assertThat(set).as("identity-based storage settings StorageConnection needs")
                .contains("AzureWebJobsStorage__queueServiceUri", "AzureWebJobsStorage__tableServiceUri",
                        "AzureWebJobsStorage__credential", "AzureWebJobsStorage__clientId");
    }

    @Test
    void mainBicepSetsNothingThatNothingReads() {
        Set<String> set = BicepText.read(MAIN).objectKeys(APP_SETTINGS);

        assertThat(minus(minus(set, codeSettings()), PLATFORM.keySet()))
                .as("settings main.bicep sets that no code reads (add a reason to PLATFORM if the platform reads it)")
                .isEmpty();
        assertThat(intersection(set, NOT_DEPLOYED.keySet())).as("settings that must not be deployed").isEmpty();
    }

    /** ARM's string(true) is "True"; the settings are documented as "true" and "false", and not every reader lowercases. */
    @Test
    void boolParametersBecomeLowerCaseSettings() {
        BicepText main = BicepText.read(MAIN);
        Matcher bool = Pattern.compile("(?m)^param\\s+(\\w+)\\s+bool\\b").matcher(main.code());
        Set<String> stringified = new TreeSet<>();
        while (bool.find()) {
            if (main.contains(Pattern.compile("\\bstring\\(\\s*" + bool.group(1) + "\\s*\\)"))) {
                stringified.add(bool.group(1));
            }
        }

        assertThat(stringified).as("bool parameters passed through string() (write: p ? 'true' : 'false')").isEmpty();
    }

    @Test
    void everySettingTheCodeReadsIsDocumentedInTheSampleAndTheReadme() throws IOException {
        Set<String> sample = new TreeSet<>();
        new ObjectMapper().readTree(Path.of("local.settings.sample.json").toFile()).get("Values").fieldNames()
                .forEachRemaining(sample::add);
        String readme = Files.readString(Path.of("README.md"));

        assertThat(minus(codeSettings(), sample)).as("settings missing from local.settings.sample.json").isEmpty();
        assertThat(minus(minus(minus(sample, codeSettings()), PLATFORM.keySet()), LOCAL_ONLY))
                .as("settings in local.settings.sample.json that no code reads").isEmpty();
        assertThat(codeSettings().stream().filter(key -> !readme.contains("`" + key + "`")).toList())
                .as("settings the README's configuration table does not document").isEmpty();
    }

    @Test
    void theGraphPermissionsGrantedAreExactlyTheOnesTheStepsDeclare() {
        BicepText graph = BicepText.read(GRAPH);
        Set<String> declared = DeclaredPermissions.graph();
        Set<String> conditional = new TreeSet<>(CONDITIONAL.stream().map(ConditionalGrant::permission).toList());
        Set<String> granted = new TreeSet<>(graph.stringArray("var graphPermissions = ["));

        assertThat(minus(minus(declared, conditional), granted))
                .as("Graph permissions the steps declare that graph-permissions.bicep does not grant").isEmpty();
        assertThat(minus(granted, declared)).as("Graph permissions granted that no step declares").isEmpty();
        assertThat(intersection(granted, conditional)).as("conditional permissions granted unconditionally").isEmpty();
        assertThat(graph.contains(loop("graphPermissions", null))).as("graphPermissions is granted by a loop").isTrue();
    }

    @Test
    void aConditionalGraphPermissionIsGrantedOnlyUnderItsParameterAndOnlyForAFeatureTheCodeHasOrPrepares() {
        BicepText graph = BicepText.read(GRAPH);
        BicepText main = BicepText.read(MAIN);
        Set<String> declared = DeclaredPermissions.graph();
        for (ConditionalGrant grant : CONDITIONAL) {
            assertThat(graph.stringArray("var " + grant.bicepArray() + " = ["))
                    .as("%s lists %s", grant.bicepArray(), grant.permission()).contains(grant.permission());
            assertThat(graph.contains(loop(grant.bicepArray(), grant.bicepParameter())))
                    .as("%s is granted only if (%s)", grant.bicepArray(), grant.bicepParameter()).isTrue();
            assertThat(main.contains(Pattern.compile("\\bparam\\s+" + grant.bicepParameter() + "\\s+bool\\b")))
                    .as("main.bicep declares param %s bool", grant.bicepParameter()).isTrue();
            assertThat(main.contains(Pattern.compile("\\b" + grant.bicepParameter() + "\\s*:\\s*" + grant.bicepParameter()
                    + "\\b"))).as("main.bicep passes %s to graph-permissions.bicep", grant.bicepParameter()).isTrue();
            if (codeSettings().contains(grant.setting())) {
                assertThat(declared).as("%s turns the feature on, so a step must declare %s", grant.setting(),
                        grant.permission()).contains(grant.permission());
                assertThat(main.objectValue(APP_SETTINGS, grant.setting()))
                        .as("main.bicep sets %s from %s", grant.setting(), grant.bicepParameter())
                        .contains(grant.bicepParameter());
            }
        }
        Set<String> conditionalArrays = new TreeSet<>(CONDITIONAL.stream().map(ConditionalGrant::bicepArray).toList());
        for (String array : conditionalArrays) {
            assertThat(graph.stringArray("var " + array + " = ["))
                    .as("permissions in %s without a ConditionalGrant row", array)
                    .allMatch(permission -> CONDITIONAL.stream().anyMatch(grant -> grant.permission().equals(permission)
                            && grant.bicepArray().equals(array)));
        }
    }

    @Test
    void theAzureRolesGrantedAreTheOnesDocsPermissionsExplains() throws IOException {
        String doc = Files.readString(Path.of("docs/permissions.md"));
        String table = doc.substring(doc.indexOf("## Azure roles"), doc.indexOf("### Tenant scope"));
        Set<String> documented = new TreeSet<>();
        table.lines().filter(line -> line.startsWith("| ") && !line.startsWith("| Role ") && !line.startsWith("|---"))
                .forEach(row -> documented.add(lowerCamel(row.split("\\|")[1].trim())));
        Set<String> granted = BicepText.read(Path.of("infra/modules/roles.bicep")).objectKeys("var roles = {");

        assertThat(granted).as("roles in roles.bicep (keys are the role names in lowerCamelCase), against the "
                + "'Azure roles' table of docs/permissions.md").containsExactlyInAnyOrderElementsOf(documented);
    }

    @Test
    void theRuntimeAgreesWithThePom() throws Exception {
        Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
        var xpath = XPathFactory.newInstance().newXPath();
        String release = xpath.evaluate("/project/properties/*[local-name()='maven.compiler.release']", pom);
        String appName = xpath.evaluate("/project/properties/functionAppName", pom);
        String plugin = "/project/build/plugins/plugin[artifactId='azure-functions-maven-plugin']/configuration";
        String pluginJava = xpath.evaluate(plugin + "/runtime/javaVersion", pom);
        String pluginOs = xpath.evaluate(plugin + "/runtime/os", pom);
        String extensionVersion = xpath.evaluate(plugin + "/appSettings/property[name='FUNCTIONS_EXTENSION_VERSION']/value", pom);
        String azd = Files.readString(Path.of("azure.yaml"));
        JsonNode host = new ObjectMapper().readTree(Path.of("host.json").toFile());
        BicepText functionApp = BicepText.read(FUNCTION_APP);

        assertThat(pluginJava).as("azure-functions-maven-plugin javaVersion vs maven.compiler.release").isEqualTo(release);
        assertThat(functionApp.code()).as("functionapp.bicep's Java version")
                .containsPattern("var javaVersion = '" + release + "'").containsPattern("name: 'java'");
        assertThat(pluginOs).as("the plugin's OS, as Flex Consumption runs it").isEqualTo("linux");
        assertThat(functionApp.code()).contains("kind: 'functionapp,linux'").contains("tier: 'FlexConsumption'");

        assertThat(yaml(azd, "services:\\n  (\\w+):")).as("azure.yaml's one service").isNotNull();
        assertThat(yaml(azd, "\\n    language: (\\S+)")).as("azure.yaml language").isEqualTo("java");
        assertThat(yaml(azd, "\\n    host: (\\S+)")).as("azure.yaml host").isEqualTo("function");
        assertThat(yaml(azd, "\\n    dist: (\\S+)")).as("azure.yaml dist: the plugin's output for the pom's appName")
                .isEqualTo("target/azure-functions/" + appName);
        assertThat(BicepText.read(MAIN).code()).as("main.bicep tags the Function App with azure.yaml's service name")
                .contains("'azd-service-name': '" + yaml(azd, "services:\\n  (\\w+):") + "'");
        assertThat(yaml(azd, "\\ninfra:\\n(?:  .*\\n)*?  path: (\\S+)") + "/"
                + yaml(azd, "\\ninfra:\\n(?:  .*\\n)*?  module: (\\S+)") + ".bicep")
                .as("azure.yaml infra path and module").isEqualTo(MAIN.toString());

        String major = extensionVersion.replace("~", "");
        assertThat(host.path("version").asText()).as("host.json schema version").isEqualTo("2.0");
        assertThat(host.at("/extensionBundle/version").asText()).as("host.json extension bundle vs FUNCTIONS_EXTENSION_VERSION %s",
                extensionVersion).startsWith("[" + major + ".").endsWith(", " + (Integer.parseInt(major) + 1) + ".0.0)");
    }

    @Test
    void theParameterFilesNameOnlyDeclaredParameters() throws IOException {
        BicepText main = BicepText.read(MAIN);
        Iterator<String> names = new ObjectMapper().readTree(Path.of("infra/main.parameters.json").toFile())
                .path("parameters").fieldNames();
        Set<String> undeclared = new TreeSet<>();
        names.forEachRemaining(name -> {
            if (!main.contains(Pattern.compile("(?m)^param\\s+" + Pattern.quote(name) + "\\s"))) {
                undeclared.add(name);
            }
        });

        assertThat(undeclared).as("main.parameters.json parameters main.bicep does not declare").isEmpty();
    }

    @Test
    void theLogicAppModuleSuppliesExactlyTheWorkflowsParameters() throws IOException {
        Set<String> workflow = new TreeSet<>();
        new ObjectMapper().readTree(Path.of("infra/logicapp/workflow.json").toFile()).path("parameters").fieldNames()
                .forEachRemaining(workflow::add);

        assertThat(BicepText.read(Path.of("infra/modules/logicapp.bicep")).objectKeys("parameters: {"))
                .as("parameters logicapp.bicep gives the workflow").containsExactlyInAnyOrderElementsOf(workflow);
    }

    /**
     * The settings the code reads: the Setting enum, and every BREAKGLASS_* name written anywhere in the main sources
     * (the Functions app reads a few outside the enum), so a setting added on any branch is checked here.
     */
    static Set<String> codeSettings() {
        Set<String> keys = new TreeSet<>();
        for (Setting setting : Setting.values()) {
            keys.add(setting.key());
        }
        try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
            sources.filter(path -> path.toString().endsWith(".java")).forEach(path -> {
                Matcher name = SETTING_IN_SOURCE.matcher(read(path));
                while (name.find()) {
                    keys.add(name.group());
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return keys;
    }

    /** "Key Vault Secrets Officer" → keyVaultSecretsOfficer. */
    private static String lowerCamel(String roleName) {
        StringBuilder name = new StringBuilder();
        for (String word : roleName.split(" ")) {
            name.append(name.length() == 0 ? word.toLowerCase(java.util.Locale.ROOT)
                    : Character.toUpperCase(word.charAt(0)) + word.substring(1));
        }
        return name.toString();
    }

    /** The first group of {@code regex} in azure.yaml (a flat file: a regex is enough, and needs no YAML library). */
    private static String yaml(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        return matcher.find() ? matcher.group(1) : null;
    }

    /** {@code resource … = [for x in <array>: {} ]}, or {@code …: if (<parameter>) {…}} when a parameter is given. */
    private static Pattern loop(String array, String parameter) {
        return Pattern.compile("\\[for\\s+\\w+\\s+in\\s+" + array + "\\s*:\\s*"
                + (parameter == null ? "\\{" : "if\\s*\\(\\s*" + parameter + "\\s*\\)\\s*\\{"));
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Set<String> minus(Set<String> from, Set<String> remove) {
        Set<String> result = new TreeSet<>(from);
        result.removeAll(remove);
        return result;
    }

    private static Set<String> intersection(Set<String> a, Set<String> b) {
        Set<String> result = new TreeSet<>(a);
        result.retainAll(b);
        return result;
    }
}
