package org.pysandbox.policy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Properties;
import java.util.function.Function;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Value;

/**
 * The policy modules' code, compiled at build time ({@link #main}, run by the pom after compilation) and
 * marshalled next to their sources. Compiling the ~100 KB of policy source cost ~0.4 s of every
 * interpreter's start interpreter-only (GraalPy caches nothing between contexts for code made by
 * {@code compile()}); loading the marshalled code costs ~10 ms.
 *
 * <p>The code is used only when it was made from exactly the source in the jar (SHA-256 recorded per module)
 * and by the same GraalPy release as the running one (loader.py compares the versions): a stale or foreign
 * build falls back to the source, never to other code. It is as trusted as the sources themselves: both are
 * resources of this jar.
 */
final class PolicyBytecode {
    static final String MANIFEST = "pysandbox/bytecode.properties";
    private static final String VERSION_KEY = "graalpy.version";
    private static final Codes NONE = new Codes(null, new String[PolicyScripts.MODULES.length]);

    /**
     * The marshalled code of each module of {@link PolicyScripts#MODULES} as a latin-1 string (one char per
     * byte: a Java String crosses into Python as a str, which the loader turns back into bytes), null for a
     * module whose code is missing or was made from other source; and the interpreter that made them.
     */
    record Codes(String version, String[] codes) {
    }

    private static volatile Codes loaded;

    private PolicyBytecode() {
    }

    /** The build's code, read once per JVM. */
    static Codes forModules() {
        Codes codes = loaded;
        if (codes == null) {
            codes = read(name -> PolicyBytecode.class.getResourceAsStream(PolicyScripts.RESOURCES + name));
            loaded = codes;
        }
        return codes;
    }

    /** Reads the manifest and the code it vouches for through {@code resources} (a name under RESOURCES). */
    static Codes read(Function<String, InputStream> resources) {
        Properties manifest = new Properties();
        try (InputStream in = resources.apply(MANIFEST)) {
            if (in == null) {
                return NONE;
            }
            manifest.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String[] codes = new String[PolicyScripts.MODULES.length];
        for (int i = 0; i < codes.length; i++) {
            String module = PolicyScripts.MODULES[i];
            if (!sha256(PolicyScripts.MODULE_SOURCES[i]).equals(manifest.getProperty(module + ".sha256"))) {
                continue;
            }
            try (InputStream in = resources.apply(codeResource(module))) {
                if (in != null) {
                    codes[i] = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new Codes(manifest.getProperty(VERSION_KEY), codes);
    }

    static String codeResource(String module) {
        return "pysandbox/" + module + ".graalpy-code";
    }

    static String fileName(String module) {
        return "<pysandbox " + module + ">";
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Build step: compiles every policy module in a plain GraalPy context (only the compiler runs; no policy
     * or guest code) and writes the marshalled code and the manifest under the given classes directory.
     */
    public static void main(String[] args) throws IOException {
        Path python = Path.of(args[0]).resolve(PolicyScripts.RESOURCES.substring(1));
        Properties manifest = new Properties();
        try (Context context = Context.newBuilder(PolicyScripts.LANGUAGE).option("engine.WarnInterpreterOnly", "false").build()) {
            context.eval(PolicyScripts.LOADER);
            Value version = context.getBindings(PolicyScripts.LANGUAGE).getMember("_pysandbox_code_version");
            Value dump = context.eval(PolicyScripts.LANGUAGE, """
                    import marshal, _codecs
                    def dump(source, filename):
                        return _codecs.latin_1_decode(marshal.dumps(compile(source, filename, 'exec')))[0]
                    dump
                    """);
            manifest.setProperty(VERSION_KEY, version.execute().asString());
            for (int i = 0; i < PolicyScripts.MODULES.length; i++) {
                String module = PolicyScripts.MODULES[i];
                String code = dump.execute(PolicyScripts.MODULE_SOURCES[i], fileName(module)).asString();
                Files.write(python.resolve(codeResource(module)), code.getBytes(StandardCharsets.ISO_8859_1));
                manifest.setProperty(module + ".sha256", sha256(PolicyScripts.MODULE_SOURCES[i]));
            }
        }
        try (OutputStream out = Files.newOutputStream(python.resolve(MANIFEST))) {
            manifest.store(out, "made by org.pysandbox.policy.PolicyBytecode at build time");
        }
    }
}
