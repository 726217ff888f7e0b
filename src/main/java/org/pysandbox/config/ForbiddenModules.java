package org.pysandbox.config;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The one list of modules and symbols no configuration may open, each with the reason: every entry hands
 * out the interpreter's internals, the host, signals, processes or native code, or a raw attribute walk
 * that bypasses the policy's name rules. {@link SandboxConfig.Builder#allowModule} refuses them. The Python
 * import hook keeps its own list (state.FORBIDDEN_MODULES and FORBIDDEN_SYMBOLS, needed before any
 * configuration reaches it, and stricter: it also refuses io, types, weakref, ...); ForbiddenModulesTest
 * checks that it covers every entry here.
 *
 * <p>{@code sys} may be allowed only for its plain data ({@code version}, {@code maxsize}, ...), as the
 * original pysandbox allowed {@code allowModule('sys', 'version')}, plus {@code _getframe} together with
 * the {@code traceback} feature (the original's frame access, whose dangerous attributes the policy hides);
 * {@code modules}, {@code settrace}, {@code "*"} and everything else in it are refused.
 *
 * <p>{@code os} is deliberately not here: a few of its functions ({@code os.path}, {@code os.sep},
 * {@code os.fspath}) are ordinary, and everything dangerous in it is stopped by the Truffle floor itself
 * (no files outside the allowed paths, no writes, processes, environment or signals), which
 * {@code FloorOnlyTest} proves with the real {@code os}. Its raw twin {@code posix} stays forbidden, as the
 * security model has always promised.
 */
public final class ForbiddenModules {
    private static final Map<String, String> MODULES = new LinkedHashMap<>();
    private static final Map<String, Map<String, String>> SYMBOLS = new LinkedHashMap<>();
    /** The one frame function of sys the original allowed, and only beside the traceback feature. */
    static final String FRAME = "_getframe";
    /** Modules of which only these symbols may be allowed (never {@code "*"}), and why. */
    private record Only(String reason, Set<String> symbols) {
    }

    private static final Map<String, Only> ONLY = Map.of(
            "sys", new Only("sys hands out the interpreter's state (modules, _getframe, settrace, the real streams); "
                    + "only its plain data can be allowed: ", Set.of("version", "version_info", "hexversion", "platform",
                    "maxsize", "maxunicode", "byteorder", "float_info", "int_info", "api_version", "copyright", FRAME)),
            "io", new Only("io opens files (open, FileIO, open_code) and wraps raw streams; only its in-memory streams "
                    + "and constants can be allowed: ", Set.of("StringIO", "BytesIO", "SEEK_SET", "SEEK_CUR", "SEEK_END",
                    "UnsupportedOperation")));

    static {
        forbid("it is the raw operating-system interface under os (allow the os functions you need instead)",
                "posix", "nt", "_posixshmem");
        forbid("it opens raw file objects (FileIO) beside open()", "_io");
        forbid("signals reach the whole JVM on GraalPy 25.0 (raise_signal ends it, signal() installs JVM-wide "
                + "handlers, alarm() starts a thread)", "signal", "_signal");
        forbid("it starts, signals or interrupts threads", "_thread");
        forbid("it starts processes", "subprocess", "_posixsubprocess", "multiprocessing", "_multiprocessing",
                "pty", "concurrent");
        forbid("it reaches every live object (get_objects, get_referrers)", "gc");
        forbid("it is the import machinery and loads any module or file", "importlib", "_imp",
                "_frozen_importlib", "_frozen_importlib_external", "zipimport", "runpy", "pkgutil");
        forbid("it is GraalPy's internal module (read_file, run_path, extend, builtin)", "__graalpython__");
        forbid("it reaches Java classes or other languages", "polyglot", "java", "jarray");
        forbid("it loads native code", "ctypes", "_ctypes", "_cffi_backend", "mmap", "resource", "fcntl");
        forbid("it reaches frames, code and attributes around the policy's name rules", "inspect", "dis",
                "pdb", "bdb", "code", "codeop");
        forbid("it builds code objects or calls anything named in its input", "marshal", "pickle", "_pickle",
                "shelve");
        forbid("it is the real builtins module", "builtins", "_sitebuiltins");
        forbid("unittest.mock's patch() resolves the dotted names a script passes to raw module attributes "
                + "(pkgutil.resolve_name; review, 2026-12-06)", "unittest");
        forbid("its trusted code reads or writes any attribute a script names, on any object: logging.config "
                + "resolves dotted names to raw attributes (type.__setattr__, sys.modules), logging's '{' formats "
                + "walk attributes; argparse's and optparse's namespaces set any keyword on a foreign self and "
                + "read a foreign __dict__ (review, 2026-12-05)", "logging", "argparse", "optparse");
        forbid("warn(stacklevel=n) walks up the caller's frames into the sandbox's own and writes its registry "
                + "into their globals, and catch_warnings() holds the real module (review, 2026-12-05)", "warnings");
        forbid("its trusted code sets or deletes attributes by computed names on objects the script hands it "
                + "(configparser's ConverterMapping: 'get' + a key; minicompat's defproperty; tarfile's open(): a "
                + "method named by a subclass's OPEN_METH), or writes into the real builtins (gettext's install()) "
                + "(review, 2026-12-05)", "configparser", "xml.dom.minicompat", "tarfile", "gettext");
        forbid("it runs source text with the original eval or exec in a namespace the script hands it, where the "
                + "interpreter leaves the real builtins (rlcompleter's Completer(ns).complete(), profile's and "
                + "cProfile's runctx()), or lists the real builtins' names (review, 2026-12-05)",
                "rlcompleter", "profile", "cProfile", "pstats");
        forbid("it is the pure-Python twin of a module whose symbols are handed out checked (_pydecimal's "
                + "localcontext sets its keywords on what a script's copy() returns) or of io (review, 2026-12-05)",
                "_pydecimal", "_pyio");
        forbid("its trusted code calls getattr(obj, name) or reads obj.__dict__ for an object and a name the caller "
                + "passes and hands the result back (lib2to3.fixer_util.attr_chain, urllib.request's _call_chain, "
                + "idlelib.rpc's localcall, mailbox.Message._become_message, which also writes any name) (static "
                + "audit, 2026-12-05)", "lib2to3", "idlelib", "mailbox", "urllib.request");
        forbid("Cmd.onecmd() calls getattr(self, 'do_' + name) with a name a subclass's parseline() returns, whose "
                + "__radd__ answers any attribute (audit, 2026-12-05)", "cmd");
        forbid("it is the script's own or the sandbox's namespace", "__main__", "pysandbox",
                "sandbox", "_sandbox");
        forbid("it compiles and runs source text the checker never saw (timeit.timeit('...'), doctest examples)",
                "timeit", "doctest");
        forbid("ModuleFinder.load_module() compiles the source text (or unmarshals the bytes) of a file object the "
                + "caller passes and hands the code object to methods a subclass overrides (review, 2026-12-06)",
                "modulefinder");
        forbid("its _reduce_ex hands out an object's raw state (the builtins view's real namespace)", "copyreg");
        forbid("copy() and deepcopy() set attributes raw on whatever a script's __reduce_ex__ returns, and "
                + "deepcopy's memo hands the raw state of the objects it copied to the script's __deepcopy__", "copy");
        forbid("it imports modules by name and walks any object's attributes", "pydoc");
        forbid("its main() closes the interpreter's real sys.stdin and sys.stdout (with options.infile ...), which "
                + "every later run of the sandbox prints to, and raises SystemExit without the exit feature "
                + "(review 24, 2026-12-06)", "json.tool");
        forbid("it reads source files by name into a cache every traceback uses, around the file policy",
                "linecache");
        forbid("it opens sockets", "socket", "_socket", "select", "selectors", "ssl", "_ssl");

        forbidSymbols("types", "it builds functions and code objects from raw parts, or names frames",
                "CodeType", "FunctionType", "LambdaType", "FrameType", "TracebackType", "CellType", "MethodType",
                "GeneratorType", "CoroutineType", "AsyncGeneratorType");
        forbidSymbols("string", "its get_field walks attributes around the policy's name rules", "Formatter");
        forbidSymbols("cgi", "test() rebinds the interpreter's sys.stderr and the module's maxlen for every later "
                + "run (review 25, 2026-12-06)", "test");
        forbidSymbols("contextlib", "they get and set the attribute of the real sys that a subclass names "
                + "(_stream = 'modules' gave sys.modules; review, 2026-12-05)", "redirect_stdout", "redirect_stderr");
        forbidSymbols("xml.dom.minidom", "minicompat's defproperty sets any name on any class", "defproperty");
        forbidSymbols("tempfile", "its __getattr__ reads any attribute of the object it wraps and caches it raw in "
                + "the instance's __dict__, where vars() hands it out (review, 2026-12-05)", "_TemporaryFileWrapper");
        forbidSymbols("email.charset", "they change the module's charset, alias and codec tables, which every later "
                + "Charset and message of the context reads (add_alias('latin_1', 'utf-8'); review, 2026-12-06)",
                "add_alias", "add_charset", "add_codec");
        forbidSymbols("operator", "it reads attributes by name around the policy's name rules", "attrgetter",
                "methodcaller");
        forbidSymbols("functools", "it makes typing evaluate string annotations, source the checker never saw, "
                + "with the real builtins", "singledispatch", "singledispatchmethod");
        forbidSymbols("functools", "it reads any object's __dict__ under any name the script gives it",
                "cached_property");
        forbidSymbols("typing", "it evaluates string annotations, source the checker never saw, with the real "
                + "builtins", "get_type_hints", "ForwardRef", "_eval_type");
        forbidSymbols("traceback", "it yields live frames, or with capture_locals the reprs of every frame's locals, "
                + "the sandbox's own included", "walk_stack", "walk_tb", "TracebackException", "StackSummary");
        forbidSymbols("enum", "it reads or writes the namespace of any module named by the script (sys.modules)",
                "global_enum", "_simple_enum");
        forbidSymbols("dataclasses", "it pastes field names (str subclasses that pass isidentifier() can format "
                + "as other text) into source it runs unchecked with the real builtins; dataclass is given checked",
                "make_dataclass");
        forbidSymbols("dataclasses", "they read every attribute named in __dataclass_fields__, a dict the script can "
                + "reach and fill (or a class attribute it defines) with fields named __getattribute__ or __setattr__, "
                + "and hand the raw values back", "replace", "asdict", "astuple");
        forbidSymbols("os", "it ends, signals or replaces the process, or reaches the environment", "_exit",
                "abort", "kill", "killpg", "system", "popen", "fork", "forkpty", "execv", "execve", "execl",
                "execle", "execlp", "execlpe", "execvp", "execvpe", "spawnv", "spawnve", "spawnl", "spawnle",
                "posix_spawn", "posix_spawnp", "environ", "environb", "getenv", "getenvb", "putenv", "unsetenv",
                "register_at_fork");
        forbidSymbols("os", "it closes, re-points or wraps the interpreter's standard descriptors 0-2 for every later run "
                + "(fdopen is io.open, and hands out FileIO) (review 27, 2026-12-06)", "fdopen", "close", "closerange",
                "dup", "dup2");
    }

    private ForbiddenModules() {
    }

    private static void forbid(String reason, String... names) {
        for (String name : names) {
            MODULES.put(name, reason);
        }
    }

    private static void forbidSymbols(String module, String reason, String... names) {
        Map<String, String> symbols = SYMBOLS.computeIfAbsent(module, m -> new LinkedHashMap<>());
        for (String name : names) {
            symbols.put(name, reason);
        }
    }

    /** Why {@code module} (or the package it belongs to) can never be allowed; empty when it can. */
    public static Optional<String> reason(String module) {
        String root = module.split("\\.", 2)[0];
        if (MODULES.containsKey(module)) {
            return Optional.of(MODULES.get(module));
        }
        if (MODULES.containsKey(root)) {
            return Optional.of(MODULES.get(root));
        }
        if (root.startsWith("pysandbox")) {
            return Optional.of(MODULES.get("pysandbox"));
        }
        return Optional.empty();
    }

    /** Why {@code symbol} of {@code module} can never be allowed; empty when it can. */
    public static Optional<String> symbolReason(String module, String symbol) {
        Only only = ONLY.get(module);
        if (only != null && !only.symbols().contains(symbol)) {
            return Optional.of(only.reason() + String.join(", ", only.symbols().stream().sorted().toList()));
        }
        return Optional.ofNullable(SYMBOLS.getOrDefault(module, Map.of()).get(symbol));
    }

    /** Modules that may be allowed only with some of these symbols: {@code sys} and its plain data, {@code io}'s in-memory streams. */
    public static Map<String, Set<String>> onlySymbols() {
        return ONLY.entrySet().stream().collect(Collectors.toUnmodifiableMap(Map.Entry::getKey,
                e -> e.getValue().symbols()));
    }

    static boolean isForbidden(String module) {
        return reason(module).isPresent();
    }

    /** Every forbidden module, sorted; a dotted name is forbidden when its first part is. */
    public static List<String> modules() {
        return MODULES.keySet().stream().sorted().toList();
    }

    /**
     * Symbols forbidden in otherwise allowable modules. An explicit request for one is refused at
     * configuration time; {@code "*"} must leave them out (the Python layer applies this list).
     */
    public static Map<String, Set<String>> symbols() {
        Map<String, Set<String>> copy = new LinkedHashMap<>();
        SYMBOLS.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder()))
                .forEach(e -> copy.put(e.getKey(), Set.copyOf(e.getValue().keySet())));
        return Map.copyOf(copy);
    }
}
