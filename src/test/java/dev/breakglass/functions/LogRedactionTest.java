package dev.breakglass.functions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.breakglass.testing.LogCapture;
import dev.breakglass.testing.reliability.Covers;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class LogRedactionTest {

    @ParameterizedTest(name = "{0}")
    @Covers(value = {"H3"}, proves = "The redaction removes bearer tokens, function keys (code=), SAS signatures "
            + "(sig=), client_secret= and access_token= from URLs and free text and keeps the rest of the line")
    @CsvSource(delimiter = '|', textBlock = """
            bearer header       | Authorization: Bearer eyJ0eXAi.eyJzdWIi.c2lnbmF0dXJl                | eyJ0eXAi   | Authorization: Bearer
            lower-case bearer   | sent bearer abc.DEF-123_~+/= to Graph                               | abc.DEF    | to Graph
            function key query  | GET https://app.azurewebsites.net/api/runs/1?code=Zm9vYmFy== done   | Zm9vYmFy   | /api/runs/1?code=
            function key second | POST /api/provision?x=1&code=s3cr3tKey&y=2                          | s3cr3tKey  | &y=2
            SAS signature       | https://acct.blob.core.windows.net/c/b?sv=2022&sig=AbC%2Fd%3D&se=1  | AbC%2Fd    | sv=2022&sig=
            client secret form  | grant_type=client_credentials&client_secret=Qx8~secretvalue&scope=x | Qx8~secret | &scope=x
            access token text   | token response access_token=eyJhbGciOi rest                         | eyJhbGciOi | rest
            json style          | {"access_token": "eyJhbGciOiJSUzI1"}                                | eyJhbGciOi | access_token
            function key header | x-functions-key: hostKeyValue123                                    | hostKeyVal | x-functions-key
            """)
    void redactsCredentialsInUrlsAndText(String reason, String line, String secret, String kept) {
        String redacted = LogRedaction.redact(line);

        assertThat(redacted).as(reason).doesNotContain(secret).contains(LogRedaction.REDACTED).contains(kept);
    }

    @Test
    void leavesLinesWithoutCredentialsAlone() {
        String line = "Answered 404 errorCode=RunNotFound for GET https://x.net/api/runs/1?dryRun=true (encoded code)";

        assertThat(LogRedaction.redact(line)).isEqualTo(line);
    }

    @Test
    @Covers(value = {"H3"}, proves = "A logger with the redaction installed hands its handlers records whose message, "
            + "parameters and thrown exception chain no longer hold a bearer token or function key")
    void aLoggerWithRedactionRewritesMessageParametersAndThrownBeforeAnyHandler() {
        Logger logger = LogRedaction.install(Logger.getLogger("dev.breakglass.test.redaction"));
        List<LogRecord> records;
        try (LogCapture capture = LogCapture.start()) {
            logger.log(Level.WARNING, "calling {0} with {1}", new Object[] {"/api/x?code=KEY1", "Bearer TOKEN2"});
            logger.log(Level.WARNING, "failed", new IllegalStateException("sig=SIG3",
                    new RuntimeException("client_secret=SECRET4")));
            records = capture.records();
        }

        assertThat(records).hasSize(2);
        String everything = records.get(0).getMessage() + List.of(records.get(0).getParameters())
                + records.get(1).getThrown().getMessage() + records.get(1).getThrown().getCause().getMessage();
        assertThat(everything).doesNotContain("KEY1", "TOKEN2", "SIG3", "SECRET4")
                .contains("IllegalStateException", "calling");
        assertThat(records.get(1).getThrown().getStackTrace()).isNotEmpty();
    }
}
