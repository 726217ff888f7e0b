package org.pysandbox.cli;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import javax.script.ScriptException;

import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.Isolation;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;
import org.pysandbox.limits.InterpreterPool;

import org.jline.terminal.Terminal;

/**
 * The {@code pysandbox} command: runs a script file, a {@code -c} string, or an interactive sandboxed
 * interpreter, with the sandbox configured from the options ({@link Arguments}). Exit status: 0 success,
 * 1 script error, 2 usage error, 3 sandbox violation, 4 limit exceeded ({@code sys.exit(n)} with feature
 * {@code exit}: n).
 */
public final class Main {
    private final InputStream stdin;
    private final PrintWriter stdout;
    private final PrintWriter stderr;

    Main(InputStream stdin, OutputStream stdout, OutputStream stderr) {
        this.stdin = stdin;
        this.stdout = new PrintWriter(new OutputStreamWriter(stdout, StandardCharsets.UTF_8), false);
        this.stderr = new PrintWriter(new OutputStreamWriter(stderr, StandardCharsets.UTF_8), false);
    }

    public static void main(String[] args) {
        // One process, one sandbox: interpreters made ahead for later sandboxes would only compete with the
        // first result for the CPU (a host can still ask for a pool with -Dpysandbox.pool.size).
        if (System.getProperty(InterpreterPool.SIZE_PROPERTY) == null) {
            System.setProperty(InterpreterPool.SIZE_PROPERTY, "0");
        }
        StartupTimer.mark("main");
        System.exit(run(args, System.in, System.out, System.err));
    }

    /** Runs the command and returns its exit status (without exiting the JVM). */
    public static int run(String[] args, InputStream in, OutputStream out, OutputStream err) {
        Main main = new Main(in, out, err);
        try {
            return main.run(args);
        } finally {
            main.stdout.flush();
            main.stderr.flush();
        }
    }

    private int run(String[] commandLine) {
        Arguments args;
        try {
            args = Arguments.parse(commandLine);
        } catch (Arguments.UsageException e) {
            return usage(e.getMessage());
        }
        StartupTimer.mark("options read");
        if (args.help()) {
            Arguments.printHelp(stdout, featureHelp());
            return ExitStatus.OK;
        }
        if (args.version()) {
            Version.lines().forEach(stdout::println);
            return ExitStatus.OK;
        }
        return execute(args);
    }

    private int execute(Arguments args) {
        String code = args.code();
        List<String> positional = args.positional();
        SandboxConfig config;
        try {
            config = config(args);
        } catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        boolean interactive = code == null && positional.isEmpty();
        if (interactive && config.isolation() == Isolation.PROCESS) {
            return usage("the interactive interpreter needs --isolation context; "
                    + "process isolation runs scripts and -c code only");
        }
        String fileName;
        String source = null;
        List<String> argv = new ArrayList<>();
        Reader scriptInput = new InputStreamReader(stdin, StandardCharsets.UTF_8);
        try {
            if (code != null) {
                source = code;
                fileName = "<string>";
                argv.add("-c");
                argv.addAll(positional);
            } else if (!interactive) {
                String script = positional.get(0);
                argv.addAll(positional);
                if (script.equals("-")) {
                    source = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                    fileName = "<stdin>";
                    scriptInput = Reader.nullReader();
                } else {
                    source = Files.readString(Path.of(script), StandardCharsets.UTF_8);
                    fileName = script;
                }
            } else {
                fileName = Repl.FILE_NAME;
            }
        } catch (NoSuchFileException e) {
            return usage("can't open file '" + e.getFile() + "': no such file");
        } catch (IOException e) {
            return usage("can't read the script: " + e);
        }

        ConsoleInput console = new ConsoleInput(scriptInput);
        try (Sandbox sandbox = new Sandbox(config)) {
            sandbox.setOut(stdout).setErr(stderr).setIn(console);
            if (interactive) {
                // the interpreter starts first: looking for the terminal takes JLine ~0.2 s
                Terminal terminal = null;
                try (Evaluator evaluator = new Evaluator(sandbox)) {
                    terminal = stdin == System.in ? Terminals.interactive() : null;
                    if (terminal != null) {
                        // the descriptor itself: System.in's buffer would read ahead keys meant for the line editor
                        console.readFromTerminal(new FileInputStream(FileDescriptor.in), terminal.encoding(),
                                TerminalInputWait.forStandardInput());
                    }
                    Repl.Lines lines = terminal != null ? new TerminalLines(terminal, evaluator, console) : prompt -> {
                        stderr.print(prompt);
                        stderr.flush();
                        return console.readLine();
                    };
                    return new Repl(evaluator, lines, stdout, stderr).run(banner(config));
                } finally {
                    Terminals.close(terminal);
                }
            }
            sandbox.runProgram(source, Map.of("argv", List.copyOf(argv)), fileName);
            StartupTimer.mark("first result");
            return ExitStatus.OK;
        } catch (ScriptException failure) {
            stdout.flush();
            stderr.print(Tracebacks.format(failure, Tracebacks.SourceLines.of(fileName, source)));
            return ExitStatus.of(failure);
        } catch (SandboxConfigurationException e) {
            return usage(e.getMessage());
        } catch (IOException e) {
            stderr.println("pysandbox: " + e);
            return ExitStatus.SCRIPT_ERROR;
        } finally {
            stdout.flush();
            stderr.flush();
        }
    }

    private static SandboxConfig config(Arguments args) {
        boolean interactive = args.code() == null && args.positional().isEmpty();
        SandboxConfig.Builder b = SandboxConfig.builder();
        if (interactive) {
            b.enable(Feature.INTERPRETER);
        }
        for (String feature : args.features()) {
            if (!feature.isBlank()) {
                b.enable(feature.trim());
            }
        }
        for (Path path : args.paths()) {
            b.allowPath(path);
        }
        args.hostAccess().forEach(b::allowHostMethod);
        for (String module : args.modules()) {
            int colon = module.indexOf(':');
            if (colon < 0) {
                b.allowModule(module.trim(), "*");
            } else {
                String[] symbols = module.substring(colon + 1).split(",");
                for (int i = 0; i < symbols.length; i++) {
                    symbols[i] = symbols[i].trim();
                }
                b.allowModule(module.substring(0, colon).trim(), symbols);
            }
        }
        if (args.timeout() != null) {
            b.timeout(args.timeout());
        }
        if (args.maxMemory() != null) {
            b.maxMemory(args.maxMemory());
        }
        if (args.maxOutput() != null) {
            b.maxOutput(args.maxOutput());
        }
        if (args.recursionLimit() != null) {
            b.recursionLimit(args.recursionLimit());
        }
        if (args.isolation() != null) {
            b.isolation(Isolation.parse(args.isolation()));
        }
        return b.build();
    }

    private int usage(String message) {
        stderr.println("pysandbox: " + message);
        stderr.println("Try 'pysandbox --help' for more information.");
        stderr.flush();
        return ExitStatus.USAGE;
    }

    private static String banner(SandboxConfig config) {
        StringBuilder enabled = new StringBuilder();
        config.features().stream().map(Feature::featureName).sorted()
                .forEach(f -> enabled.append(enabled.length() == 0 ? "" : ", ").append(f));
        return "pysandbox " + Version.pysandbox() + " (GraalPy " + Version.graalpy() + ", Java "
                + Runtime.version().feature() + ")\nEnabled features: " + enabled
                + "\nType Ctrl-D (end of input) to leave, Ctrl-C to stop a statement, Tab to complete a name.";
    }

    private static String featureHelp() {
        StringBuilder text = new StringBuilder("\nFeatures (-f NAME):\n");
        for (Feature f : Feature.values()) {
            StringBuilder implied = new StringBuilder();
            f.withImplied().stream().filter(i -> i != f).map(Feature::featureName).sorted()
                    .forEach(i -> implied.append(implied.length() == 0 ? "" : ", ").append(i));
            String line = f.description() + (implied.length() == 0 ? "" : " [enables " + implied + "]");
            text.append(String.format("  %-14s", f.featureName())).append(Arguments.wrap(line, 62, " ".repeat(16))).append('\n');
        }
        text.append("\nExamples:\n")
                .append("  pysandbox -f stdout samples/hello/hello.py\n")
                .append("  pysandbox -f stdout,math -c \"import math; print(math.pi)\"\n")
                .append("  pysandbox --allow-module json:loads,dumps --timeout 2s script.py\n")
                .append("  pysandbox                      (interactive; Ctrl-D to leave)\n");
        return text.toString();
    }

    /** Versions for --version and the banner, read without starting GraalPy. */
    static final class Version {
        private Version() {
        }

        static List<String> lines() {
            return List.of("pysandbox " + pysandbox(), "GraalPy / Polyglot " + graalpy(), "Java " + Runtime.version());
        }

        static String pysandbox() {
            try (InputStream in = Main.class.getResourceAsStream("/META-INF/maven/org.pysandbox/pysandbox/pom.properties")) {
                if (in != null) {
                    Properties p = new Properties();
                    p.load(in);
                    return p.getProperty("version", "unknown");
                }
            } catch (IOException ignored) {
                // fall through to the development version
            }
            String v = Main.class.getPackage().getImplementationVersion();
            return v == null ? "(development build)" : v;
        }

        /** The Polyglot SDK's version, from its jar manifest (Name: polyglot). */
        static String graalpy() {
            try {
                var manifests = Main.class.getClassLoader().getResources("META-INF/MANIFEST.MF");
                while (manifests.hasMoreElements()) {
                    try (InputStream in = manifests.nextElement().openStream()) {
                        var main = new java.util.jar.Manifest(in).getMainAttributes();
                        if ("polyglot".equals(main.getValue("Name")) && main.getValue("Implementation-Version") != null) {
                            return main.getValue("Implementation-Version");
                        }
                    }
                }
            } catch (IOException ignored) {
                // fall through
            }
            return "unknown";
        }
    }
}
