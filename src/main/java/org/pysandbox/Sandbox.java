package org.pysandbox;

import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

import javax.script.ScriptException;

import org.pysandbox.config.SandboxConfig;
import org.pysandbox.limits.Executor;
import org.pysandbox.isolation.SandboxExecutors;

/**
 * Runs untrusted Python 3 confined, with the configuration model of the original pysandbox.
 *
 * <pre>{@code
 * try (Sandbox sandbox = new Sandbox(SandboxConfig.of("stdout"))) {
 *     sandbox.execute("print(data)", Map.of("data", List.of(1, 2, 3)));   // prints [1, 2, 3]
 *     Object six = sandbox.eval("2 * 3");                                   // 6
 * }
 * }</pre>
 *
 * Host values passed in arrive as read-only views; values coming back are Java values (SPEC §4) or
 * opaque {@link org.pysandbox.bridge.GuestObject} handles that {@link #call} accepts. One sandbox is one
 * tenant: its interpreter is never shared with another sandbox. Methods are thread-safe (calls run one
 * at a time).
 */
public final class Sandbox implements AutoCloseable {
    public static final String DEFAULT_FILE_NAME = "<sandbox>";

    private final SandboxConfig config;
    private final Executor executor;
    private Writer out = new OutputStreamWriter(System.out, StandardCharsets.UTF_8);
    private Writer err = new OutputStreamWriter(System.err, StandardCharsets.UTF_8);
    private Reader in = Reader.nullReader();

    public Sandbox() {
        this(SandboxConfig.defaults());
    }

    public Sandbox(SandboxConfig config) {
        this.config = Objects.requireNonNull(config, "config");
        this.executor = SandboxExecutors.create(config, this);
    }

    public SandboxConfig config() {
        return config;
    }

    /** Where {@code print} and {@code sys.stdout} write (with the {@code stdout} feature); default System.out. */
    public synchronized Sandbox setOut(Writer writer) {
        this.out = Objects.requireNonNull(writer, "writer");
        return this;
    }

    /** Where {@code sys.stderr} writes (with the {@code stderr} feature); default System.err. */
    public synchronized Sandbox setErr(Writer writer) {
        this.err = Objects.requireNonNull(writer, "writer");
        return this;
    }

    /** What {@code input()} and {@code sys.stdin} read (with the {@code stdin} feature); default empty. */
    public synchronized Sandbox setIn(Reader reader) {
        this.in = Objects.requireNonNull(reader, "reader");
        return this;
    }

    /** Runs code in a fresh namespace, like {@code exec(code, {})}. */
    public void execute(String code) throws ScriptException {
        run(code, null, null, false, DEFAULT_FILE_NAME);
    }

    /**
     * Runs code with {@code globals} as its namespace, like {@code exec(code, globals)}: the script reads
     * the map's entries as read-only views, and the names it binds at top level are written back to the
     * map (a read-only map is left as it is).
     */
    public void execute(String code, Map<String, Object> globals) throws ScriptException {
        run(code, Objects.requireNonNull(globals, "globals"), null, false, DEFAULT_FILE_NAME);
    }

    /** Like {@code exec(code, globals, locals)}; either map may be null for a fresh one. */
    public void execute(String code, Map<String, Object> globals, Map<String, Object> locals) throws ScriptException {
        run(code, globals, locals, false, DEFAULT_FILE_NAME);
    }

    /** Runs code and returns the value of its last statement if that is an expression, else null. */
    public Object eval(String code) throws ScriptException {
        return run(code, null, null, true, DEFAULT_FILE_NAME);
    }

    /** {@link #eval(String)} with a namespace, as in {@link #execute(String, Map)}. */
    public Object eval(String code, Map<String, Object> globals) throws ScriptException {
        return run(code, globals, null, true, DEFAULT_FILE_NAME);
    }

    /** The general form: {@code fileName} appears in errors and tracebacks. */
    public synchronized Object run(String code, Map<String, Object> globals, Map<String, Object> locals,
            boolean wantValue, String fileName) throws ScriptException {
        Objects.requireNonNull(code, "code");
        return executor.run(new Executor.Request(code, fileName == null ? DEFAULT_FILE_NAME : fileName, globals, locals,
                wantValue, out, err, in, config));
    }

    /**
     * Runs a whole program, as {@code python script.py} does: {@code inputs} are its globals, which it reads
     * as read-only views (the command line's {@code argv}), and nothing it binds is written back or even
     * converted, so a program that leaves a large value in a global pays nothing for it after its last line.
     * Returns nothing; {@code sys.exit} with a failing status is a {@code ScriptExitException}, as for any run.
     */
    public synchronized void runProgram(String code, Map<String, Object> inputs, String fileName) throws ScriptException {
        Objects.requireNonNull(code, "code");
        executor.run(new Executor.Request(code, fileName == null ? DEFAULT_FILE_NAME : fileName,
                Objects.requireNonNull(inputs, "inputs"), null, false, out, err, in, config, false));
    }

    /**
     * Calls a function the script defined (a {@link org.pysandbox.bridge.GuestObject} read back from a
     * namespace) with host arguments, confined and limited like any run.
     */
    public synchronized Object call(Object function, Object... args) throws ScriptException {
        return executor.call(function, args == null ? new Object[0] : args, out, err, in, config);
    }

    /** Calls the function bound to {@code name} in {@code namespace} (filled by an earlier execute). */
    public Object call(String name, Map<String, Object> namespace, Object... args) throws ScriptException {
        Object function = namespace.get(name);
        if (function == null) {
            throw new ScriptException("no function named '" + name + "' in the namespace");
        }
        return call(function, args);
    }

    /**
     * Interactive use (the command-line REPL): runs code in a namespace that stays inside the sandbox between
     * calls, as {@code __main__} does in Python's REPL, so guest objects keep their identity and mutability.
     * Returns {@code repr()} of the last statement's value when it is an expression whose value is not None,
     * else null. Only with isolation {@code context}.
     */
    public synchronized String interact(String code, String fileName) throws ScriptException {
        Objects.requireNonNull(code, "code");
        return executor.runInteractive(new Executor.Request(code, fileName == null ? DEFAULT_FILE_NAME : fileName,
                null, null, true, out, err, in, config));
    }

    /**
     * Whether the namespace of {@link #interact} is gone: stopping a call (its timeout, another limit, or an
     * interrupt of the calling thread) cost the interpreter that held it, because the guest did not yield
     * within the interrupt grace (a long builtin such as {@code 3 ** (10 ** 8)} cannot be interrupted). The
     * next {@code interact} then starts in a new, empty namespace. False before the first {@code interact}.
     * Asked after a failed call, it waits (bounded) for a stop still settling to decide.
     */
    public boolean interactiveSessionLost() {
        return executor.interactiveSessionLost();
    }

    /**
     * Not under the sandbox's lock, which a running call holds: with process isolation the close kills the
     * worker at once and the call fails saying so; in-process the executor's own lock makes it wait for the
     * call (at most its timeout), as before.
     */
    @Override
    public void close() {
        executor.close();
    }
}
