package samples.operaton;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** Runs the Operaton sample: both orders priced and classified by Python, the hostile script refused. */
class OperatonSampleTest {
    @Test
    void ordersArePricedAndTheHostileScriptIsRefused() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        OperatonSample.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertThat(out).containsPattern("order \\S+: total=125 priority=high, waiting in \\[review\\]\n")
                .containsPattern("order \\S+: total=20 priority=normal, waiting in \\[review\\]\n")
                .contains("hostile: refused: ")
                .doesNotContain("root:");
    }
}
