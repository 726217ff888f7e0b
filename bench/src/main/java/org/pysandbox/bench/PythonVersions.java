package org.pysandbox.bench;

import java.nio.charset.StandardCharsets;

/** Version strings of the peers, for the report's header. */
final class PythonVersions {
    private PythonVersions() {
    }

    static String cpython(String python) {
        try {
            Process p = new ProcessBuilder(python, "-c", "import platform; print(platform.python_implementation(), platform.python_version())")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            return p.waitFor() == 0 ? out : python + " (version unknown: " + out + ")";
        } catch (Exception e) {
            return python + " (not runnable: " + e + ")";
        }
    }

    static String jython() {
        try {
            return "Jython " + Runtimes.jythonEngine().getFactory().getLanguageVersion() + " via JSR-223 ("
                    + Runtimes.jythonEngine().getFactory().getEngineVersion() + ")";
        } catch (RuntimeException | LinkageError e) {
            return "Jython unavailable: " + e;
        }
    }
}
