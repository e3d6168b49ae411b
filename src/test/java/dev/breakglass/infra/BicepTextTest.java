package dev.breakglass.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The text reader behind InfraConsistencyTest is not fooled by comments, strings or nesting. */
class BicepTextTest {

    private static final String SOURCE = """
            // var appSettings = { COMMENTED_OUT: 'x' }
            param greeting string = 'it\\'s // not a comment'
            var appSettings = {
              FIRST: 'https://example.com/a' // a URL is not a comment; this is
              'quoted-key': greeting
              /* BLOCK_COMMENTED: 'x' */
              NESTED: {
                INNER: 'not top level'
              }
              CALL: union({ ALSO_INNER: 1 }, {})
              LAST: cond
                ? 'a'
                : 'b'
            }
            var permissions = [
              'One.Read.All' // first
              'Two.ReadWrite.All'
            ]
            """;

    @TempDir
    Path dir;

    @Test
    void readsTopLevelKeysOnly() throws IOException {
        BicepText bicep = read();

        assertThat(bicep.objectKeys("var appSettings = {")).containsExactly("FIRST", "quoted-key", "NESTED", "CALL", "LAST");
        assertThat(bicep.objectValue("var appSettings = {", "FIRST")).isEqualTo("'https://example.com/a'");
        assertThat(bicep.objectValue("var appSettings = {", "CALL")).isEqualTo("union({ ALSO_INNER: 1 }, {})");
    }

    @Test
    void readsTheStringsOfAnArray() throws IOException {
        assertThat(read().stringArray("var permissions = [")).containsExactly("One.Read.All", "Two.ReadWrite.All");
    }

    @Test
    void dropsCommentsButNotCommentLookalikesInStrings() throws IOException {
        assertThat(read().code()).doesNotContain("COMMENTED_OUT").doesNotContain("BLOCK_COMMENTED")
                .doesNotContain("this is").contains("'it\\'s // not a comment'").contains("'https://example.com/a'");
    }

    private BicepText read() throws IOException {
        Path file = dir.resolve("main.bicep");
        Files.writeString(file, SOURCE);
        return BicepText.read(file);
    }
}
