"""Read-only views handed to the guest in place of modules, mappings, streams, host values and code.

A view keeps what it wraps outside its own attributes (in a private table keyed by the view), cannot be
constructed by the script, and refuses every change."""

import _weakref  # weakref.ref itself; the weakref module costs start-up time

from pysandbox.errors import AttributeBlocked, ReadOnlyError, violation as _violation
from pysandbox.state import object_setattr as _object_setattr, object_getattribute as _object_getattribute, \
    object_new as _object_new, FORBIDDEN_MODULES as _FORBIDDEN_MODULES

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
        if name in NOT_ITS_OWN.get(module, ()):
            raise AttributeError("module '%s' has no attribute '%s'" % (module, name))
        if name in _UNAVAILABLE.get(module, ()):
            raise AttributeError("module '%s' has no attribute '%s': it is allowed, but GraalPy cannot provide it "
                                 "without native code, which the sandbox denies" % (module, name))
        if module + '.' + name in _FORBIDDEN_MODULES:
            # a submodule no configuration opens: no hint to allow it as a symbol
            raise _violation(AttributeBlocked, "'%s.%s' is never available in the sandbox: the module can never "
                             "be allowed" % (module, name))
        if name in NEVER.get(module, ()):
            raise _violation(AttributeBlocked, "'%s.%s' is never available in the sandbox: %s"
                             % (module, name, never_reason(module, name)))
        raise _violation(AttributeBlocked, "module '%s' has no attribute '%s' in the sandbox (not allowed by "
                         "the configuration)" % (_object_getattribute(self, '__name__'), name),
                         "allowModule('%s', '%s')" % (_object_getattribute(self, '__name__'), name))


_UNAVAILABLE = {}
# (module, symbol) -> the forbidden or never-available object it is under another name ('copy.deepcopy')
REEXPORTED = {}


def never_reason(module, name):
    origin = REEXPORTED.get((module, name))
    if origin is not None:
        return "it is %s, which no configuration opens" % origin
    return "it reaches the interpreter's internals"
# set by the imports module: names in a module's namespace only because the sandbox gave the trusted module
# the original builtins (exec, open, getattr, ...); the module never had them
NOT_ITS_OWN = {}
NEVER = {}  # replaced by imports.NEVER: symbols of a module no configuration opens
# set by the imports module (which needs the views): what a view hands out for a module or a dict
VALUE_GUARD = [None]


def _guard_value(value, where):
    return VALUE_GUARD[0](value, where)


# The views below keep what they wrap out of their own attributes: any attribute not spelled with
# dunders can be read by guest code (c._x, getattr, object.__getattribute__), so the wrapped objects live
# in this table, keyed by the view, where guest code cannot reach them.
# Keyed by id (views may define __hash__/__eq__ that call out), dropped when the view dies.
_PRIVATE = {}


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




made_by_sandbox = _made_by_sandbox
private = _private
UNAVAILABLE = _UNAVAILABLE
