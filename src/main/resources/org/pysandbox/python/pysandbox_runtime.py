"""Run-time half of the sandbox policy; loaded once into every sandbox context before guest code.

It turns the context's real ``builtins`` module into the guest's builtins (GraalPy resolves every
global name through it, whatever ``__builtins__`` a namespace holds), hands trusted standard-library
modules the original builtins through their own globals, and puts every import made by guest code
through the allow-list, handing out read-only views of the allowed symbols.

Nothing defined here is reachable from guest code except through the guards' behaviour: guest
source cannot name dunders outside an allow-list, so closures, globals and frames stay hidden.
"""

import builtins as _builtins
import sys as _sys
import types as _types
import weakref as _weakref
import json as _json
import os as _os
import linecache as _linecache
import string as _string

import pysandbox_checker as _checker

_ORIGINAL = dict(_builtins.__dict__)
_orig_getattr = _ORIGINAL['getattr']
_orig_setattr = _ORIGINAL['setattr']
_orig_delattr = _ORIGINAL['delattr']
_orig_import = _ORIGINAL['__import__']
_orig_compile = _ORIGINAL['compile']
_orig_exec = _ORIGINAL['exec']
_orig_eval = _ORIGINAL['eval']
_orig_open = _ORIGINAL['open']
_orig_print = _ORIGINAL['print']
_orig_input = _ORIGINAL['input']
_object_setattr = object.__setattr__
_FunctionType = _types.FunctionType
_ModuleType = _types.ModuleType

# Builtins the guest never sees, whatever the configuration.
_ALWAYS_HIDDEN = ('breakpoint', 'execfile', 'reload', 'open', 'help', 'input', 'print', 'exit', 'quit',
                  'license', 'credits', 'copyright', 'compile', 'SystemExit', 'KeyboardInterrupt',
                  'BaseException', '__loader__', '__spec__', '__build_class__', '__import__')

# Modules no configuration can open: they reach the interpreter, the host or native code.
FORBIDDEN_MODULES = frozenset(('builtins', 'gc', 'importlib', '_imp', '__graalpython__', 'polyglot', 'java',
                               'ctypes', '_ctypes', '_posixsubprocess', '_frozen_importlib',
                               '_frozen_importlib_external', 'pysandbox_runtime', 'pysandbox_checker',
                               '__main__', 'inspect', '_sandbox'))


class SandboxViolation(Exception):
    """Base of every refusal made by the sandbox; the host maps it to a violation exception."""

    def __init__(self, message, setting=None):
        Exception.__init__(self, message)
        self.setting = setting


class ImportBlocked(SandboxViolation, ImportError):
    def __init__(self, message, setting=None):
        SandboxViolation.__init__(self, message, setting)


class AttributeBlocked(SandboxViolation, AttributeError):
    pass


class NameBlocked(SandboxViolation, NameError):
    pass


class OperationBlocked(SandboxViolation, PermissionError):
    pass


class ReadOnlyError(SandboxViolation, TypeError):
    pass


for _cls in (SandboxViolation, ImportBlocked, AttributeBlocked, NameBlocked, OperationBlocked, ReadOnlyError):
    _cls.__module__ = 'sandbox'


def refuse_read_only(what):
    """Raised on behalf of the host's read-only views, so the guest sees a clean Python error."""
    raise _violation(ReadOnlyError, '%s is a read-only view of a host value in the sandbox' % what)


def refuse_missing(message):
    raise AttributeError(message)


def refuse_call(message):
    raise _violation(OperationBlocked, message)


def _violation(cls, message, setting=None):
    return cls(message, setting)


# --------------------------------------------------------------------------------------------
# Ownership: the guest may change objects it created, never the interpreter's or a module's.
# --------------------------------------------------------------------------------------------
_OWNED_MARK = '__pysandbox_owned__'
_type_setattr = type.__setattr__


def _own(obj):
    """Marks a class or function the guest defined (the checker decorates every def and class).

    The mark is a dunder attribute, which guest source can neither read nor write; instances of a marked
    class find it through their type, so one lookup answers "did the script create this?".
    """
    try:
        if isinstance(obj, type):
            _type_setattr(obj, _OWNED_MARK, True)
        else:
            _object_setattr(obj, _OWNED_MARK, True)
    except (TypeError, AttributeError):
        pass
    return obj


def _is_owned(obj):
    return _orig_getattr(obj, _OWNED_MARK, False) is True


def _may_change(obj):
    cls = type(obj)
    if _orig_getattr(cls, _OWNED_MARK, False) is True:
        return True
    if cls is type or cls is _FunctionType or isinstance(obj, type):
        return _orig_getattr(obj, _OWNED_MARK, False) is True
    return isinstance(obj, BaseException)


def _store_guard(obj, name):
    # the common case first, without a nested Python call: an instance of a class the script defined
    if _orig_getattr(type(obj), _OWNED_MARK, False) is True:
        return obj
    if _may_change(obj):
        return obj
    raise _violation(ReadOnlyError, "changing attribute '%s' of %s is blocked by the sandbox: only objects "
                     "created by the script can be changed" % (name, _describe(obj)))


def _describe(obj):
    if isinstance(obj, type):
        return "class '%s'" % obj.__name__
    return "a '%s' object" % type(obj).__name__


def _dict_guard(obj):
    if _may_change(obj) and not isinstance(obj, type):
        return obj.__dict__
    raise _violation(AttributeBlocked, "reading '__dict__' of %s is blocked by the sandbox" % _describe(obj))


# --------------------------------------------------------------------------------------------
# Attribute names read at run time (getattr & co., str.format fields) follow the static rules.
# --------------------------------------------------------------------------------------------
def _exact_str(value):
    """The plain str behind a guest string: a str subclass could lie through __eq__, __hash__ or
    startswith() to the checks while the interpreter uses its real characters."""
    if type(value) is str or not isinstance(value, str):
        return value
    return str.encode(value, 'utf-8', 'surrogatepass').decode('utf-8', 'surrogatepass')


def _check_name(name, loading=True):
    if not isinstance(name, str):
        return
    if name in _checker.DENIED_ATTRIBUTES:
        if not (name == 'f_code' and _CONFIG.get('frame_code') and loading):
            raise _violation(AttributeBlocked, "access to %s ('.%s') is blocked by the sandbox"
                             % (_checker.DENIED_ATTRIBUTES[name], name))
    if _checker._is_dunder(name):
        allowed = _checker.SAFE_DUNDER_ATTRIBUTES if loading else _checker.SAFE_DUNDER_STORES
        if name not in allowed:
            raise _violation(AttributeBlocked, "%s the attribute '%s' is blocked by the sandbox"
                             % ('reading' if loading else 'changing', name))


_MISSING = object()


def _guest_getattr(obj, name, default=_MISSING):
    name = _exact_str(name)
    _check_name(name)
    if name == 'obj' and isinstance(obj, BaseException):
        return _exception_object_guard(obj)
    if name == '__dict__':
        return _dict_guard(obj)
    if name in _checker.FORMAT_METHODS:
        return _format_guard(obj, name)
    if name == 'f_code':
        return _frame_code_guard(obj)
    if default is _MISSING:
        return _orig_getattr(obj, name)
    return _orig_getattr(obj, name, default)


def _guest_hasattr(obj, name):
    try:
        _guest_getattr(obj, name)
        return True
    except AttributeError:
        return False


def _guest_setattr(obj, name, value):
    name = _exact_str(name)
    _check_name(name, loading=False)
    _orig_setattr(_store_guard(obj, name), name, value)


def _guest_delattr(obj, name):
    name = _exact_str(name)
    _check_name(name, loading=False)
    _orig_delattr(_store_guard(obj, name), name)


def _guest_vars(*args):
    if not args:
        return _caller_namespace(_sys._getframe(1).f_locals)
    if len(args) != 1:
        raise TypeError('vars expected at most 1 argument, got %d' % len(args))
    return _dict_guard(args[0])


def _guest_globals():
    return _caller_namespace(_sys._getframe(1).f_globals)


def _guest_locals():
    return _caller_namespace(_sys._getframe(1).f_locals)


def _caller_namespace(namespace):
    if id(namespace) in _TRUSTED_NAMESPACES:
        raise _violation(OperationBlocked, 'reading the namespace of sandbox internals is blocked')
    _hide_real_builtins(namespace)
    return namespace


def _hide_real_builtins(namespace):
    """GraalPy's exec() stores the real builtins dict in the globals it runs with; put the view back."""
    if type(namespace) is dict:
        current = namespace.get('__builtins__')
        if current is _builtins.__dict__ or current is _builtins:
            namespace['__builtins__'] = _BUILTINS_VIEW[0]


# --------------------------------------------------------------------------------------------
# Recursion limit: GraalPy ignores sys.setrecursionlimit, so guest functions count their frames.
# --------------------------------------------------------------------------------------------
_depth = 0
_depth_limit = 50


def _enter():
    global _depth
    _depth += 1
    if _depth > _depth_limit:
        _depth -= 1
        raise RecursionError('maximum recursion depth exceeded (the sandbox allows %d frames)' % _depth_limit)


def _leave():
    global _depth
    _depth -= 1


# --------------------------------------------------------------------------------------------
# str.format walks attributes named inside the format string: use a formatter that checks them.
# --------------------------------------------------------------------------------------------
class _CheckedFormatter(_string.Formatter):
    def get_field(self, field_name, args, kwargs):
        first, rest = _string_formatter_field_name_split(field_name)
        obj = self.get_value(first, args, kwargs)
        for is_attr, key in rest:
            if is_attr:
                obj = _guest_getattr(obj, key)
            else:
                obj = obj[key]
        return obj, first


_string_formatter_field_name_split = _ORIGINAL['str'].__dict__.get('_formatter_field_name_split') or \
    __import__('_string').formatter_field_name_split
_FORMATTER = _CheckedFormatter()


def _safe_format(template, *args, **kwargs):
    if not isinstance(template, str):
        raise TypeError("descriptor 'format' requires a 'str' object")
    return _FORMATTER.vformat(template, args, kwargs)


def _safe_format_map(template, mapping):
    if not isinstance(template, str):
        raise TypeError("descriptor 'format_map' requires a 'str' object")
    return _FORMATTER.vformat(template, (), mapping)


def _format_guard(obj, name):
    if obj is str:
        return _safe_format if name == 'format' else _safe_format_map
    if isinstance(obj, str):
        if name == 'format':
            return lambda *args, **kwargs: _safe_format(obj, *args, **kwargs)
        return lambda mapping: _safe_format_map(obj, mapping)
    return _orig_getattr(obj, name)


# --------------------------------------------------------------------------------------------
# Frames are never handed out; with 'traceback' the guest may read a summary of the code.
# --------------------------------------------------------------------------------------------
class CodeSummary(object):
    __slots__ = ('co_name', 'co_filename', 'co_firstlineno', 'co_argcount', 'co_qualname')

    def __init__(self, code):
        for name in self.__slots__:
            _object_setattr(self, name, _orig_getattr(code, name, None))

    def __setattr__(self, name, value):
        raise _violation(ReadOnlyError, 'code summaries are read-only')

    def __repr__(self):
        return '<code summary %s>' % self.co_name


class FrameSummary(object):
    __slots__ = ('_code', 'f_lineno')

    def __init__(self, frame):
        _object_setattr(self, '_code', CodeSummary(frame.f_code))
        _object_setattr(self, 'f_lineno', frame.f_lineno)

    def __setattr__(self, name, value):
        raise _violation(ReadOnlyError, 'frame summaries are read-only')

    def __repr__(self):
        return '<frame summary %s line %s>' % (self._code.co_name, self.f_lineno)


def _frame_code_guard(obj):
    if type(obj) is FrameSummary:
        return obj._code
    raise _violation(AttributeBlocked, "access to frame code objects ('.f_code') is blocked by the sandbox",
                     "feature 'traceback'")


def _guest_getframe(depth=0):
    frame = _sys._getframe(int(depth) + 1)
    return FrameSummary(frame)


# --------------------------------------------------------------------------------------------
# Read-only views handed to the guest in place of modules, mappings and streams.
# --------------------------------------------------------------------------------------------
class ReadOnlyModule(object):
    """A module as the guest sees it: only the allowed symbols, none of them replaceable."""

    def __setattr__(self, name, value):
        raise _violation(ReadOnlyError, "module '%s' is read-only in the sandbox" % self.__name__)

    def __delattr__(self, name):
        raise _violation(ReadOnlyError, "module '%s' is read-only in the sandbox" % self.__name__)

    def __repr__(self):
        return "<module '%s' (sandboxed)>" % self.__name__

    def __getattr__(self, name):
        module = _object_getattribute(self, '__name__')
        if name in _UNAVAILABLE.get(module, ()):
            raise AttributeError("module '%s' has no attribute '%s': it is allowed, but GraalPy cannot provide it "
                                 "without native code, which the sandbox denies" % (module, name))
        raise _violation(AttributeBlocked, "module '%s' has no attribute '%s' in the sandbox (not allowed by "
                         "the configuration)" % (_object_getattribute(self, '__name__'), name),
                         "allowModule('%s', '%s')" % (_object_getattribute(self, '__name__'), name))


_object_getattribute = object.__getattribute__
_UNAVAILABLE = {}


# The views below keep what they wrap out of their own attributes: any attribute not spelled with
# dunders can be read by guest code (c._x, getattr, object.__getattribute__), so the wrapped objects live
# in this table, keyed by the view, where guest code cannot reach them.
# Keyed by id (views may define __hash__/__eq__ that call out), dropped when the view dies.
_PRIVATE = {}
_object_new = object.__new__


def _made_by_sandbox(cls, data):
    view = _object_new(cls)
    key = id(view)
    _PRIVATE[key] = (_weakref.ref(view, lambda ref, key=key: _PRIVATE.pop(key, None)), data)
    return view


def _private(view):
    try:
        ref, data = _PRIVATE[id(view)]
        if ref() is view:
            return data
        raise KeyError(id(view))
    except KeyError:
        raise _violation(ReadOnlyError, 'this %s was not made by the sandbox and is empty' % type(view).__name__)


class _SandboxMade(object):
    """Instances are made only by the sandbox; a script calling the class gets an error."""
    __slots__ = ('__weakref__',)

    def __new__(cls, *args, **kwargs):
        raise _violation(ReadOnlyError, '%s objects are made by the sandbox only' % cls.__name__)

    def __setattr__(self, name, value):
        raise _violation(ReadOnlyError, 'this %s is read-only in the sandbox' % type(self).__name__)

    def __delattr__(self, name):
        raise _violation(ReadOnlyError, 'this %s is read-only in the sandbox' % type(self).__name__)


class ReadOnlyMapping(_SandboxMade):
    """A dictionary seen through the sandbox: readable, values guarded, never changed."""
    __slots__ = ()

    def __getitem__(self, key):
        return _guard_value(_private(self)[key], 'item %r' % (key,))

    def get(self, key, default=None):
        data = _private(self)
        return _guard_value(data[key], 'item %r' % (key,)) if key in data else default

    def __contains__(self, key):
        return key in _private(self)

    def __iter__(self):
        return iter(list(_private(self)))

    def __len__(self):
        return len(_private(self))

    def keys(self):
        return list(_private(self).keys())

    def values(self):
        return [self[k] for k in _private(self)]

    def items(self):
        return [(k, self[k]) for k in _private(self)]

    def copy(self):
        return {k: self[k] for k in _private(self)}

    def __repr__(self):
        return '<read-only mapping of %d items>' % len(_private(self))


class StreamView(_SandboxMade):
    """sys.stdin/stdout/stderr as the guest sees them: text I/O only, no buffer, no file."""
    __slots__ = ()

    def write(self, text):
        if not isinstance(text, str):
            raise TypeError('write() argument must be str, not %s' % type(text).__name__)
        return _private(self)[0].write(text)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        _private(self)[0].flush()

    def read(self, size=-1):
        return _private(self)[0].read(size)

    def readline(self, size=-1):
        return _private(self)[0].readline(size)

    def readlines(self):
        return _private(self)[0].readlines()

    def __iter__(self):
        return iter(self.readline, '')

    def isatty(self):
        return False

    @property
    def encoding(self):
        return 'utf-8'

    def __repr__(self):
        return '<sandboxed %s>' % _private(self)[1]


class HostValueView(_SandboxMade):
    """An object of a trusted context of the host (a polyglot value), seen read-only.

    Members are read, and protocol methods called, through the host-side accessor kept private here;
    assignments and deletions fail, and the accessor itself is never reachable.
    """
    __slots__ = ()

    def __getattribute__(self, name):
        _check_name(name)
        return _private(self)('get', name)

    def __call__(self, *args, **kwargs):
        if kwargs:
            raise TypeError('host callables take positional arguments only')
        return _private(self)('call', *args)

    def __str__(self):
        return _private(self)('str')

    def __repr__(self):
        return _private(self)('repr')

    def __hash__(self):
        return _private(self)('hash')

    def __dir__(self):
        return list(_private(self)('dir'))


def host_value_view(accessor):
    return _made_by_sandbox(HostValueView, accessor)


class CheckedCode(_SandboxMade):
    """What compile() gives the guest: code the checker accepted, runnable only by exec() and eval().

    A real code object is never handed out: its type builds code from raw parts and its replace()
    rewrites names and constants the checker has seen.
    """
    __slots__ = ()

    @property
    def co_filename(self):
        return _private(self).co_filename

    @property
    def co_name(self):
        return _private(self).co_name

    def __repr__(self):
        return '<checked code from %r>' % _private(self).co_filename


def _exception_object_guard(obj):
    """AttributeError.obj may be a real module or sandbox internal the failed lookup ran on."""
    value = _orig_getattr(obj, 'obj')
    if isinstance(obj, BaseException):
        if isinstance(value, _ModuleType) or not (value is None or _may_change(value)
                                                   or type(value) in _PLAIN_VALUE_TYPES):
            return None
    return value


_PLAIN_VALUE_TYPES = frozenset((int, float, complex, bool, str, bytes, bytearray, tuple, list, dict, set,
                                frozenset, range, slice, type(None)))


def _guard_value(value, where):
    """What a guest receives from a module view: never a module it may not import, never a raw dict."""
    if isinstance(value, _ModuleType):
        name = value.__name__
        if _module_allowed(name):
            return _module_view(name)
        raise _violation(ImportBlocked, "%s is the module '%s', which is blocked by the sandbox" % (where, name),
                         "allowModule('%s')" % name)
    if type(value) is dict:
        return _made_by_sandbox(ReadOnlyMapping, value)
    if type(value) is list:
        return tuple(_guard_value(v, where) for v in value)
    return value


# --------------------------------------------------------------------------------------------
# Imports.
# --------------------------------------------------------------------------------------------
_VIEWS = {}
_TRUSTED_NAMESPACES = set()
_TRUSTED_MODULE_COUNT = [0]


def _module_allowed(name):
    modules = _CONFIG['modules']
    if name in modules:
        return True
    prefix = name + '.'
    return any(m.startswith(prefix) for m in modules)


def _special_symbol(module_name, symbol, value):
    if module_name == 'sys':
        special = _SYS_SPECIALS.get(symbol)
        if special is not None:
            return special()
    if module_name == 'traceback' and callable(value):
        return _traceback_function(symbol, value)
    return value


# --------------------------------------------------------------------------------------------
# Tracebacks the guest formats itself never show the sandbox's own frames.
# --------------------------------------------------------------------------------------------
def _is_internal_file(filename):
    return isinstance(filename, str) and filename.startswith('<pysandbox ')


def _filter_traceback_text(text):
    kept = []
    skipping = False
    for line in text.splitlines(True):
        stripped = line.lstrip()
        if stripped.startswith('File "<pysandbox '):
            skipping = True
            continue
        if skipping and line.startswith('    ') and not stripped.startswith('File "'):
            continue
        skipping = False
        kept.append(line)
    return ''.join(kept)


def _traceback_function(symbol, function):
    if symbol == 'format_exc':
        def format_exc(*args, **kwargs):
            return _filter_traceback_text(function(*args, **kwargs))
        return format_exc
    if symbol.startswith('format_'):
        def format_lines(*args, **kwargs):
            return [t for t in (_filter_traceback_text(x) for x in function(*args, **kwargs)) if t]
        format_lines.__name__ = symbol
        return format_lines
    if symbol.startswith('extract_'):
        def extract(*args, **kwargs):
            return [entry for entry in function(*args, **kwargs) if not _is_internal_file(entry.filename)]
        extract.__name__ = symbol
        return extract
    if symbol.startswith('print_'):
        formatter = _orig_getattr(_sys.modules['traceback'], 'format_' + symbol[len('print_'):])

        def print_(*args, file=None, **kwargs):
            if symbol == 'print_stack':
                args = ()  # frames are never the guest's to pass; format the current stack
            text = formatter(*args, **kwargs)
            text = _filter_traceback_text(text if isinstance(text, str) else ''.join(text))
            target = file if file is not None else _sys.stderr
            if file is None and not _CONFIG['stderr']:
                raise _violation(OperationBlocked, 'printing a traceback to standard error is blocked by the '
                                 'sandbox', "feature 'stderr'")
            target.write(text)
        print_.__name__ = symbol
        return print_
    return function


_SYS_SPECIALS = {
    '_getframe': lambda: _guest_getframe,
    'stdout': lambda: _made_by_sandbox(StreamView, (_sys.stdout, 'stdout')),
    'stderr': lambda: _made_by_sandbox(StreamView, (_sys.stderr, 'stderr')),
    'stdin': lambda: _made_by_sandbox(StreamView, (_sys.stdin, 'stdin')),
    'exit': lambda: _sys.exit,
}


def _module_view(name):
    view = _VIEWS.get(name)
    if view is not None:
        return view
    module = _orig_import(name, fromlist=('__name__',))
    _register_trusted_modules()
    view = _object_new(ReadOnlyModule)
    _object_setattr(view, '__name__', name)
    _object_setattr(view, '__doc__', getattr(module, '__doc__', None))
    symbols = _CONFIG['modules'].get(name)
    if symbols is None:
        symbols = []
    exposed = []
    for symbol in symbols:
        if symbol == '*':
            for public in _public_names(module):
                exposed.append(public)
            continue
        exposed.append(symbol)
    for symbol in exposed:
        try:
            value = _orig_getattr(module, symbol)
        except (AttributeError, ImportError, SystemError):
            # not in this module, or it needs what the floor denies (a C extension)
            _UNAVAILABLE.setdefault(name, set()).add(symbol)
            continue
        if isinstance(value, _ModuleType):
            continue  # submodules are exposed only as views of their own, below
        _object_setattr(view, symbol, _guard_value(_special_symbol(name, symbol, value), "'%s.%s'" % (name, symbol)))
    prefix = name + '.'
    for other in _CONFIG['modules']:
        if other.startswith(prefix) and '.' not in other[len(prefix):]:
            _object_setattr(view, other[len(prefix):], _module_view(other))
    _object_setattr(view, '__all__', tuple(s for s in exposed if hasattr(view, s) and not s.startswith('_')))
    _VIEWS[name] = view
    return view


def _public_names(module):
    names = getattr(module, '__all__', None)
    if names is None:
        names = [n for n in dir(module) if not n.startswith('_')]
    return [n for n in names if not isinstance(getattr(module, n, None), _ModuleType)]


def _guest_import(name, globals=None, locals=None, fromlist=(), level=0):
    if level:
        raise _violation(ImportBlocked, 'relative imports are blocked by the sandbox')
    if not isinstance(name, str):
        raise TypeError('module name must be str')
    name = _exact_str(name)
    root = name.split('.')[0]
    if name in FORBIDDEN_MODULES or root in FORBIDDEN_MODULES or not _module_allowed(name):
        raise _violation(ImportBlocked, "import of module '%s' is blocked by the sandbox" % name,
                         _setting_for_module(name))
    view = _module_view(name)
    if fromlist:
        return view
    return _module_view(root)


def _setting_for_module(name):
    feature = _FEATURE_OF_MODULE.get(name.split('.')[0])
    if feature:
        return "feature '%s'" % feature
    return "allowModule('%s', ...)" % name


_FEATURE_OF_MODULE = {'codecs': 'codecs', 'datetime': 'datetime', 'encodings': 'encodings', 'hashlib': 'hashlib',
                      'itertools': 'itertools', 'math': 'math', 'random': 'random', 're': 'regex',
                      'time': 'time', 'traceback': 'traceback', 'unicodedata': 'unicodedata',
                      '__future__': 'future', 'sys': 'interpreter'}


def _import_hook(name, globals=None, locals=None, fromlist=(), level=0):
    """The context's real __import__, which guest source can never call directly.

    The checker rewrites the name ``__import__`` in guest source to the guest import, and the builtins
    view hands out the same, so this hook is reached only by import statements (which pass the globals
    of the importing code) and by the interpreter itself: GraalPy's Java side imports helper modules
    (``codecs`` on a bytes.decode, ...) with no globals while guest code is on the stack. Statements
    in trusted modules import freely; statements in guest code go through the allow-list.
    """
    if globals is None or _trusted_namespace(globals):
        module = _orig_import(name, globals, locals, fromlist, level)
        if len(_sys.modules) != _TRUSTED_MODULE_COUNT[0]:
            _register_trusted_modules()
        return module
    return _guest_import(name, globals, locals, fromlist, level)


def _trusted_namespace(namespace):
    if id(namespace) in _TRUSTED_NAMESPACES:
        return True
    if len(_sys.modules) != _TRUSTED_MODULE_COUNT[0]:
        # a module that GraalPy initialises itself (the Python half of a builtin module such as time)
        # is in sys.modules before its code runs, but was never seen by the trusted loader
        _register_trusted_modules()
        return id(namespace) in _TRUSTED_NAMESPACES
    return False


def _register_trusted_modules():
    for module in list(_sys.modules.values()):
        namespace = getattr(module, '__dict__', None)
        if type(namespace) is dict and id(namespace) not in _TRUSTED_NAMESPACES:
            _TRUSTED_NAMESPACES.add(id(namespace))
            _KEEP_ALIVE.append(namespace)
            for key, value in _ORIGINAL_FOR_TRUSTED.items():
                namespace.setdefault(key, value)
    _TRUSTED_MODULE_COUNT[0] = len(_sys.modules)


_KEEP_ALIVE = []
_ORIGINAL_FOR_TRUSTED = {}


class _TrustedLoaderFinder(object):
    """Gives every module loaded after set-up the original builtins before its code runs."""

    def find_spec(self, fullname, path=None, target=None):
        for finder in _sys.meta_path:
            if finder is self:
                continue
            find = getattr(finder, 'find_spec', None)
            if find is None:
                continue
            spec = find(fullname, path, target)
            if spec is not None:
                if spec.loader is not None and hasattr(spec.loader, 'exec_module'):
                    spec.loader = _TrustedLoader(spec.loader)
                return spec
        return None


class _TrustedLoader(object):
    def __init__(self, loader):
        self._loader = loader

    def create_module(self, spec):
        return self._loader.create_module(spec)

    def exec_module(self, module):
        namespace = module.__dict__
        _TRUSTED_NAMESPACES.add(id(namespace))
        _KEEP_ALIVE.append(namespace)
        for key, value in _ORIGINAL_FOR_TRUSTED.items():
            namespace.setdefault(key, value)
        self._loader.exec_module(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)


# --------------------------------------------------------------------------------------------
# Builtins that depend on features.
# --------------------------------------------------------------------------------------------
def _blocked(name, setting):
    def blocked(*args, **kwargs):
        raise _violation(OperationBlocked, '%s() is blocked by the sandbox' % name, setting)
    blocked.__name__ = name
    return blocked


def _guest_print(*args, **kwargs):
    target = kwargs.get('file')
    if target is None:
        if not _CONFIG['stdout']:
            raise _violation(OperationBlocked, 'print() to standard output is blocked by the sandbox',
                             "feature 'stdout'")
        kwargs['file'] = _sys.stdout
    _orig_print(*args, **kwargs)


def _guest_input(prompt=''):
    if not _CONFIG['stdin']:
        raise _violation(OperationBlocked, 'input() is blocked by the sandbox', "feature 'stdin'")
    if prompt and _CONFIG['stdout']:
        _sys.stdout.write(str(prompt))
        _sys.stdout.flush()
    line = _sys.stdin.readline()
    if not line:
        raise EOFError('EOF when reading a line')
    return line[:-1] if line.endswith('\n') else line


def _guest_help(obj=_MISSING):
    """help(obj): the pydoc text of an object the script already holds, written to standard output.

    GraalPy has no site-installed help() here, and pydoc imports modules by name and probes the file
    system (which the floor refuses); the sandboxed help documents objects only, from their docstrings.
    """
    if obj is _MISSING:
        text = ("Type help(object) for help about object; interactive help and help('name') are not "
                "available in the sandbox.\n")
    elif isinstance(obj, str):
        raise _violation(OperationBlocked, "help('%s'): looking up documentation by name is blocked by the "
                         "sandbox; pass the object itself" % obj[:80])
    else:
        text = _render_help(obj)
    if not _CONFIG['stdout']:
        return text
    _sys.stdout.write(text)
    return None


def _render_help(obj):
    def doc_of(value):
        text = _orig_getattr(value, '__doc__', None)
        return text.strip() if isinstance(text, str) else ''

    def indent(text, by='    '):
        return ''.join(by + line + '\n' for line in text.splitlines()) if text else ''

    name = _orig_getattr(obj, '__qualname__', None) or _orig_getattr(obj, '__name__', None) or type(obj).__name__
    if isinstance(obj, type):
        kind = 'class'
    elif callable(obj):
        kind = 'function'
    else:
        kind = "object of type '%s'" % type(obj).__name__
        obj_doc = doc_of(type(obj))
        return 'Help on %s:\n\n%s' % (kind, indent(obj_doc))
    lines = ['Help on %s %s:\n\n%s\n' % (kind, name, name), indent(doc_of(obj))]
    if isinstance(obj, type):
        for attr in sorted(n for n in dir(obj) if not n.startswith('_')):
            value = _orig_getattr(obj, attr, None)
            if callable(value):
                lines.append('    %s\n%s' % (attr, indent(doc_of(value).split('\n\n')[0], '        ')))
    return ''.join(lines)


def _guest_exit(code=None):
    raise SystemExit(code)


def _guest_open(file, mode='r', buffering=-1, encoding=None, errors=None, newline=None, closefd=True, opener=None):
    mode = _exact_str(mode)
    if not isinstance(mode, str) or set(mode) - set('rbt') or 'r' not in mode:
        raise _violation(OperationBlocked, "open() in mode %r is blocked by the sandbox: files are read-only" % (mode,))
    if opener is not None or not closefd or isinstance(file, int):
        raise _violation(OperationBlocked, 'open() of file descriptors or with an opener is blocked by the sandbox')
    path = _os.fspath(file)
    if isinstance(path, bytes):
        path = bytes(path).decode('utf-8', 'surrogateescape')
    path = _exact_str(path)
    real = _os.path.realpath(path)
    for root in _CONFIG['paths']:
        if real == root or real.startswith(root.rstrip(_os.sep) + _os.sep):
            return _orig_open(real, mode, buffering, encoding, errors, newline)
    raise _violation(OperationBlocked, "reading '%s' is blocked by the sandbox" % path, "allowPath('%s')" % path)


def _checked_source_code(source, mode, filename='<string>'):
    if type(source) is CheckedCode:
        return _private(source)
    if isinstance(source, _types.CodeType):
        raise _violation(OperationBlocked, 'running code objects is blocked by the sandbox')
    if isinstance(source, (bytes, bytearray)):
        source = bytes(source).decode('utf-8')
    if not isinstance(source, str):
        raise TypeError('source must be a string')
    try:
        return _checker.check_expression(source, filename, _CONFIG, _orig_compile, mode)
    except _checker.Violation as v:
        raise _violation(OperationBlocked, v.message, v.setting)


def _namespace_for_guest(globals_, locals_, depth):
    if globals_ is None:
        frame = _sys._getframe(depth + 1)
        globals_ = frame.f_globals
        if locals_ is None:
            locals_ = frame.f_locals
    if type(globals_) is not dict:
        raise TypeError('globals must be a dict')
    if id(globals_) in _TRUSTED_NAMESPACES or (locals_ is not None and id(locals_) in _TRUSTED_NAMESPACES):
        raise _violation(OperationBlocked, 'running code in the namespace of sandbox internals is blocked')
    globals_.setdefault('__builtins__', _BUILTINS_VIEW[0])
    return globals_, locals_


def _guest_exec(source, globals=None, locals=None):
    code = _checked_source_code(source, 'exec')
    g, l = _namespace_for_guest(globals, locals, 1)
    try:
        return _orig_exec(code, g, l)
    finally:
        _hide_real_builtins(g)


def _guest_eval(source, globals=None, locals=None):
    if isinstance(source, str):
        source = source.strip(' \t')
    code = _checked_source_code(source, 'eval')
    g, l = _namespace_for_guest(globals, locals, 1)
    try:
        return _orig_eval(code, g, l)
    finally:
        _hide_real_builtins(g)


def _guest_compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1):
    if mode not in ('exec', 'eval', 'single'):
        raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
    if flags & ~0x3ffff000:
        raise _violation(OperationBlocked, 'compile() flags are blocked by the sandbox')
    return _made_by_sandbox(CheckedCode, _checked_source_code(source, mode, str(filename)))


class BuiltinsView(ReadOnlyModule):
    pass


_BUILTINS_VIEW = [None]
_CONFIG = {}


def _guest_builtins():
    """The builtins the guest gets in place of the originals, for the current configuration."""
    config = _CONFIG
    guarded = {
        'getattr': _guest_getattr, 'hasattr': _guest_hasattr, 'setattr': _guest_setattr,
        'delattr': _guest_delattr, 'vars': _guest_vars, 'globals': _guest_globals, 'locals': _guest_locals,
        'exec': _guest_exec, 'eval': _guest_eval, '__import__': _import_hook,
    }
    if config['stdout'] or config['stderr']:
        guarded['print'] = _guest_print
    else:
        guarded['print'] = _blocked('print', "feature 'stdout'")
    guarded['input'] = _guest_input if config['stdin'] else _blocked('input', "feature 'stdin'")
    if config['paths']:
        guarded['open'] = _guest_open
    if config['exit']:
        guarded['exit'] = _guest_exit
        guarded['quit'] = _guest_exit
        for name in ('SystemExit', 'KeyboardInterrupt', 'BaseException'):
            guarded[name] = _ORIGINAL[name]
    if config['compile']:
        guarded['compile'] = _guest_compile
    if config['help']:
        guarded['help'] = _guest_help
    if config['site']:
        for name in ('license', 'credits', 'copyright'):
            if name in _ORIGINAL:
                guarded[name] = _ORIGINAL[name]
    return guarded


def _install_builtins(guarded):
    namespace = _builtins.__dict__
    for name in _ALWAYS_HIDDEN:
        if name not in ('__loader__', '__spec__', '__build_class__', '__import__'):
            namespace.pop(name, None)
    namespace.update(guarded)
    namespace[_checker.GUARD_STORE] = _store_guard
    namespace[_checker.GUARD_DICT] = _dict_guard
    namespace[_checker.GUARD_FORMAT] = _format_guard
    namespace[_checker.GUARD_OWN] = _own
    namespace[_checker.GUARD_FRAME_CODE] = _frame_code_guard
    namespace[_checker.GUARD_EXCEPTION_OBJECT] = _exception_object_guard
    namespace[_checker.GUARD_IMPORT] = _guest_import
    namespace[_checker.GUARD_ENTER] = _enter
    namespace[_checker.GUARD_LEAVE] = _leave

    view = _object_new(BuiltinsView)
    _object_setattr(view, '__name__', 'builtins')
    for name, value in namespace.items():
        if name.startswith('__') and name not in ('__import__', '__doc__'):
            continue
        if not isinstance(value, _ModuleType):
            _object_setattr(view, name, value)
    _object_setattr(view, '__import__', _guest_import)
    _BUILTINS_VIEW[0] = view
    namespace[_checker.BUILTINS_VIEW] = view


# --------------------------------------------------------------------------------------------
# Entry points called by the host.
# --------------------------------------------------------------------------------------------
_CODE_CACHE = {}
_CODE_CACHE_LIMIT = 256


def setup(config_json):
    config = _json.loads(config_json)
    config['paths'] = [_os.path.realpath(p) for p in config['paths']]
    _CONFIG.update(config)
    global _depth_limit
    _depth_limit = int(config['recursion_limit'])
    guarded = _guest_builtins()
    # Trusted modules keep the originals of every builtin the guest sees differently or not at all.
    for name in set(guarded) | set(_ALWAYS_HIDDEN):
        if name in _ORIGINAL and name not in ('__import__', '__build_class__', '__loader__', '__spec__'):
            _ORIGINAL_FOR_TRUSTED[name] = _ORIGINAL[name]
    _TRUSTED_NAMESPACES.add(id(_builtins.__dict__))
    # GraalPy imports the codec registry from Java on the first str.encode/bytes.decode, with the guest's
    # frame on top of the stack; importing it here makes that a lookup of a module that is already trusted.
    import encodings as _encodings  # noqa: F401
    _register_trusted_modules()
    _sys.meta_path.insert(0, _TrustedLoaderFinder())
    _neutralise_signals()
    # Hide host paths and the environment from anything that could print them.
    _sys.path_importer_cache.clear()
    _os.environ.clear()
    _install_builtins(guarded)
    return True


def _neutralise_signals():
    """GraalPy 25.0 lets Python raise real signals in the host JVM; take the functions away."""
    try:
        import signal as _signal
    except ImportError:
        return
    for name in ('raise_signal', 'signal', 'alarm', 'setitimer', 'pthread_kill', 'siginterrupt',
                 'set_wakeup_fd', 'pause', 'sigwait', 'sigtimedwait', 'sigwaitinfo', 'pthread_sigmask'):
        if hasattr(_signal, name):
            try:
                delattr(_signal, name)
            except (AttributeError, TypeError):
                pass
    for name in ('kill', 'killpg', 'abort', '_exit', 'system', 'fork', 'execv', 'execve'):
        if hasattr(_os, name):
            setattr(_os, name, _blocked(name, None))


def new_namespace():
    """A fresh guest namespace: the __dict__ of a module object that is in no sys.modules (GraalPy looks
    globals up faster in a module's dict than in a plain dict), emptied to the one name a plain
    namespace would hold."""
    namespace = _ModuleType('__main__').__dict__
    namespace.clear()
    namespace['__builtins__'] = _BUILTINS_VIEW[0]
    return namespace


def compile_guest(source, filename, want_value):
    key = (source, filename, bool(want_value))
    cached = _CODE_CACHE.get(key)
    if cached is not None:
        return cached
    options = dict(_CONFIG)
    options['want_value'] = want_value
    try:
        code = _checker.check(source, filename, options, _orig_compile)
    except _checker.Violation as v:
        raise _violation(OperationBlocked, v.message, v.setting) from None
    if len(_CODE_CACHE) >= _CODE_CACHE_LIMIT:
        _CODE_CACHE.clear()
    _CODE_CACHE[key] = code
    _linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    return code


class Outcome(object):
    """What a run hands back to the host: the value, the changed names, an exit status."""
    __slots__ = ('value', 'exit_status', 'exited')

    def __init__(self, value, exited, exit_status):
        self.value = value
        self.exited = exited
        self.exit_status = exit_status


def run(source, filename, globals_, locals_, want_value):
    """Runs guest source in the given namespaces, confined and with the recursion limit."""
    body, last, _ = compile_guest(source, filename, want_value)
    if globals_ is None:
        globals_ = new_namespace()
    else:
        globals_.setdefault('__builtins__', _BUILTINS_VIEW[0])
    if locals_ is None:
        locals_ = globals_
    return _confined(_run_code, body, last, globals_, locals_)


def _run_code(body, last, globals_, locals_):
    try:
        if body is not None:
            _orig_exec(body, globals_, locals_)
        if last is not None:
            return _orig_eval(last, globals_, locals_)
        return None
    finally:
        _hide_real_builtins(globals_)


def call(function, args):
    """Calls a guest function on behalf of the host, under the same confinement as a run."""
    return _confined(function, *args)


def _confined(function, *args):
    global _depth
    saved = _depth
    _depth = 1  # the module (or the called function's caller) is the first frame
    try:
        try:
            return Outcome(function(*args), False, None)
        except SystemExit as exit_:
            if not _CONFIG['exit']:
                raise
            return Outcome(None, True, exit_.code)
    finally:
        _depth = saved
        # everything the call printed is in the host's writers before the host is answered
        flush_streams()


def evaluate(source, filename, want_value, names, values, track, local_names, local_values):
    """One host evaluation in one guest entry: fill the namespaces, run, and encode for the host the
    value, the exit status and the names the script bound, so a small rule costs one crossing.

    names/values (and local_names/local_values, or None for no separate locals) are parallel host
    arrays; track says whether the host wants the globals' changes back (locals' always come back).
    Returns (exited, exit status, encoded value, globals' changes or None, locals' changes or None,
    bounded): bounded tells the host that this source runs in bounded time (see the checker's is_bounded).
    """
    body, last, bounded = compile_guest(source, filename, want_value)
    globals_ = new_namespace()
    _fill(globals_, names, values)
    before = dict(globals_) if track else None
    if local_names is None:
        locals_ = globals_
        local_before = None
    else:
        locals_ = {}
        _fill(locals_, local_names, local_values)
        local_before = dict(locals_)
    outcome = _confined(_run_code, body, last, globals_, locals_)
    exited, status = outcome_exit(outcome)
    return (exited, status, None if exited else export(outcome.value),
            _encoded_changes(globals_, before) if track else None,
            _encoded_changes(locals_, local_before) if local_before is not None else None, bounded)


def _fill(namespace, names, values):
    for i in range(len(names)):
        namespace[names[i]] = values[i]


def _encoded_changes(namespace, before):
    changed, deleted = changed_names(namespace, before)
    return [(name, export(value)) for name, value in changed], deleted


def outcome_value(outcome):
    return outcome.value


def outcome_exit(outcome):
    return (outcome.exited, outcome.exit_status if isinstance(outcome.exit_status, (int, str, type(None))) else str(outcome.exit_status))


# --------------------------------------------------------------------------------------------
# Values going to the host: exact builtin types become data, the rest an opaque handle.
# --------------------------------------------------------------------------------------------
def export(value, _depth=0):
    """Encodes a guest value as (kind, payload) for the host, never running guest code."""
    t = type(value)
    if value is None:
        return ('none', None)
    if t is bool:
        return ('bool', value)
    if t is int:
        return ('int', str(value)) if value.bit_length() > 62 else ('int', value)
    if t is float:
        return ('float', value)
    if t is str:
        return ('str', value)
    if _depth > 64:
        return ('object', value)
    if t is list or t is tuple:
        return ('list', [export(v, _depth + 1) for v in value])
    if t is dict:
        return ('dict', [(export(k, _depth + 1), export(v, _depth + 1)) for k, v in list(value.items())])
    if t is set or t is frozenset:
        return ('set', [export(v, _depth + 1) for v in value])
    if t is bytes or t is bytearray:
        # one latin-1 string instead of a list of ints: a large buffer crosses in one step
        return ('bytes', bytes(value).decode('latin-1'))
    return ('object', value)


def changed_names(namespace, before):
    """Names the guest bound or rebound at top level, as (name, value) pairs, and deleted names."""
    changed = []
    for key, value in list(namespace.items()):
        if type(key) is not str or key == '__builtins__':
            continue
        if key not in before or before[key] is not value:
            changed.append((key, value))
    deleted = [key for key in before if key not in namespace]
    return changed, deleted


def describe(value):
    """repr() of a guest value for the host, bounded in size."""
    try:
        text = repr(value)
    except Exception as err:
        text = '<unrepresentable %s: %s>' % (type(value).__name__, type(err).__name__)
    return text if len(text) <= 1000 else text[:997] + '...'


def exception_info(exc, filename):
    """(type name, message, is violation, setting, is recursion, file, line, column) of a guest exception.

    The location is the innermost frame of the guest's own source, not of the sandbox or the stdlib.
    """
    name = type(exc).__name__
    try:
        message = str(exc)
    except Exception:
        message = '<unprintable %s>' % name
    is_violation = isinstance(exc, SandboxViolation)
    setting = getattr(exc, 'setting', None) if is_violation else None
    file, line, column = filename, -1, -1
    if isinstance(exc, SyntaxError):
        file = exc.filename or filename
        line = exc.lineno if exc.lineno is not None else -1
        column = exc.offset if exc.offset is not None else -1
        message = exc.msg if exc.msg is not None else message
    else:
        tb = exc.__traceback__
        while tb is not None:
            code = tb.tb_frame.f_code
            if code.co_filename == filename:
                line = tb.tb_lineno
            tb = tb.tb_next
    return (name, message, is_violation, setting, isinstance(exc, RecursionError), file, line, column)


def type_name(value):
    return type(value).__name__


def callable_names(value):
    """Names of the public callables of a guest object (for Invocable.getInterface)."""
    names = []
    for name in dir(value):
        if not name.startswith('_'):
            try:
                if callable(_orig_getattr(value, name)):
                    names.append(name)
            except Exception:
                pass
    return names


def get_member(value, name):
    _check_name(name)
    return _orig_getattr(value, name)


def lookup(namespace, name):
    return namespace.get(name)


def is_callable(value):
    return callable(value)


def flush_streams():
    for stream in (_sys.stdout, _sys.stderr):
        try:
            stream.flush()
        except Exception:
            pass

