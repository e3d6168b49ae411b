package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The deployed security-event alert selects exactly the lines {@link FunctionsApp#securityEvent} writes. */
class SecurityEventTest {

    @Test
    void theAlertSelectsTheAppsSecurityEventPrefix() throws IOException {
        String alerts = Files.readString(Path.of("infra/modules/alerts.bicep"));
        Matcher events = Pattern.compile("var securityEvents = 'traces \\| where message contains \"([^\"]*)\"'")
                .matcher(alerts);

        assertThat(events.find()).as("alerts.bicep selects the security events by their marker").isTrue();
        assertThat(events.group(1)).isEqualTo(FunctionsApp.SECURITY_EVENT);
        assertThat(alerts).contains("query: securityEvents");
    }
}
