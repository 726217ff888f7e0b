package samples.javaxscript;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Runs the javax-script sample against the real engine and checks every step's output. */
class JavaxScriptSampleTest {
    @Test
    void everyStepPrintsWhatItDocuments() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        JavaxScriptSample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).startsWith("engine: ")
                .contains("flagged: true\n")
                .contains("written back: total=7 upper=[BOOK, PEN]\n")
                .contains("read-only: ")
                .contains("printed: sqrt(2) = 1.4142\n")
                .contains("rule(250, FR) = true\n")
                .contains("rule(250, US) = false\n")
                .contains("rule(50, FR) = false\n")
                .contains("invokeFunction: 16.0\n")
                .contains("getInterface: 20.0\n")
                .containsPattern("refused: .*os");
    }
}
