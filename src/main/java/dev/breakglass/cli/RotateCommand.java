package dev.breakglass.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.breakglass.azure.Engine;
import dev.breakglass.reconcile.CloudException;
import dev.breakglass.reconcile.RunReads;
import dev.breakglass.reconcile.StepContext;
import dev.breakglass.spec.Account;
import dev.breakglass.spec.SpecValidationException;
import dev.breakglass.steps.password.PasswordRotation;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code breakglass rotate <key>}: rotates one account's password on purpose (new Key Vault version first,
 * then the user, then the old version disabled). Safe to run again after any failure: it finishes the
 * rotation that was interrupted. Never prints the password; read it from Key Vault.
 */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Rotate an emergency account's password: a new Key Vault version, set on the user, the old "
                + "version disabled. Safe to re-run after a failure. The password is never printed.")
final class RotateCommand extends TenantCommand {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Parameters(index = "0", paramLabel = "KEY", description = "The account key, e.g. bg01.")
    String key;

    @Override
    int run() {
        Engine engine = engine();
        Account account = engine.spec().accounts().stream().filter(a -> a.key().equals(key)).findFirst()
                .orElseThrow(() -> new SpecValidationException(List.of("no emergency account '" + key + "'; keys are "
                        + engine.spec().accounts().stream().map(Account::key).toList())));
        try {
            PasswordRotation.Rotated rotated = engine.passwordRotation()
                    .rotate(new StepContext(engine.spec(), account, new RunReads()));
            String human = (rotated.resumed() ? "Finished an interrupted rotation of " : "Rotated the password of ")
                    + rotated.account() + " (" + rotated.userPrincipalName() + "): Key Vault version " + rotated.version()
                    + " is active; " + rotated.disabled().size() + " older version(s) disabled." + System.lineSeparator();
            print(Map.of("command", "rotate", "succeeded", true, "rotation", rotated), human);
            return ExitCodes.OK;
        } catch (CloudException e) {
            String error = e.code() + ": " + e.getMessage();
            if (json) {
                out().println(Rendering.json(CliResult.failed("rotate", List.of(error))));
            } else {
                err().println("Rotation stopped: " + Terminal.printable(error));
                err().println("Re-run the same command to finish it; the current password is always in an enabled "
                        + "Key Vault version.");
            }
            return ExitCodes.NOT_IN_DESIRED_STATE;
        }
    }

    private void print(Map<String, Object> document, String human) {
        try {
            out().print(json ? JSON.writeValueAsString(document) + System.lineSeparator() : human);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("writing the rotation result", e);
        }
        out().flush();
    }
}
