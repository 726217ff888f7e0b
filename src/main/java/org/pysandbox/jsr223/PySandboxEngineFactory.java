package org.pysandbox.jsr223;

import java.util.List;

import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;

import org.graalvm.polyglot.Language;
import org.pysandbox.policy.ConfinedContextFactory;

/**
 * The javax.script factory of the {@code pysandbox} engine, registered in
 * {@code META-INF/services/javax.script.ScriptEngineFactory}. {@link #getScriptEngine()} is cheap: the
 * GraalPy engine is shared by every sandbox of the JVM and an engine makes no interpreter before its first
 * call.
 *
 * <p>MIME types: only {@code text/x-python-sandbox} and {@code application/x-python-sandbox} are claimed.
 * {@code text/x-python} is deliberately not: a host that asks for "Python" by MIME type expects a full
 * Python with host access (Jython, GraalPy), and {@code ScriptEngineManager} returns the first match in
 * class path order, so claiming it would make the choice depend on jar order. The extension {@code py}
 * is claimed (it is the only file extension of Python); with Jython also present, the first factory on
 * the class path wins, so hosts that want the sandbox should ask for it by name.
 */
public final class PySandboxEngineFactory implements ScriptEngineFactory {
    public static final String ENGINE_NAME = "pysandbox";
    public static final String ENGINE_VERSION = "0.1.0";
    public static final String LANGUAGE_NAME = "python";
    /** Honest: concurrent evals run on separate interpreters, but all write back to shared Bindings. */
    public static final String THREADING = "MULTITHREADED";

    private static final List<String> NAMES = List.of("pysandbox", "python-sandbox");
    private static final List<String> EXTENSIONS = List.of("py");
    private static final List<String> MIME_TYPES = List.of("text/x-python-sandbox", "application/x-python-sandbox");

    private static volatile String languageVersion;

    @Override
    public String getEngineName() {
        return ENGINE_NAME;
    }

    @Override
    public String getEngineVersion() {
        return ENGINE_VERSION;
    }

    @Override
    public List<String> getExtensions() {
        return EXTENSIONS;
    }

    @Override
    public List<String> getMimeTypes() {
        return MIME_TYPES;
    }

    @Override
    public List<String> getNames() {
        return NAMES;
    }

    @Override
    public String getLanguageName() {
        return LANGUAGE_NAME;
    }

    /** The Python version GraalPy implements (for example {@code 3.11.7}), read from the shared GraalPy engine. */
    @Override
    public String getLanguageVersion() {
        String version = languageVersion;
        if (version == null) {
            Language python = ConfinedContextFactory.engine().getLanguages().get(LANGUAGE_NAME);
            version = python.getVersion();
            languageVersion = version;
        }
        return version;
    }

    @Override
    public Object getParameter(String key) {
        return switch (key) {
            case ScriptEngine.ENGINE -> getEngineName();
            case ScriptEngine.ENGINE_VERSION -> getEngineVersion();
            case ScriptEngine.NAME -> ENGINE_NAME;
            case ScriptEngine.LANGUAGE -> getLanguageName();
            case ScriptEngine.LANGUAGE_VERSION -> getLanguageVersion();
            case "THREADING" -> THREADING;
            default -> null;
        };
    }

    /** {@code obj.m(a, b)}. */
    @Override
    public String getMethodCallSyntax(String obj, String m, String... args) {
        return obj + "." + m + "(" + String.join(", ", args) + ")";
    }

    /** {@code print('...')} with the text as a Python string literal (needs the {@code stdout} feature to run). */
    @Override
    public String getOutputStatement(String toDisplay) {
        return "print(" + pythonString(toDisplay) + ")";
    }

    /** The statements, one per line. */
    @Override
    public String getProgram(String... statements) {
        return String.join("\n", statements) + "\n";
    }

    @Override
    public ScriptEngine getScriptEngine() {
        return new PySandboxEngine(this);
    }

    /** A Python 3 string literal whose value is exactly {@code text}. */
    static String pythonString(String text) {
        StringBuilder out = new StringBuilder(text.length() + 2).append('\'');
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\'' -> out.append("\\'");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\x%02x", (int) c));
                    } else if (Character.isSurrogate(c) && !(Character.isHighSurrogate(c) && i + 1 < text.length()
                            && Character.isLowSurrogate(text.charAt(i + 1)))
                            && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(text.charAt(i - 1)))) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }
}
