"""What the policy modules share: the original builtins (captured before anything is confined), the
configuration, and the registries of trusted namespaces. Loaded first; guest code never sees it."""

import builtins as _builtins
import sys as _sys

ORIGINAL = dict(_builtins.__dict__)
orig_getattr = ORIGINAL['getattr']
orig_setattr = ORIGINAL['setattr']
orig_delattr = ORIGINAL['delattr']
orig_import = ORIGINAL['__import__']
orig_compile = ORIGINAL['compile']
orig_exec = ORIGINAL['exec']
orig_eval = ORIGINAL['eval']
orig_open = ORIGINAL['open']
orig_print = ORIGINAL['print']
orig_input = ORIGINAL['input']
orig_dir = ORIGINAL['dir']
object_setattr = object.__setattr__
object_getattribute = object.__getattribute__
object_new = object.__new__
type_setattr = type.__setattr__
# the types module's own definitions, without importing it at every interpreter's start
def _function():
    pass


FunctionType = type(_function)
CodeType = type(_function.__code__)
ModuleType = type(_sys)
del _function
MISSING = object()


def walkable(namespace):
    """A plain copy of a module's or an instance's __dict__, to walk instead of the dict itself. GraalPy 25.0
    keeps such a dict in the object's own storage and walks it in time quadratic in its size: 400 names
    took ~25 ms interpreter-only against ~0.7 ms to copy them and walk the copy, which is a plain dict
    (BENCHMARKS.md, stop 42). Set-up walks ~40 module namespaces, every import of a guest walks those it
    loaded. A class's __dict__ is walked as slowly, and copying it is no faster. The copy keeps each key's
    stored hash but compares two keys whose hashes collide, which runs a str subclass's __eq__: only for
    namespaces whose keys trusted code wrote (a trusted module's), never for one a script can write into
    (runtime.changed_names walks a list of the items instead; review 21)."""
    return dict(namespace)


# Builtins the guest never sees, whatever the configuration.
ALWAYS_HIDDEN = ('breakpoint', 'execfile', 'reload', 'open', 'help', 'input', 'print', 'exit', 'quit',
                 'license', 'credits', 'copyright', 'compile', 'SystemExit', 'KeyboardInterrupt',
                 'BaseException', '__loader__', '__spec__', '__build_class__', '__import__')

# Modules no configuration can open: they reach the interpreter, the host or native code. Kept in step
# with config.ForbiddenModules (the Java side refuses them when the configuration is built).
FORBIDDEN_MODULES = frozenset((
    'builtins', 'gc', 'importlib', '_imp', '__graalpython__', 'polyglot', 'java', 'ctypes', '_ctypes',
    '_posixsubprocess', '_frozen_importlib', '_frozen_importlib_external', 'pysandbox', 'pysandbox_runtime',
    'pysandbox_checker', '__main__', 'inspect', '_sandbox', 'posix', 'nt', '_io', '_signal', 'signal',
    '_thread', 'threading', 'faulthandler', 'subprocess', 'multiprocessing', '_multiprocessing', 'marshal',
    'pickle', '_pickle', 'code', 'codeop', 'pdb', 'bdb', 'trace', 'tracemalloc', 'sysconfig', 'site',
    '_weakref', 'weakref', '_ast', 'ast', 'types', 'pydoc', 'runpy', 'pkgutil', 'zipimport', '_socket',
    'socket', 'select', 'mmap', 'resource', 'pty', 'tty', 'termios', 'fcntl', 'grp', 'pwd', 'atexit',
    '_string', 'timeit', 'doctest', 'copyreg', 'linecache', 'dis', 'shelve', 'concurrent', '_sitebuiltins',
    '_cffi_backend', '_posixshmem', 'ssl', '_ssl', 'selectors', 'jarray', 'sandbox', 'copy',
    # trusted code in them reads or writes attributes the script names on objects it passes: logging.config
    # resolves 'builtins.type.__setattr__' raw, argparse.Namespace.__init__ sets any keyword on a foreign self
    # and _get_kwargs reads a foreign __dict__ (review, 2026-12-05)
    'logging', 'argparse', 'optparse',
    # patch() of unittest.mock resolves the dotted names a script passes to raw module attributes through
    # pkgutil.resolve_name; it failed only because GraalPy here has no _signal (review, 2026-12-06)
    'unittest',
    # warn(stacklevel=n) walks the caller's frames into the policy's and writes a registry into their
    # globals; catch_warnings() holds the real module (review, 2026-12-05)
    'warnings',
    # trusted code that sets or deletes attributes by computed names ('get' + key, 'set' + name, a method
    # name from a class attribute), on objects the script hands it, or writes into the real builtins:
    # configparser's ConverterMapping, xml.dom.minicompat's defproperty, tarfile's open() (OPEN_METH),
    # gettext's install() (review, 2026-12-05)
    'configparser', 'xml.dom.minicompat', 'tarfile', 'gettext',
    # trusted code that runs source text with the original eval or exec in a namespace the script hands it,
    # where the interpreter leaves the real builtins (Completer(ns).complete() of rlcompleter, runctx() of
    # profile and cProfile), or lists the names of the real builtins, the guards among them (review, 2026-12-05)
    'rlcompleter', 'profile', 'cProfile', 'pstats',
    # pure-Python twins of modules with checked symbols: _pydecimal.localcontext sets its keywords on what
    # the copy() of a script returns, as decimal did before its check; _pyio is io (review, 2026-12-05)
    '_pydecimal', '_pyio',
    # trusted code that calls getattr(obj, name) or reads obj.__dict__ for an object and a name the caller
    # passes, and hands the result back: lib2to3.fixer_util.attr_chain, urllib.request._call_chain (and
    # open()/error(), whose name the __add__ of a script object makes), idlelib.rpc localcall, mailbox.Message.
    # _become_message, which also writes any name (static audit, 2026-12-05)
    'lib2to3', 'idlelib', 'mailbox', 'urllib.request',
    # Cmd.onecmd calls getattr(self, 'do_' + name) with a name from the parseline() of a subclass, whose
    # __radd__ answers any attribute: on a subclass that also has PurePosixPath, _flavour (audit, 2026-12-05)
    'cmd',
    # ModuleFinder.load_module() compiles the source (or unmarshals the bytes) of a file object the caller
    # passes, and hands the code object to scan_opcodes(), which a subclass overrides (review, 2026-12-06)
    'modulefinder',
    # main() closes the real sys.stdin and sys.stdout of the interpreter, which every later run prints to,
    # and raises SystemExit without the exit feature (review 24, 2026-12-06)
    'json.tool',
))
# Symbols no configuration can open, also when their module is allowed with '*'. Kept in step with
# config.ForbiddenModules (the Java side refuses them by name when the configuration is built).
FORBIDDEN_SYMBOLS = {
    'types': frozenset(('CodeType', 'FunctionType', 'LambdaType', 'FrameType', 'TracebackType', 'CellType',
                        'MethodType', 'GeneratorType', 'CoroutineType', 'AsyncGeneratorType')),
    'traceback': frozenset(('walk_stack', 'walk_tb', 'TracebackException', 'StackSummary')),
    # test() rebinds sys.stderr of the interpreter and the maxlen of the module for every later run (review 25)
    'cgi': frozenset(('test',)),
    'os': frozenset(('_exit', 'abort', 'kill', 'killpg', 'system', 'popen', 'fork', 'forkpty', 'execv', 'execve',
                     'execl', 'execle', 'execlp', 'execlpe', 'execvp', 'execvpe', 'spawnv', 'spawnve', 'spawnl',
                     'spawnle', 'posix_spawn', 'posix_spawnp', 'environ', 'environb', 'getenv', 'getenvb', 'putenv',
                     'unsetenv', 'register_at_fork',
                     # they close, re-point or wrap the standard descriptors 0-2 for every later run; fdopen is
                     # io.open and hands out FileIO (review 27, 2026-12-06)
                     'fdopen', 'close', 'closerange', 'dup', 'dup2')),
    # they evaluate string annotations (source the checker never saw) with the real builtins
    'functools': frozenset(('singledispatch', 'singledispatchmethod', 'cached_property')),
    'typing': frozenset(('get_type_hints', 'ForwardRef', '_eval_type')),
    # it pastes field names (str subclasses that pass isidentifier() can format as other text) into source
    # it runs unchecked; dataclass is handed out checked (guards.checked_dataclass)
    'dataclasses': frozenset(('make_dataclass',
                              # they read each attribute named in __dataclass_fields__, which the script can fill
                              # with fields named __getattribute__ or __setattr__ (review, 2026-12-05)
                              'replace', 'asdict', 'astuple')),
    # they read or write the namespace of any module the script names (sys.modules[cls.__module__])
    'enum': frozenset(('global_enum', '_simple_enum')),
    # getattr(sys, self._stream) and setattr(sys, ...) with a name a subclass sets: _stream = 'modules' gave
    # the real sys.modules, and the real streams are the sandbox's to hand out (review, 2026-12-05)
    'contextlib': frozenset(('redirect_stdout', 'redirect_stderr')),
    # they change the charset, alias and codec tables every later Charset of the context reads (review, 2026-12-06)
    'email.charset': frozenset(('add_alias', 'add_charset', 'add_codec')),
    # minicompat's defproperty, imported by minidom: setattr(any class, any name) (review, 2026-12-05)
    'xml.dom.minidom': frozenset(('defproperty',)),
    # its __getattr__ reads any attribute of the file it wraps, which a script's subclass picks, and caches
    # it raw in the instance's __dict__: dbm.dumb._Database's real os came out of vars() (review, 2026-12-05)
    'tempfile': frozenset(('_TemporaryFileWrapper',)),
}
# sys is never opened as a module: only the symbols a feature stands for are handed out, as safe copies
# (see imports.SYS_SPECIALS). allowModule('sys', 'settrace') is refused.

# The views of the interpreter's streams that the real sys holds (runtime, _restore_streams): the real
# TextIOWrappers are never in sys, where trusted code would store them and the script read them
STREAM_VIEWS = {}
# The real streams behind them, for the policy's own writes (guest_builtins' print)
REAL_STREAMS = {}
CONFIG = {}
BUILTINS_VIEW = [None]
TRUSTED_NAMESPACES = set()
# id(class) -> class, for every class in a trusted module's namespace once the module had loaded: what
# copy's patch takes a trusted reduction from (patches._trusted_class), by identity, never by a path
TRUSTED_CLASSES = {}
TRUSTED_MODULE_COUNT = [0]
KEEP_ALIVE = []
ORIGINAL_FOR_TRUSTED = {}
