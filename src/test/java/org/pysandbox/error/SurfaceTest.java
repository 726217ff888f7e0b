package org.pysandbox.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A refusal's hint in the words of each surface: builder methods, javax.script attributes, CLI options. */
class SurfaceTest {
    @Test
    void featuresModulesAndPathsPerSurface() {
        assertThat(Surface.JAVA_API.render("feature 'stdout'")).isEqualTo("enable(\"stdout\")");
        assertThat(Surface.JAVAX_SCRIPT.render("feature 'stdout'")).isEqualTo("pysandbox.features=\"stdout\"");
        assertThat(Surface.COMMAND_LINE.render("feature 'stdout'")).isEqualTo("-f stdout");

        assertThat(Surface.JAVA_API.render("allowModule('os', ...)")).isEqualTo("allowModule(\"os\", ...)");
        assertThat(Surface.JAVAX_SCRIPT.render("allowModule('os', ...)")).isEqualTo("pysandbox.allowModules=\"os\"");
        assertThat(Surface.COMMAND_LINE.render("allowModule('os', ...)")).isEqualTo("--allow-module os");
        assertThat(Surface.COMMAND_LINE.render("allowModule('json', 'loads')")).isEqualTo("--allow-module json:loads");
        assertThat(Surface.JAVAX_SCRIPT.render("allowModule('json', 'loads')"))
                .isEqualTo("pysandbox.allowModules=\"json:loads\"");
        assertThat(Surface.COMMAND_LINE.render("allowModule('json')")).isEqualTo("--allow-module json");

        assertThat(Surface.COMMAND_LINE.render("allowPath('/data/x')")).isEqualTo("--allow-path /data/x");
        assertThat(Surface.JAVAX_SCRIPT.render("allowPath('/data/x')")).isEqualTo("pysandbox.allowPaths=\"/data/x\"");
        // a form the renderer does not know is shown as the guest said it, never dropped
        assertThat(Surface.COMMAND_LINE.render("something new")).isEqualTo("something new");
    }

    @Test
    void limitsPerSurface() {
        assertThat(Surface.COMMAND_LINE.renderLimit("pysandbox.maxMemory")).isEqualTo("--max-memory");
        assertThat(Surface.COMMAND_LINE.renderLimit("pysandbox.timeout")).isEqualTo("--timeout");
        assertThat(Surface.JAVAX_SCRIPT.renderLimit("pysandbox.timeout")).isEqualTo("pysandbox.timeout");
        assertThat(Surface.JAVA_API.renderLimit("pysandbox.recursionLimit")).isEqualTo("recursionLimit(...)");
    }

    @Test
    void aViolationCarriesItsHintToAnotherSurface() {
        SandboxViolationException java = new SandboxViolationException("ImportBlocked",
                "import of module 'os' is blocked by the sandbox", "allowModule('os', ...)", "x.py", 3, -1);
        assertThat(java.getPythonMessage()).endsWith("(allowed by allowModule(\"os\", ...))");
        SandboxViolationException jsr = java.forSurface(Surface.JAVAX_SCRIPT);
        assertThat(jsr.getPythonMessage()).isEqualTo(
                "import of module 'os' is blocked by the sandbox (allowed by pysandbox.allowModules=\"os\")");
        assertThat(jsr.getSetting()).isEqualTo("allowModule('os', ...)");
        assertThat(jsr.getLineNumber()).isEqualTo(3);
        assertThat(jsr.getFileName()).isEqualTo("x.py");
    }
}
