"""Imports: the allow-list, the read-only module views the guest receives, the context's import hook
and the meta-path loader that gives trusted standard-library modules the original builtins."""

import builtins as _real_builtins
import sys as _sys

from pysandbox.errors import ImportBlocked, OperationBlocked, violation as _violation
from pysandbox import guards as _guards
from pysandbox import patches as _patches
from pysandbox.guards import exact_str as _exact_str, guest_getframe as _guest_getframe, is_subclass as _is_subclass
from pysandbox.views import (ReadOnlyModule, ReadOnlyMapping, made_by_sandbox as _made_by_sandbox,
                             UNAVAILABLE as _UNAVAILABLE, NOT_ITS_OWN as _NOT_ITS_OWN,
                             REEXPORTED as _REEXPORTED, never_reason as _never_reason)
from pysandbox.state import (STREAM_VIEWS as _STREAM_VIEWS, object_getattribute as _object_getattribute, CONFIG as _CONFIG, FORBIDDEN_MODULES, FORBIDDEN_SYMBOLS as _FORBIDDEN_SYMBOLS, TRUSTED_NAMESPACES as _TRUSTED_NAMESPACES,
                             TRUSTED_CLASSES as _TRUSTED_CLASSES, walkable as _walkable,
                             TRUSTED_MODULE_COUNT as _TRUSTED_MODULE_COUNT, KEEP_ALIVE as _KEEP_ALIVE,
                             ORIGINAL_FOR_TRUSTED as _ORIGINAL_FOR_TRUSTED, orig_getattr as _orig_getattr,
                             orig_import as _orig_import, object_setattr as _object_setattr, object_new as _object_new,
                             ModuleType as _ModuleType, FunctionType as _FunctionType)

_BuiltinFunctionType = type(len)

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


def _module_allowed(name):
    modules = _CONFIG['modules']
    if name in modules:
        return True
    prefix = name + '.'
    return any(m.startswith(prefix) for m in modules)


# The symbols of sys a configuration can open (each feature stands for some of them): the rest of sys
# reaches frames, tracing, modules and the interpreter, so allowModule('sys', 'settrace') opens nothing.
SYS_SYMBOLS = frozenset(('exit', 'stdin', 'stdout', 'stderr', 'version', 'version_info', 'hexversion',
                         'api_version', '_getframe', 'maxsize', 'maxunicode', 'byteorder', 'float_info', 'int_info'))
# io opens files (open, FileIO, open_code) and wraps raw streams: only its in-memory streams and constants
IO_SYMBOLS = frozenset(('StringIO', 'BytesIO', 'SEEK_SET', 'SEEK_CUR', 'SEEK_END', 'UnsupportedOperation'))
# the modules a configuration can open only some symbols of (config.ForbiddenModules.ONLY on the Java side)
ONLY_SYMBOLS = {'sys': SYS_SYMBOLS, 'io': IO_SYMBOLS}
# symbols opened under these modules' names although a forbidden module defines them: io's streams are _io's
_OPENED_FROM_FORBIDDEN = {'io': IO_SYMBOLS}
# Symbols whose real value hands out a raw getattr or an attribute walk: the guest gets checked versions.
_CHECKED_SYMBOLS = {
    ('operator', 'attrgetter'): lambda: _guards.checked_attrgetter,
    ('operator', 'methodcaller'): lambda: _guards.checked_methodcaller,
    ('string', 'Formatter'): lambda: _guards.checked_formatter(),
    ('dataclasses', 'dataclass'): lambda: _guards.checked_dataclass,
    ('functools', 'update_wrapper'): lambda: _guards.checked_update_wrapper,
    ('functools', 'wraps'): lambda: _guards.checked_wraps,
    ('functools', 'total_ordering'): lambda: _guards.checked_total_ordering,
    ('decimal', 'localcontext'): lambda: _guards.checked_localcontext,
    ('decimal', 'setcontext'): lambda: _guards.checked_setcontext,
}
NEVER = {}


# --------------------------------------------------------------------------------------------
# A symbol is judged by what it is, not only by the name it is reached under: contextlib's wraps is
# functools.wraps, email.generator's deepcopy is copy.deepcopy, dataclasses' FunctionType is
# types.FunctionType, calendar's global_enum is enum's (audit, 2026-12-05). A function or class that a
# forbidden module defines, or a forbidden or checked symbol, is refused or checked under any name. Such a
# value exists only once its module is loaded, so the loaded modules are what the tables are made from.
# --------------------------------------------------------------------------------------------
_IDENTITY = (set(), {}, {})  # the modules looked at, forbidden ids, checked ids
_REAL_BUILTIN_IDS = frozenset(id(v) for v in _walkable(_real_builtins.__dict__).values())
# not scanned as a whole: the real builtins are judged as the guest's own are (the originals by
# _ORIGINAL_FOR_TRUSTED), os hands out posix's functions and decimal _pydecimal's under their symbols'
# rules, and the policy's modules and the guest's __main__ are never a trusted module's re-export
_NOT_SCANNED = frozenset(('builtins', 'posix', 'nt', '__main__', 'pysandbox', '_pydecimal'))


def _judged(value):
    return isinstance(value, type) or type(value) is _FunctionType or type(value) is _BuiltinFunctionType


def _defined_in(value, name, namespace):
    """What the module defines, not what it imported from others (selectors holds abc.ABCMeta), and what the
    policy put in its place (copy.deepcopy is patches' own, and email.generator imports it)."""
    if type(value) is _FunctionType:
        defined_by = _orig_getattr(value, '__globals__', None)
        return defined_by is namespace or defined_by is _patches.__dict__ and \
            _orig_getattr(value, '__module__', None) == name
    return _orig_getattr(value, '__module__', None) == name or \
        _orig_getattr(_orig_getattr(value, '__self__', None), '__dict__', None) is namespace


def _scanned(name):
    """A forbidden module, or one inside a forbidden package ('xml.dom.minicompat', 'importlib.util')."""
    parts = name.split('.')
    if parts[0] in _NOT_SCANNED or parts[0].startswith('pysandbox'):
        return False
    return any('.'.join(parts[:n]) in FORBIDDEN_MODULES for n in range(1, len(parts) + 1))


def _identity_tables():
    """(forbidden: id -> where it comes from, checked: id -> maker of the checked version), brought up to
    date with the modules loaded since the last call (each module is read once)."""
    seen, forbidden, checked = _IDENTITY
    for name in tuple(_sys.modules):
        if name in seen:
            continue
        seen.add(name)
        scanned = _scanned(name)
        if not (scanned or name in _FORBIDDEN_SYMBOLS or name in _CHECKED_MODULES):
            continue
        namespace = _orig_getattr(_sys.modules.get(name), '__dict__', None)
        if type(namespace) is not dict:
            continue
        if scanned:
            for key, value in _walkable(namespace).items():
                if _judged(value) and id(value) not in _REAL_BUILTIN_IDS and _defined_in(value, name, namespace):
                    forbidden.setdefault(id(value), "'%s.%s'" % (name, key))
        for symbol in _FORBIDDEN_SYMBOLS.get(name, ()):
            if _judged(namespace.get(symbol)):
                forbidden[id(namespace[symbol])] = "'%s.%s'" % (name, symbol)
        for (module, symbol), maker in _CHECKED_SYMBOLS.items():
            if module == name and _judged(namespace.get(symbol)):
                checked[id(namespace[symbol])] = maker
    return forbidden, checked


_CHECKED_MODULES = frozenset(name for name, _ in _CHECKED_SYMBOLS)


def _special_symbol(module_name, symbol, value, checked_by_identity):
    if module_name == 'sys':
        special = _SYS_SPECIALS.get(symbol)
        if special is not None:
            return special()
    checked = _CHECKED_SYMBOLS.get((module_name, symbol))
    if checked is None and _judged(value):
        checked = checked_by_identity.get(id(value))
    if checked is not None:
        return checked()
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
    if symbol == 'print_last':
        # it prints sys.last_exc, which the guest's read-only sys never has (and has no format_last)
        def print_last(*args, **kwargs):
            raise ValueError('no last exception')
        return print_last
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
    'stdout': lambda: _STREAM_VIEWS['stdout'],
    'stderr': lambda: _STREAM_VIEWS['stderr'],
    'stdin': lambda: _STREAM_VIEWS['stdin'],
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
    given = _given_originals(module)
    if given:
        _NOT_ITS_OWN[name] = given
    exposed = []
    for symbol in symbols:
        if symbol == '*':
            for public in _public_names(module):
                if public not in given:
                    exposed.append(public)
            continue
        if symbol not in given:
            exposed.append(symbol)
    forbidden_by_identity, checked_by_identity = _identity_tables()
    for symbol in exposed:
        if symbol not in ONLY_SYMBOLS.get(name, (symbol,)) or symbol in _FORBIDDEN_SYMBOLS.get(name, ()):
            NEVER.setdefault(name, set()).add(symbol)
            continue
        try:
            value = _orig_getattr(module, symbol)
        except (AttributeError, ImportError, SystemError):
            # not in this module, or it needs what the floor denies (a C extension)
            _UNAVAILABLE.setdefault(name, set()).add(symbol)
            continue
        if isinstance(value, _ModuleType):
            continue  # submodules are exposed only as views of their own, below
        origin = forbidden_by_identity.get(id(value)) if _judged(value) else None
        if origin is not None and (name, symbol) not in _CHECKED_SYMBOLS \
                and symbol not in _OPENED_FROM_FORBIDDEN.get(name, ()):
            _REEXPORTED[(name, symbol)] = origin
            NEVER.setdefault(name, set()).add(symbol)
            continue
        if not isinstance(value, type) and any(value is original for original in _ORIGINAL_FOR_TRUSTED.values()):
            # a module's own alias of an original builtin (tarfile.bltn_open is the original open)
            NEVER.setdefault(name, set()).add(symbol)
            continue
        _object_setattr(view, symbol, _guard_value(_special_symbol(name, symbol, value, checked_by_identity),
                                                  "'%s.%s'" % (name, symbol)))
    prefix = name + '.'
    for other in _CONFIG['modules']:
        if other.startswith(prefix) and '.' not in other[len(prefix):]:
            _object_setattr(view, other[len(prefix):], _module_view(other))
    _object_setattr(view, '__all__', tuple(s for s in exposed if hasattr(view, s) and not s.startswith('_')))
    _VIEWS[name] = view
    return view


def _given_originals(module):
    """The names the module holds only because the sandbox gave it, a trusted module, the original builtins
    (_give_originals) and that still name them: its dir() lists them, and a view of '*' exposed the
    unchecked exec, eval, getattr and open (review finding, 2026-12-05)."""
    namespace = getattr(module, '__dict__', None)
    given = _GIVEN.get(id(namespace)) if type(namespace) is dict else None
    if not given:
        return frozenset()
    return frozenset(key for key in given if namespace.get(key) is _ORIGINAL_FOR_TRUSTED.get(key))


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
    if name in FORBIDDEN_MODULES or root in FORBIDDEN_MODULES:
        # no setting allows it: the configuration refuses to name it (config.ForbiddenModules)
        raise _violation(ImportBlocked, "import of module '%s' is never allowed in the sandbox" % name)
    if not _module_allowed(name):
        raise _violation(ImportBlocked, "import of module '%s' is blocked by the sandbox" % name,
                         _setting_for_module(name))
    view = _module_view(name)
    if fromlist:
        own = _object_getattribute(view, '__dict__')
        for symbol in fromlist:
            if symbol in NEVER.get(name, ()):
                raise _violation(ImportBlocked, "'%s.%s' is never available in the sandbox: %s"
                                 % (name, symbol, _never_reason(name, symbol)))
            real = _sys.modules.get(name)
            if symbol != '*' and symbol not in own and symbol not in _UNAVAILABLE.get(name, ()) \
                    and symbol not in _NOT_ITS_OWN.get(name, ()) and real is not None and hasattr(real, symbol):
                # said here, with the setting: 'from m import s' would turn the view's AttributeError
                # into a plain "cannot import name"
                raise _violation(ImportBlocked, "cannot import name '%s' from '%s': the sandbox does not allow "
                                 "it" % (symbol, name), "allowModule('%s', '%s')" % (name, symbol))
        return view
    return _module_view(root)


def _import_star(name):
    """'from name import *' in guest code at module level (the checker rewrites it to this call): binds the
    view's public names, its __all__, in the importing namespace. GraalPy's own star import takes only a
    real module, and the guest gets a view. The names are never underscored, so no guard is overwritten."""
    frame = _sys._getframe(1)
    view = _guest_import(name, frame.f_globals, None, ('*',), 0)
    namespace = _guards.caller_locals(frame)
    for symbol in _object_getattribute(view, '__all__'):
        namespace[symbol] = _object_getattribute(view, symbol)


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
        if name == 'builtins' and fromlist and not level:
            return _builtins_for_trusted()
        module = _orig_import(name, globals, locals, fromlist, level)
        if len(_sys.modules) != _TRUSTED_MODULE_COUNT[0]:
            _register_trusted_modules()
        return module
    return _guest_import(name, globals, locals, fromlist, level)


_TRUSTED_BUILTINS = []


def _builtins_for_trusted():
    """What 'from builtins import open' in a trusted module imports from: the builtins module as it was
    before set-up. The real module no longer holds the builtins guest code must not resolve (GraalPy
    resolves guest names in it), which trusted modules already get back by name (ORIGINAL_FOR_TRUSTED);
    tokenize, tarfile and bz2 import them with from-imports, and they load after set-up (inspect and
    dataclasses import tokenize). Only this hook's trusted branch hands the module out."""
    if not _TRUSTED_BUILTINS:
        module = _ModuleType('builtins')
        module.__dict__.update(_sys.modules['builtins'].__dict__)
        module.__dict__.update(_ORIGINAL_FOR_TRUSTED)
        _TRUSTED_BUILTINS.append(module)
    return _TRUSTED_BUILTINS[0]


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
            _give_originals(namespace)
            _register_trusted_classes(namespace)
    _TRUSTED_MODULE_COUNT[0] = len(_sys.modules)


def _register_trusted_classes(namespace):
    """The classes a trusted module's namespace holds once its code has run: trusted code made them or
    imported them, before any script could place an object anywhere."""
    for value in _walkable(namespace).values():
        if _is_subclass(type, type(value)):
            _TRUSTED_CLASSES[id(value)] = value
    # a trusted subclass of an abstract class may accept classes the policy has answered issubclass for
    # already (contextlib's AbstractContextManager makes memoryview an abc.ABC)
    _patches.forget_trusted_answers()


# id(namespace) -> the names _give_originals put there (the namespaces are kept alive in _KEEP_ALIVE)
_GIVEN = {}


def _give_originals(namespace):
    """Code in a trusted module resolves the original builtins by name (GraalPy resolves every module's
    names in the one builtins module, which now holds the guest's). They go into its namespace, where
    they must never be taken for the module's own symbols (_given_originals)."""
    given = _GIVEN.setdefault(id(namespace), set())
    for key, value in _ORIGINAL_FOR_TRUSTED.items():
        if key not in namespace:
            namespace[key] = value
            given.add(key)




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
        _give_originals(namespace)
        self._loader.exec_module(module)
        _register_trusted_classes(namespace)
        _patches.patch(module)

    def __getattr__(self, name):
        return getattr(self._loader, name)




guard_value = _guard_value
guest_import = _guest_import
import_star = _import_star
import_hook = _import_hook
register_trusted_modules = _register_trusted_modules
TrustedLoaderFinder = _TrustedLoaderFinder


from pysandbox import views as _views  # noqa: E402
_views.VALUE_GUARD[0] = _guard_value
_views.NEVER = NEVER
