package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;

/**
 * Guest source lines reach tracebacks through the sandbox's own linecache (pysandbox/lines.py), which
 * holds only the sources checked in its context and reads no file. Attacks from reading it: a tenant asks
 * for another tenant's file name, and for a host file that its configuration even lets it open.
 */
class SourceLinesTest {
    /** traceback.format_list with no line looks the line up in linecache, for any file name the guest names. */
    private static final String LINE_OF = "import traceback\n''.join(traceback.format_list([(name, 1, 'f', None)]))";

    @Test
    void tracebacksShowTheScriptsOwnLines() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().enable(Feature.TRACEBACK).build())) {
            Object text = sandbox.run("""
                    import traceback
                    def boom():
                        raise ValueError('deep')
                    try:
                        boom()
                    except ValueError:
                        text = traceback.format_exc()
                    text
                    """, null, null, true, "job.py");
            assertThat((String) text).contains("File \"job.py\", line 3, in boom").contains("raise ValueError('deep')")
                    .contains("    boom()");
        }
    }

    @Test
    void aTenantSeesNoOtherTenantsSourceUnderTheSameFileName() throws Exception {
        SandboxConfig config = SandboxConfig.builder().enable(Feature.TRACEBACK).build();
        try (Sandbox a = new Sandbox(config); Sandbox b = new Sandbox(config)) {
            a.run("secret = 'tenant-a-secret-line'", null, null, false, "shared.py");
            assertThat((String) a.run(LINE_OF, Map.of("name", "shared.py"), null, true, "probe.py"))
                    .as("the tenant's own line, so that the probe can see a line at all").contains("tenant-a-secret-line");
            assertThat((String) b.run(LINE_OF, Map.of("name", "shared.py"), null, true, "probe.py"))
                    .contains("File \"shared.py\", line 1").doesNotContain("tenant-a-secret");
        }
    }

    @Test
    void noFileIsReadForALineEvenOneTheGuestMayOpen(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("data.py"), "host_line = 'host-file-line'\n");
        SandboxConfig config = SandboxConfig.builder().enable(Feature.TRACEBACK).allowPath(dir).build();
        try (Sandbox sandbox = new Sandbox(config)) {
            assertThat(sandbox.eval("open(name).read()", Map.of("name", file.toString()))).asString().contains("host-file-line");
            assertThat((String) sandbox.run(LINE_OF, Map.of("name", file.toString()), null, true, "probe.py"))
                    .contains("line 1").doesNotContain("host-file-line");
        }
    }
}
