package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Properties;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.Test;

/**
 * The policy's build-time code (PolicyBytecode) is used only when it was made from the jar's own source by the
 * running GraalPy release; anything else falls back to compiling the source, never to other code.
 */
class PolicyBytecodeTest {
    private static InputStream resource(String name) {
        return PolicyBytecode.class.getResourceAsStream(PolicyScripts.RESOURCES + name);
    }

    @Test
    void theBuildMadeCodeForEveryModule() {
        PolicyBytecode.Codes codes = PolicyBytecode.forModules();
        assertThat(codes.version()).startsWith("graalpy");
        assertThat(codes.codes()).hasSize(PolicyScripts.MODULES.length).doesNotContainNull();
    }

    @Test
    void codeMadeFromOtherSourceIsNotUsed() throws IOException {
        Properties manifest = new Properties();
        try (InputStream in = Objects.requireNonNull(resource(PolicyBytecode.MANIFEST))) {
            manifest.load(in);
        }
        manifest.setProperty("guards.sha256", PolicyBytecode.sha256("# an older guards.py"));
        ByteArrayOutputStream edited = new ByteArrayOutputStream();
        manifest.store(edited, null);
        PolicyBytecode.Codes codes = PolicyBytecode.read(name -> name.equals(PolicyBytecode.MANIFEST)
                ? new ByteArrayInputStream(edited.toByteArray()) : resource(name));
        int guards = Arrays.asList(PolicyScripts.MODULES).indexOf("guards");
        assertThat(codes.codes()[guards]).isNull();
        assertThat(codes.codes()[guards + 1]).isNotNull();
    }

    @Test
    void withoutAManifestEveryModuleIsCompiledFromSource() {
        assertThat(PolicyBytecode.read(name -> null).codes()).containsOnlyNulls();
    }

    @Test
    void theLoaderUsesCodeOnlyFromTheRunningInterpreterRelease() {
        try (Context context = Context.newBuilder(PolicyScripts.LANGUAGE).option("engine.WarnInterpreterOnly", "false").build()) {
            Value load = context.eval(PolicyScripts.LOADER);
            String running = context.getBindings(PolicyScripts.LANGUAGE).getMember("_pysandbox_code_version").execute().asString();
            String garbage = new String(new byte[] {'n', 'o', 't', ' ', 'c', 'o', 'd', 'e'}, StandardCharsets.ISO_8859_1);
            // another release's code is never unmarshalled: the source is compiled instead
            Value module = load.execute("pysandbox.probe", "x = 41 + 1", "<pysandbox probe>", garbage, "graalpy999-399 99.0.0");
            assertThat(module.getMember("x").asInt()).isEqualTo(42);
            // the running release's code is what runs, so the check above is what kept the garbage out
            assertThatThrownBy(() -> load.execute("pysandbox.probe2", "x = 1", "<pysandbox probe2>", garbage, running))
                    .isInstanceOf(PolyglotException.class);
        }
    }
}
