"""The guards the checker's rewrite calls: ownership of objects (only what the script made can change),
attribute names read at run time, str.format field walks, frame summaries and the recursion count.

Every name rule here is the checker's rule applied to a value known only at run time."""

import sys as _sys

from pysandbox import checker as _checker
from pysandbox.errors import (AttributeBlocked, OperationBlocked, ReadOnlyError, violation as _violation)
from pysandbox.state import (CONFIG as _CONFIG, BUILTINS_VIEW as _BUILTINS_VIEW, TRUSTED_NAMESPACES as _TRUSTED_NAMESPACES,
                             ORIGINAL as _ORIGINAL, orig_getattr as _orig_getattr, orig_setattr as _orig_setattr,
                             orig_delattr as _orig_delattr, orig_dir as _orig_dir, object_setattr as _object_setattr,
                             type_setattr as _type_setattr, object_new as _object_new, FunctionType as _FunctionType,
                             object_getattribute as _object_getattribute,
                             ModuleType as _ModuleType, ORIGINAL_FOR_TRUSTED as _ORIGINAL_FOR_TRUSTED,
                             CodeType as _CodeType, MISSING as _MISSING)
import builtins as _builtins

# --------------------------------------------------------------------------------------------
# Ownership: the guest may change objects it created, never the interpreter's or a module's.
# --------------------------------------------------------------------------------------------
_OWNED_MARK = _checker.OWNED_MARK
_type_setattr = type.__setattr__


def _own(obj):
    """Marks a function the guest defined: the checker makes this the innermost decorator of every def,
    so it receives the new function whatever the other decorators return.

    Classes are not marked here: the checker puts the mark into the class body itself, so only a class
    made from a checked class body has it in its own namespace; a metaclass that returns an existing
    object leaves that object unmarked. The mark is a dunder name, which guest source can neither read
    nor write; instances of a marked class find it through their type.
    """
    if type(obj) is _FunctionType:
        _object_setattr(obj, _OWNED_MARK, True)
    return obj


def _is_owned(obj):
    return _orig_getattr(obj, _OWNED_MARK, False) is True


def _may_change(obj):
    cls = type(obj)
    if _orig_getattr(cls, _OWNED_MARK, False) is True:
        return True
    if cls is _FunctionType:
        # a trusted module's closure is never the script's: the real update_wrapper copied a class's marks
        # into contextlib.contextmanager's helper (review, 2026-12-05). The counting wrappers made here for
        # the script's lambdas, generators and coroutines stand for its functions, and carry the mark.
        # Only those: a review wrote the mark into the dict of the guest's getattr, a policy function too,
        # through deepcopy's memo (2026-12-06).
        return _orig_getattr(obj, _OWNED_MARK, False) is True and (
            not _is_trusted_function(obj) or _is_counting_wrapper(obj))
    if cls is type or _is_subclass(type, cls):
        return _orig_getattr(obj, _OWNED_MARK, False) is True
    return _is_subclass(BaseException, cls)


# Standard-library classes whose instances the script may change under these names only (patches fills it,
# by class): the fields that ordinary code sets, on a class that takes any value there without handing it to
# raw attribute work (decimal's Context checks each of them itself). `decimal.getcontext().prec = 50` and
# `ET.Element('a').text = 'x'` were refused as changes of objects the script did not create.
_SETTABLE = {}


def _store_guard(obj, name):
    """obj, for a store or delete of obj.name that goes through obj's own __setattr__ or __delattr__ (a
    checked site, setattr()): the script's own objects, and the fields of _SETTABLE."""
    # the common case first, without a nested Python call: an instance of a class the script defined
    if _orig_getattr(type(obj), _OWNED_MARK, False) is True:
        return obj
    if _may_change(obj):
        return obj
    if _compares_by_identity(type(obj)) and name in _SETTABLE.get(type(obj), ()):
        return obj
    raise _refused_store(obj, name)


def _raw_store_guard(obj, name):
    """obj, for a write past its class's own __setattr__/__delattr__ (object.__setattr__, an instance dict,
    delattr()): only the script's own objects. A _SETTABLE field is set through the class's checks, which
    object.__setattr__(decimal.DefaultContext, 'prec', 'zz') skipped (review, 2026-12-06)."""
    if _may_change(obj):
        return obj
    raise _refused_store(obj, name)


def _refused_store(obj, name):
    return _violation(ReadOnlyError, "changing attribute '%s' of %s is blocked by the sandbox: only objects "
                      "created by the script can be changed" % (name, _describe(obj)))


def _require_instance(owner, obj, method):
    """A trusted Python method's self: a plain function takes any first argument, and a trusted one writes its
    fixed names onto whatever it is given (reviews, 2026-12-05). Only an instance of the class it came from."""
    if obj is _MISSING:
        raise TypeError("%s() needs a '%s' object, not nothing" % (method, owner.__name__))
    if not _is_subclass(owner, type(obj)):
        raise TypeError("%s() needs a '%s' object, not %s" % (method, owner.__name__, _describe(obj)))


def _require_class(owner, cls, method):
    """A trusted __new__'s first argument: the class it came from or a subclass (it makes an object of it)."""
    if cls is _MISSING or not _is_subclass(type, type(cls)) or not _is_subclass(owner, cls):
        raise TypeError("%s() needs the class '%s' or a subclass of it, not %s"
                        % (method, owner.__name__, 'nothing' if cls is _MISSING else _describe(cls)))


def _describe(obj):
    if isinstance(obj, type):
        return "class '%s'" % obj.__name__
    return "a '%s' object" % type(obj).__name__


def _dict_guard(obj):
    """vars(obj), obj.__dict__: only of what the script may change. An instance's is its own dict, which holds
    what reading its attributes finds there. A class's namespace also holds what trusted code put into it
    (the __init__ dataclass() writes, total_ordering's methods, a trusted class body's private helpers under
    a subclass's name), which reading it as an attribute would judge: its values are judged the same way."""
    if not _may_change(obj):
        raise _violation(AttributeBlocked, "reading '__dict__' of %s is blocked by the sandbox" % _describe(obj))
    if _is_subclass(type, type(obj)):
        return _judged_namespace(obj)
    own = _own_dict_to_hand_out(obj)
    return own if own is not None else _judged_instance_namespace(obj)


def _own_dict_to_hand_out(obj):
    """The own dict of an object no trusted code writes into: a function of the script's, or an instance whose
    classes are all the script's own (what obj._name reads raw, _private_guard). An exact dict or None: a
    class whose metaclass's MRO left out type passed for such an instance, and '__dict__' read off it was the
    slot descriptor of its namespace, which read the raw dict of an object with a trusted base (review 16,
    2026-12-06)."""
    cls = type(obj)
    if not (cls is _FunctionType or _is_pure(cls)):
        return None
    try:
        namespace = _object_getattribute(obj, '__dict__')
    except AttributeError:
        return None
    return namespace if type(namespace) is dict else None


def _hands_out_its_own_dict(obj):
    return _own_dict_to_hand_out(obj) is not None


class _ClassNamespace(object):
    """A script class's namespace, read-only like the mappingproxy it stands for, whose values are judged by
    name as a read of the attribute off the class judges them (_namespace_value)."""
    # the class sits in a slot under a dunder name, which guest source and the run-time attribute guards
    # refuse, and is read only through the slot's own descriptor (_owner), of an exact view: a script's
    # subclass whose __getattr__ answered the lookup of an empty slot with 'type' read type's namespace
    # (review, 2026-12-05). No __init__: _judged_namespace makes each view.
    __slots__ = ('__pysandbox_owner__',)

    def __init_subclass__(cls, **options):
        raise TypeError("a class's namespace view cannot be subclassed")

    def __getitem__(self, name):
        return _namespace_item(_owner(self), name)

    def get(self, name, default=None):
        owner = _owner(self)
        return _namespace_item(owner, name) if _namespace_holds(owner, name) else default

    def __contains__(self, name):
        return _namespace_holds(_owner(self), name)

    def __iter__(self):
        return iter(_namespace_names(_owner(self)))

    def __len__(self):
        return len(_namespace_names(_owner(self)))

    def keys(self):
        return _namespace_names(_owner(self))

    def values(self):
        owner = _owner(self)
        return [_namespace_item(owner, name) for name in _namespace_names(owner)]

    def items(self):
        owner = _owner(self)
        return [(name, _namespace_item(owner, name)) for name in _namespace_names(owner)]

    def copy(self):
        owner = _owner(self)
        return {name: _namespace_item(owner, name) for name in _namespace_names(owner)}

    def __or__(self, other):
        return _ClassNamespace.copy(self) | other

    def __ror__(self, other):
        return dict(other) | _ClassNamespace.copy(self)

    def __reversed__(self):
        return reversed(_namespace_names(_owner(self)))

    def __eq__(self, other):
        if type(other) is _ClassNamespace:
            return _owner(self) is _owner(other)
        return _ClassNamespace.copy(self) == other

    __hash__ = None

    def __repr__(self):
        return 'mappingproxy(%r)' % (_ClassNamespace.copy(self),)


def _namespace_item(owner, name):
    # a plain str only: a key of the script's with str's hash and an __eq__ that says yes found
    # '__setstate__' past every name check (review, 2026-12-05)
    name = _exact_str(name)
    if type(name) is not str:
        raise KeyError(name)
    _check_name(name)
    return _namespace_value(owner, name, _type_dict(owner)[name])


def _namespace_holds(owner, name):
    name = _exact_str(name)
    namespace = _type_dict(owner)
    return type(name) is str and _readable(name) and name in namespace and _shown(name, namespace[name])


def _namespace_names(owner):
    namespace = _type_dict(owner)
    return [name for name in namespace if type(name) is str and _readable(name) and _shown(name, namespace[name])]


def _shown(name, value):
    # the descriptors _namespace_value refuses are left out, so that dict(vars(C)) and .items() still work
    return not _reads_past_the_guards(name, value)


def _reads_past_the_guards(name, value):
    """A class's own '__dict__' or private slot descriptor: it reads those of its instances and of every
    subclass's, past the judged view and the private guard."""
    return _is_one_of(type(value), _DATA_DESCRIPTOR_TYPES) and (name in _GUARDED_READS or _is_private(name))


_view_owner = _ClassNamespace.__dict__['__pysandbox_owner__'].__get__


def _owner(view):
    if type(view) is not _ClassNamespace:
        raise TypeError("a class's namespace view is needed, not %s" % _describe(view))
    return _view_owner(view)


class _InstanceNamespace(dict):
    """vars(obj) of an instance whose class has a trusted base (an exception, a subclass of abc.ABC or of a
    trusted class): trusted code writes into its __dict__ too, and the raw dict handed out what obj._name
    refuses (copy's slot state put dbm.dumb._Database's real os there, tempfile's caching __getattr__ too;
    reviews, 2026-12-05). Reads and writes through its methods go to the object's own dict, each value
    judged by name as reading the attribute judges it; writes take the names and the objects setattr()
    takes. A dict, so that json, dict(), ** and == work: its own storage, which readers that skip the
    methods see (json's C encoder, {}.update(view)), is the judged copy made with it and kept up by writes
    through it. Not subclassable; the object sits in a dunder slot read through the slot's descriptor."""
    __slots__ = ('__pysandbox_owner__',)

    def __init_subclass__(cls, **options):
        raise TypeError("an object's namespace view cannot be subclassed")

    @classmethod
    def fromkeys(cls, keys, value=None):
        return dict.fromkeys(keys, value)

    def __getitem__(self, name):
        obj = _instance_owner(self)
        name = _exact_str(name)
        if not _shown_in_instance_view(name):
            _check_name(name)
            raise KeyError(name)
        return _instance_value(obj, name, _raw_instance_dict(obj)[name])

    def get(self, name, default=None):
        return _InstanceNamespace.__getitem__(self, name) if _InstanceNamespace.__contains__(self, name) \
            else default

    def __contains__(self, name):
        name = _exact_str(name)
        return _shown_in_instance_view(name) and name in _raw_instance_dict(_instance_owner(self))

    def __iter__(self):
        return iter(_instance_names(_instance_owner(self)))

    def __reversed__(self):
        return reversed(_instance_names(_instance_owner(self)))

    def __len__(self):
        return len(_instance_names(_instance_owner(self)))

    def keys(self):
        return _instance_names(_instance_owner(self))

    def values(self):
        return list(_judged_instance_items(_instance_owner(self)).values())

    def items(self):
        return list(_judged_instance_items(_instance_owner(self)).items())

    def copy(self):
        return _judged_instance_items(_instance_owner(self))

    __copy__ = copy

    def __reduce_ex__(self, protocol):
        # copy.deepcopy and pickle make a plain dict of the judged items
        return dict, (_judged_instance_items(_instance_owner(self)),)

    def __repr__(self):
        return repr(_judged_instance_items(_instance_owner(self)))

    def __eq__(self, other):
        return _judged_instance_items(_instance_owner(self)) == other

    def __ne__(self, other):
        return _judged_instance_items(_instance_owner(self)) != other

    __hash__ = None

    def __or__(self, other):
        return _judged_instance_items(_instance_owner(self)) | other

    def __ror__(self, other):
        return dict(other) | _judged_instance_items(_instance_owner(self))

    def __ior__(self, other):
        _InstanceNamespace.update(self, other)
        return self

    def __setitem__(self, name, value):
        obj = _instance_owner(self)
        name = _attribute_name(name)
        _check_name(name, loading=False)
        _raw_instance_dict(_raw_store_guard(obj, name))[name] = value
        dict.__setitem__(self, name, value)

    def __delitem__(self, name):
        obj = _instance_owner(self)
        name = _attribute_name(name)
        _check_name(name, loading=False)
        del _raw_instance_dict(_raw_store_guard(obj, name))[name]
        dict.pop(self, name, None)

    def update(self, *args, **kwargs):
        for name, value in dict(*args, **kwargs).items():
            _InstanceNamespace.__setitem__(self, name, value)

    def setdefault(self, name, default=None):
        if not _InstanceNamespace.__contains__(self, name):
            _InstanceNamespace.__setitem__(self, name, default)
        return _InstanceNamespace.__getitem__(self, name)

    def pop(self, name, *default):
        if len(default) > 1:
            raise TypeError('pop expected at most 2 arguments, got %d' % (1 + len(default)))
        if not _InstanceNamespace.__contains__(self, name):
            if default:
                return default[0]
            raise KeyError(name)
        value = _InstanceNamespace.__getitem__(self, name)
        _InstanceNamespace.__delitem__(self, name)
        return value

    def popitem(self):
        names = _instance_names(_instance_owner(self))
        if not names:
            raise KeyError('popitem(): dictionary is empty')
        return names[-1], _InstanceNamespace.pop(self, names[-1])

    def clear(self):
        for name in _instance_names(_instance_owner(self)):
            _InstanceNamespace.__delitem__(self, name)


_instance_view_owner = _InstanceNamespace.__dict__['__pysandbox_owner__'].__get__
_set_instance_view_owner = _InstanceNamespace.__dict__['__pysandbox_owner__'].__set__


def _instance_owner(view):
    if type(view) is not _InstanceNamespace:
        raise TypeError("an object's namespace view is needed, not %s" % _describe(view))
    return _instance_view_owner(view)


def _raw_instance_dict(obj):
    # past __getattr__: a trusted base's may answer '__dict__' for a slotted object with another object's dict
    namespace = _object_getattribute(obj, '__dict__')
    if type(namespace) is not dict:
        raise _violation(AttributeBlocked, "reading '__dict__' of %s is blocked by the sandbox: it is not the "
                         "object's own dict" % _describe(obj))
    return namespace


def _attribute_name(name):
    name = _exact_str(name)
    if type(name) is not str:
        raise TypeError("attribute name must be string, not '%s'" % type(name).__name__)
    return name


def _shown_in_instance_view(name):
    # '__dict__' in an instance's own dict is never what reading the attribute finds
    return type(name) is str and name != '__dict__' and _readable(name)


def _instance_names(obj):
    return [name for name in _raw_instance_dict(obj) if _shown_in_instance_view(name)]


def _judged_instance_items(obj):
    raw = _raw_instance_dict(obj)
    return {name: _instance_value(obj, name, raw[name]) for name in list(raw)
            if _shown_in_instance_view(name) and name in raw}


def _instance_value(obj, name, value):
    """What obj.name hands out, for a value found in obj's own dict (_guest_getattr's rules)."""
    if name in _METHOD_GUARDED_NAMES:
        return _guarded_method(obj, name, value)
    if _is_private(name):
        return _private_value(obj, name, value)
    if name in _GUARDED_READS and not _is_scripts_function(value):
        return _guest_getattr(obj, name)
    return value


def _judged_instance_namespace(obj):
    view = dict.__new__(_InstanceNamespace)
    _set_instance_view_owner(view, obj)
    dict.update(view, _judged_instance_items(obj))
    return view


# isinstance(vars(C), Mapping) is true as for a class's own mappingproxy: patches registers the view when
# _collections_abc loads (importing it here was ~110 ms of every context's start)
ClassNamespace = _ClassNamespace


def _readable(name):
    """A name reading an attribute may use: the rest (__setstate__, the bookkeeping marks) a class's namespace
    does not show; dataclasses' __setstate__ wrote any field name onto any object (review, 2026-12-05)."""
    if name in _checker.DENIED_ATTRIBUTES:
        # _check_name's exception: the setting that lets a read of f_code through
        return name == 'f_code' and bool(_CONFIG.get('frame_code'))
    return not _checker._is_dunder(name) or name in _checker.SAFE_DUNDER_ATTRIBUTES


def _judged_namespace(owner):
    view = _object_new(_ClassNamespace)
    _object_setattr(view, '__pysandbox_owner__', owner)
    return view


def _namespace_value(owner, name, value):
    """What reading name off owner hands out, for a value found in owner's own namespace (vars(C)['__init__']
    was the raw __init__ dataclass() wrote, which wrote its fields onto any object; review, 2026-12-05)."""
    if _is_one_of(type(value), _DATA_DESCRIPTOR_TYPES):
        if _orig_getattr(value, '__objclass__', None) is not owner:
            # type's own '__dict__' descriptor gave the raw namespace of any class (review, 2026-12-05): a
            # slot, '__dict__' or '__weakref__' only of the class itself
            raise _violation(AttributeBlocked, "reading '%s' out of the namespace of %s is blocked by the "
                             "sandbox: it is another class's descriptor" % (name, _describe(owner)))
        if _reads_past_the_guards(name, value):
            # the '__dict__' of a pure class's gave the raw dict of a subclass's instance with a trusted base,
            # past the judged view (review, 2026-12-05)
            raise _violation(AttributeBlocked, "reading '%s' out of the namespace of %s is blocked by the "
                             "sandbox: it reads what the attribute read judges (read vars() of the object, or "
                             "the attribute)" % (name, _describe(owner)))
    if _is_one_of(type(value), (staticmethod, classmethod, property)) and not _is_scripts_function(
            _orig_getattr(value, '__func__', None) or _orig_getattr(value, 'fget', None)):
        # trusted code's method wrapper: its __wrapped__ is the raw function (enum's
        # _generate_next_value_; review, 2026-12-05). What reading it off the class gives instead.
        return _guest_getattr(owner, name)
    if name in _METHOD_GUARDED_NAMES:
        return _guarded_method(owner, name, value)
    if _is_private(name):
        return _private_value(owner, name, value)
    if name in _GUARDED_READS and name != '__dict__' and not _is_scripts_function(value):
        # format, format_map, obj, f_code and the attribute slots: what reading them off the class hands out
        # (str.format walks attributes unchecked, a frozen dataclass's __setattr__ set any name, __class__
        # too, with object.__setattr__; review, 2026-12-05); a function of the script's own is its own
        return _guest_getattr(owner, name)
    return value


_DATA_DESCRIPTOR_TYPES = frozenset((type(type.__dict__['__dict__']),
                                    type(_ClassNamespace.__dict__['__pysandbox_owner__'])))


def _is_scripts_function(value):
    # by the mark every checked def carries (_own), as _may_change tests it, not by its globals: dataclasses
    # runs the methods it writes in the globals {} for a class whose __module__ names no module, and a
    # frozen class's __setattr__, which sets any name (__class__ too) raw, passed for the script's own
    # (review 17, 2026-12-06)
    return type(value) is _FunctionType and _may_change(value)


# --------------------------------------------------------------------------------------------
# Attribute names read at run time (getattr & co., str.format fields) follow the static rules.
# --------------------------------------------------------------------------------------------
_str_join = str.join


def _exact_str(value):
    """The plain str behind a guest string: a str subclass could lie through __eq__, __hash__ or
    startswith() to the checks while the interpreter uses its real characters. Decided by the object's
    storage, as GraalPy's getattr decides what is a name, not by isinstance(): a metaclass's mro() can
    leave str out of a str subclass's __mro__, and isinstance() then says no while getattr still takes
    the object as a name (review, 2026-12-06). Anything str.join does not take is left as it is."""
    if type(value) is str:
        return value
    try:
        return _str_join('', (value,))
    except TypeError:
        return value


def _check_name(name, loading=True):
    if type(name) is not str:
        name = _exact_str(name)
        if type(name) is not str:
            return  # not a name to the interpreter either: getattr() and setattr() refuse it
    if name in _checker.DENIED_ATTRIBUTES:
        if not (name == 'f_code' and _CONFIG.get('frame_code') and loading):
            raise _violation(AttributeBlocked, "access to %s ('.%s') is blocked by the sandbox"
                             % (_checker.DENIED_ATTRIBUTES[name], name))
    if _checker._is_dunder(name):
        allowed = _checker.SAFE_DUNDER_ATTRIBUTES if loading else _checker.SAFE_DUNDER_STORES
        if name not in allowed:
            raise _violation(AttributeBlocked, "%s the attribute '%s' is blocked by the sandbox"
                             % ('reading' if loading else 'changing', name))




# A private attribute of trusted code can hold what the guest must never hold raw: a module
# (catch_warnings()._module is the real warnings, whose sys leads everywhere; PurePath._flavour was the real
# posixpath until patches made it a class of path functions; dbm.dumb._Database._os is the real os) or an
# original builtin. Module views never hand those out, but guest source reads private
# attributes off any object (review, 2026-12-05). A private read, in source, getattr(), a slot, a format
# field, attrgetter or a class pattern, hands out its value only when it is neither.
_is_subclass = type.__subclasscheck__
_BuiltinFunctionType = type(len)


class _Bound:
    def method(self):
        pass


_MethodType = type(_Bound().method)
_METHOD_GUARDED_NAMES = _checker.METHOD_GUARDED_NAMES


def _internal_kind(value):
    """What value is when the script must never hold it (a raw module, an unchecked builtin, a trusted
    module's namespace, a code object, a frame or a traceback), else None."""
    kind = type(value)
    if kind is _ModuleType or _is_subclass(_ModuleType, kind):
        return "the module '%s'" % _orig_getattr(value, '__name__', '?')
    if kind is _BuiltinFunctionType and any(value is o for o in _ORIGINAL_FOR_TRUSTED.values()):
        return "the unchecked builtin '%s'" % _orig_getattr(value, '__name__', '?')
    if kind is dict and id(value) in _TRUSTED_NAMESPACES:
        return "a trusted module's namespace"
    if kind is _CodeType or kind is _FrameType or kind is _TracebackType:
        return 'a %s object' % kind.__name__
    return None


def _private_value(obj, name, value):
    what = _internal_kind(value)
    if what is None:
        kind = type(value)
        if kind is _MethodType or kind is _FunctionType:
            return _checked_private_method(obj, name, value)
        if not _is_one_of(kind, _DATA_DESCRIPTOR_TYPES):
            return value
        # a private slot's descriptor, read off a class, reads that slot of any subclass's instance raw
        what = 'a slot descriptor, which reads the slot of every subclass\'s instances'
    raise _violation(AttributeBlocked, "reading '%s' of %s is blocked by the sandbox: it holds %s"
                     % (name, _describe(obj), what))


def _is_trusted_function(value):
    """A Python function of a trusted module (its globals are a trusted namespace)."""
    return type(value) is _FunctionType and id(_orig_getattr(value, '__globals__')) in _TRUSTED_NAMESPACES


def _written_by_the_script(function):
    """A Python function whose code the checker saw: the mark every checked def carries, in globals that are
    not a trusted module's. What trusted code generates without the mark (dataclasses' methods, run in the
    globals {} for a class whose __module__ names no module; namedtuple's __new__) is judged as a trusted
    module's function is, not taken for the script's own (review 18, 2026-12-06). The counting wrappers of
    the script's lambdas carry the mark in the policy's globals, and are judged as trusted, as before."""
    return (_orig_getattr(function, _OWNED_MARK, False) is True
            and id(_orig_getattr(function, '__globals__')) not in _TRUSTED_NAMESPACES)


def _checked_private_method(obj, name, method):
    """A trusted object's private method can return what its private attributes may not hold:
    email.charset.Charset._get_encoder() returned the real email.quoprimime (review, 2026-12-05). Its result
    is looked at like a private attribute's value; the script's own methods are handed out as they are."""
    # read off the class, it is the plain function, which takes any instance (review, 2026-12-05)
    function = method if type(method) is _FunctionType else _orig_getattr(method, '__func__', None)
    if type(function) is not _FunctionType or _written_by_the_script(function):
        return method
    if _orig_getattr(function, '__globals__').get('__name__', '').startswith('pysandbox'):
        # the policy's own functions that a view hands out (sys._getframe counts its caller's frames)
        return method

    owner = _defining_class(obj, name, function) if method is function else None
    if owner is not None:
        # a plain function takes any first argument: decimal.Context._set_integer_check(PurePath,
        # '__pysandbox_owned__', True, 0, 1) wrote the ownership mark (audit, 2026-12-05), also read
        # through a relay such as typing.Annotated[decimal.Context, 0] (review). Only an instance of the
        # class that defines it, as for the dunder methods (_method_guard). A __new__ takes that class or
        # a subclass, of which it makes a new object: namedtuple's, kept under a private name and called as
        # cls._base_new(cls, x) (review 19, 2026-12-06). A __new__ by where a class holds it, not by its
        # __name__, which trusted wrappers copy from the script's function (review 20).
        require = _require_class if _is_a_new(owner, function) else _require_instance

        def checked(*args, **kwargs):
            require(owner, args[0] if args else _MISSING, '%s.%s' % (owner.__name__, name))
            return _private_value(obj, name + '()', method(*args, **kwargs))
    elif method is function and '.' in _orig_getattr(function, '__qualname__', ''):
        # a method whose class neither the MRO read nor its qualified name finds: namedtuple's 'P._replace'
        # read through a relay (types.GenericAlias(P, ())) took any self (review 14, 2026-12-06). Its self is
        # an instance of a class that holds it.
        def checked(*args, **kwargs):
            if not args or not _holds_anywhere(type(args[0]), function):
                raise TypeError("%s() needs an instance of its own class, not %s"
                                % (name, _describe(args[0]) if args else 'nothing'))
            return _private_value(obj, name + '()', method(*args, **kwargs))
    else:
        def checked(*args, **kwargs):
            return _private_value(obj, name + '()', method(*args, **kwargs))
    checked.__name__ = checked.__qualname__ = name
    return checked


def _is_a_new(owner, function):
    """function is the __new__ of owner or of one of its bases (held directly or as a staticmethod)."""
    for c in _type_mro(owner):
        if _holds(c, '__new__', function):
            return True
    return False


def _holds_anywhere(cls, function):
    for c in _type_mro(cls):
        for held in _type_dict(c).values():
            if held is function:
                return True
    return False


def _defining_class(obj, name, function):
    """The class whose namespace holds function: along the MRO of what it was read off, under the name read
    (datetime.date._date__setstate has the qualified name 'date.__setstate', and wrote onto re.RegexFlag;
    review, 2026-12-05), else by its qualified name through its module's classes (a trusted relay read it:
    typing.Annotated[decimal.Context, 0]), or None: a module-level function, or one defined in another."""
    for c in _type_mro(obj if _is_subclass(type, type(obj)) else type(obj)):
        if _holds(c, name, function):
            return c
    parts = _orig_getattr(function, '__qualname__', '').split('.')
    if len(parts) < 2 or '<locals>' in parts:
        return None
    owner = _orig_getattr(function, '__globals__').get(parts[0])
    for part in parts[1:-1]:
        owner = _type_dict(owner).get(part) if isinstance(owner, type) else None
    if not isinstance(owner, type):
        return None
    held_as = parts[-1]
    if held_as.startswith('__') and not held_as.endswith('__'):
        held_as = '_%s%s' % (_type_dict(owner).get('__qualname__', owner.__name__).rpartition('.')[2].lstrip('_'),
                             held_as)
    return owner if _holds(owner, held_as, function) else None


def _holds(cls, name, function):
    held = _type_dict(cls).get(name)
    return held is function or (type(held) is staticmethod or type(held) is classmethod) and held.__func__ is function


def _frame_and_traceback_types():
    try:
        raise TypeError
    except TypeError as error:
        return type(error.__traceback__.tb_frame), type(error.__traceback__)


_FrameType, _TracebackType = _frame_and_traceback_types()
# the kinds of value _private_value looks at further: the rest is handed out as it is
_PRIVATE_SUSPECTS = frozenset((_ModuleType, _BuiltinFunctionType, dict, _CodeType, _FrameType, _TracebackType,
                               _MethodType, _FunctionType)) | _DATA_DESCRIPTOR_TYPES


def _private_guard(obj, name):
    """obj._name in guest source (the checker has mangled '__name' in a class body already). An object
    whose classes are all the script's own (and object) can hold a module in a private attribute only when
    the script's own code put it there, which needs a raw module first: its class carries the sealed pure
    mark, and checked sites read such an object's private attributes directly (checker._private_read)."""
    cls = type(obj)
    if type(cls) is type:  # _is_marked_pure, inline: a call costs microseconds in an interpreter-only host
        try:
            mark = _object_getattribute(cls, _PURE_MARK)
            if type(mark) is _PureSeal and mark.__pysandbox_sealed__ is cls:
                return _orig_getattr(obj, name)
        except AttributeError:
            pass
    value = _orig_getattr(obj, name)
    kind = type(value)
    if _is_one_of(kind, _PRIVATE_SUSPECTS) or _is_subclass(_ModuleType, kind):
        return _private_value(obj, name, value)
    _mark_pure(cls)
    return value


# The pure mark, in the class's own namespace, is a seal made for that class: an object of the policy's
# that nothing hands out (the mark's name is refused to every read and store, hidden from vars() of a
# class, and left out of what update_wrapper copies), and that names the one class it was made for. It was
# the class itself, which a trusted writer of any name and value forged: dataclasses' __setstate__, read
# out of vars() of the script's frozen dataclass, wrote field names with object.__setattr__, which GraalPy
# lets write onto a class, and a class of the script's with Charset among its bases was marked pure; its
# _get_encoder() handed out email.quoprimime (review, 2026-12-05). Then one seal object for every class,
# which contextlib.contextmanager(P) copied out of P's namespace (the real update_wrapper), and a type()
# namespace planted over Charset: the same escape (review, 2026-12-05). A table of classes by identity,
# tried instead, cost 3-20x with the JIT (hashing a class or taking its id() is not compiled away;
# BENCHMARKS.md, stop 34); the seal's type test and slot read cost a guarded read 2-3x on the private-read
# probe with the JIT and +15-30% interpreter-only, a parameter's hoisted test nothing (stop 35). A
# seal copied into another class's namespace (dataclass(slots=True) makes a new class from a copy) leaves
# that class unmarked: its private reads take the guard.
_PURE_MARK = _checker.PURE_MARK


class _PureSeal(object):
    """The pure mark's value: bound to the class it was made for, which sits in a dunder slot that no read
    or store of the script's can name. Made only by _mark_pure; one made otherwise has an empty slot."""
    __slots__ = ('__pysandbox_sealed__',)

    def __init_subclass__(cls, **options):
        raise TypeError("the sandbox's seal cannot be subclassed")

    def __new__(cls, *args, **kwargs):
        raise TypeError("the sandbox's seal cannot be made")


_seal_class = _PureSeal.__dict__['__pysandbox_sealed__'].__set__


def _seal(cls):
    seal = _object_new(_PureSeal)
    _seal_class(seal, cls)
    return seal


def _mark_pure(cls):
    """The innermost decorator of every class statement, and the guard's slow path: marks a pure class
    (_private_guard) so that checked sites read its instances' private attributes directly; another class
    of the script's gets None, so that its test finds an entry."""
    if type(cls) is type and _type_dict(cls).get(_PURE_MARK, _MISSING) is _MISSING:
        if _is_pure(cls):
            _type_setattr(cls, _PURE_MARK, _seal(cls))
        elif _type_dict(cls).get(_OWNED_MARK) is True:
            _type_setattr(cls, _PURE_MARK, None)
    return cls


def _is_marked_pure(cls):
    """The sealed mark of cls in its own namespace. object.__getattribute__ on a class reads its own
    namespace and calls no descriptor found there (a descriptor under the mark's name in a type() namespace
    answered getattr() with the class; review, 2026-12-05), and with type itself as the metaclass no data
    descriptor of the script's comes first."""
    if type(cls) is not type:
        return False
    try:
        mark = _object_getattribute(cls, _PURE_MARK)
        return type(mark) is _PureSeal and mark.__pysandbox_sealed__ is cls
    except AttributeError:
        return False


def _is_pure_object(obj):
    """The purity test of a parameter, taken once per call (checker._private_read): its class if pure, which
    each site compares with the object's class then, else None. Trusted code can change a parameter's
    class during the call: email's Policy __init__(__class__=...) and zipfile's CompleteDirs.make set it
    (reviews, 2026-12-05), and a class that was pure on entry was then a Charset at the raw read."""
    cls = type(obj)
    if type(cls) is type:  # _is_marked_pure, inline: once per call of every function reading a private name
        try:
            mark = _object_getattribute(cls, _PURE_MARK)
            if type(mark) is _PureSeal and mark.__pysandbox_sealed__ is cls:
                return cls
        except AttributeError:
            pass
    return None


# Read past any hook: a metaclass's __getattribute__ answered True for every name (and '__mro__') in an
# earlier attack. Only a class whose metaclass is type itself is marked, and the sites test that too
# (checker._purity_test): a metaclass could otherwise answer the mark's lookup with the class.
_type_dict = type.__dict__['__dict__'].__get__
_type_mro = type.__dict__['__mro__'].__get__


def _compares_by_identity(cls):
    """Whether a class hashes and compares by identity, as every class of type and of the standard
    metaclasses does. `cls in` a set, tuple or dict of classes compares with ==, which a script's metaclass
    answers: a class whose metaclass equalled int was taken for a builtin class pattern, which the
    interpreter then matched with raw attribute reads (json.dumps.__globals__ gave the original eval;
    review, 2026-12-06). Read past any hook, and before any lookup, so no script code runs."""
    meta = type(cls)
    if meta is type:
        return True
    for base in _type_mro(meta):
        namespace = _type_dict(base)
        if '__eq__' in namespace or '__hash__' in namespace:
            return base is object
    return True


def _is_one_of(cls, classes):
    """cls is one of classes (a set or tuple of classes), by identity (_compares_by_identity)."""
    return _compares_by_identity(cls) and cls in classes


def _all_the_scripts(obj):
    """Every class an attribute read off obj can find something in is the script's own (or object, and type
    for a class): no trusted code set what it holds. A class made with a metaclass of the script's is not
    marked pure but may pass here."""
    if _is_subclass(type, type(obj)):
        return _is_pure(obj) and all(c is type or c is object or _type_dict(c).get(_OWNED_MARK) is True
                                     for c in _type_mro(type(obj)))
    return _is_pure(type(obj))


def _is_pure(cls):
    """Every class of cls's MRO is the script's own (the mark in its own namespace) or object: no trusted
    code sets what its instances hold."""
    for c in _type_mro(cls):
        if c is not object and _type_dict(c).get(_OWNED_MARK) is not True:
            return False
    return True


def _method_guard(obj, name):
    """X.__init__, X.__set_name__, ... (checker.METHOD_GUARDED_NAMES) read off a class: a trusted class's Python
    method sets its fixed attributes raw on any first argument, so NewType.__init__(re.RegexFlag, 'Evil', int)
    renamed a trusted class, string.Template, json.JSONEncoder, collections.UserDict and a dozen more wrote
    onto one, and enum.property.__set_name__(re.RegexFlag, ...) set 'name' on it and on enum.Enum (reviews,
    2026-12-05). Read off a class, or off super(Y, Y), a trusted Python method takes only an instance of
    that class."""
    raw = _orig_getattr(obj, name)
    function = _orig_getattr(raw, '__func__') if type(raw) is _MethodType else raw
    if type(function) is _FunctionType and _orig_getattr(function, _OWNED_MARK, False) is True and id(
            _orig_getattr(function, '__globals__')) not in _TRUSTED_NAMESPACES:
        # _written_by_the_script, inline: the script's own methods, plain (Base.__init__) or bound
        # (super().__init__), most reads in source; every case of _guarded_method hands them out as they are
        return raw
    return _guarded_method(obj, name, raw)


def _guarded_method(obj, name, raw):
    """raw as read under name off obj, judged as _method_guard describes."""
    if type(raw) is _MethodType and name in _REINITIALISING_NAMES:
        return _bound_method_guard(raw, name)
    if name == '__init__' and _is_one_of(type(raw), _BUILTIN_METHOD_TYPES):
        return _builtin_init_guard(raw)
    if type(raw) is not _FunctionType or _written_by_the_script(raw):
        return raw  # (_method_guard answers the script's own methods before it calls this)
    if type(obj) is super:
        # super(Y, Y).__init__ is the base's function unbound (review, 2026-12-05): it takes a Y
        obj = _orig_getattr(obj, '__self_class__')
    elif not _is_subclass(type, type(obj)):
        raise _violation(AttributeBlocked, "reading '%s' of %s is blocked by the sandbox: it is a function "
                         "the script did not write, held outside its class" % (name, _describe(obj)))

    def method(self, *args, **kwargs):
        _require_instance(obj, self, '%s.%s' % (obj.__name__, name))
        if name in _REINITIALISING_NAMES and not _may_change(self):
            _refuse_setting_up_again(self, name)
        return raw(self, *args, **kwargs)
    method.__name__ = name
    method.__qualname__ = _orig_getattr(raw, '__qualname__', name)
    return method


# the dunder methods that set up an object again: read off an instance, a trusted one re-ran on an object
# the script did not make (calendar.month_name.__init__('%b') changed every month name of the tenant's
# calendar module; review, 2026-12-05), where an attribute store on that object is refused
_REINITIALISING_NAMES = frozenset(('__init__', '__set_name__'))


def _bound_method_guard(bound, name):
    function, target = bound.__func__, bound.__self__
    if (type(function) is not _FunctionType or _written_by_the_script(function)
            or _is_subclass(type, type(target)) or _may_change(target)):
        return bound
    _refuse_setting_up_again(target, name)


# property.__init__(pathlib.PurePath.name, f) re-set the getter of every path's name, and
# property.__init__(Fraction.numerator, f) every fraction's numerator (review, 2026-12-05): the builtin
# descriptors that trusted classes hold are set up again only when the script may change them.
_SLOT_TYPE = type(object.__init__)
_BUILTIN_METHOD_TYPES = frozenset((_SLOT_TYPE, type(object().__init__)))


def _builtin_init_guard(raw):
    """Judged by the method itself, not by what it was read off (super(P, P).__init__ for a subclass P of
    property was the unbound slot; review, 2026-12-05): bound, to what; unbound, whose. A builtin __init__
    sets up again any object the script may not change (a SimpleNamespace's took any names; review), except
    object's, which sets nothing, and those of the plain containers, whose instances the script's own
    are not told apart from."""
    if type(raw) is not _SLOT_TYPE:
        bound_to = _orig_getattr(raw, '__self__', None)
        if _sets_up_again(bound_to):
            _refuse_setting_up_again(bound_to, '__init__')
        return raw
    if _orig_getattr(raw, '__objclass__', None) is object:
        return raw

    def __init__(self, *args, **kwargs):
        if _sets_up_again(self):
            _refuse_setting_up_again(self, '__init__')
        return raw(self, *args, **kwargs)
    return __init__


def _sets_up_again(target):
    cls = type(target)
    if _is_one_of(cls, _PLAIN_CONTAINERS) or _is_subclass(type, cls) or _may_change(target):
        return False  # type.__init__ sets nothing either
    return _orig_getattr(cls, '__init__', None) is not object.__init__


_PLAIN_CONTAINERS = frozenset((list, dict, set, bytearray))


def _refuse_setting_up_again(target, name):
    raise _violation(ReadOnlyError, "calling '%s' on %s is blocked by the sandbox: it would set the object up "
                     "again, and only objects created by the script can be changed" % (name, _describe(target)))


def _is_private(name):
    return name[:1] == '_' and not _checker._is_dunder(name)


def _guest_getattr(obj, name, default=_MISSING):
    name = _exact_str(name)
    _check_name(name)
    if name in _METHOD_GUARDED_NAMES:
        if default is not _MISSING and not hasattr(obj, name):
            return default
        return _method_guard(obj, name)
    if type(name) is str and _is_private(name):
        if default is _MISSING:
            return _private_value(obj, name, _orig_getattr(obj, name))
        return _private_value(obj, name, _orig_getattr(obj, name, default))
    if name == 'obj':
        if default is not _MISSING and not hasattr(obj, name):
            return default
        return _exception_object_guard(obj)
    if name == '__dict__':
        return _dict_guard(obj)
    if name in _checker.FORMAT_METHODS:
        return _format_guard(obj, name)
    if name == 'f_code':
        return _frame_code_guard(obj)
    if name in _checker.SLOT_ATTRIBUTES:
        if default is not _MISSING and not hasattr(obj, name):
            return default
        return _slot_guard(obj, name)
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
    _orig_delattr(_raw_store_guard(obj, name), name)


def _guest_vars(*args):
    if not args:
        return _caller_locals(_sys._getframe(1))
    if len(args) != 1:
        raise TypeError('vars expected at most 1 argument, got %d' % len(args))
    return _dict_guard(args[0])


def _guest_globals():
    return _caller_namespace(_sys._getframe(1).f_globals)


def _guest_dir(*args):
    # without an argument dir() lists the caller's local names, which may be a policy frame's
    if args:
        # the ownership mark in every class the script defines, and the slot of the counting wrappers that
        # generators and coroutines are, are bookkeeping, not names of the object
        return [name for name in _orig_dir(*args) if not name.startswith(_BOOKKEEPING_PREFIX)]
    return sorted(_caller_locals(_sys._getframe(1)))


def _guest_locals():
    return _caller_locals(_sys._getframe(1))


def _caller_locals(frame):
    # the caller can be a policy function: a guest's special method may be locals itself (through a
    # callable iterator), called from the policy's frame when it converts the guest's object
    if id(frame.f_globals) in _TRUSTED_NAMESPACES:
        raise _violation(OperationBlocked, 'reading the namespace of sandbox internals is blocked')
    namespace = _caller_namespace(frame.f_locals)
    if frame.f_code.co_flags & _CO_OPTIMIZED:
        # a function's locals are a snapshot: drop the hidden locals of the checked code (the frame count's
        # list, its parameters' ownership tests; checker.HIDDEN_LOCAL_PREFIX)
        for name in [name for name in namespace if name.startswith(_BOOKKEEPING_PREFIX)]:
            del namespace[name]
    return namespace


_CO_OPTIMIZED = 0x1
_BOOKKEEPING_PREFIX = _checker.HIDDEN_LOCAL_PREFIX


def _is_bookkeeping(name):
    # by its characters: a str subclass's key with the mark's characters finds what the mark's name does
    name = _exact_str(name)
    return type(name) is str and str.startswith(name, _BOOKKEEPING_PREFIX)


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
# [frames the guest may still open, limit]: the rewrite updates it in place in every counted function
# (one list item decrement, a test against the constant 0 and an increment; no call), see
# checker._count_depth. Counting down saves the read of the limit on every call: on the call-heavy
# scheduler kernel interpreter-only, -5% for the checked code alone and -1.3% for the sandbox (BENCHMARKS.md,
# "where the scheduler's time goes").
DEPTH = [49, 50]


def _too_deep():
    DEPTH[0] += 1
    raise RecursionError('maximum recursion depth exceeded (the sandbox allows %d frames)' % DEPTH[1])


def _enter():
    DEPTH[0] -= 1
    if DEPTH[0] < 0:
        _too_deep()


def _leave():
    DEPTH[0] += 1


def _count_lambda(function):
    """Wraps a lambda (the checker puts every lambda expression in this call): a lambda has no body to
    count its frame in, so the wrapper counts it, around the call and released when it ends, however.
    The lambda itself stays out of the guest's reach (no __wrapped__), so it cannot be called uncounted."""
    def counted(*args, **kwargs):
        DEPTH[0] -= 1
        if DEPTH[0] < 0:
            _too_deep()
        try:
            return function(*args, **kwargs)
        finally:
            DEPTH[0] += 1
    return _named_like(counted, function)


def _named_like(wrapper, function):
    """The wrapper as the guest sees it: with the name, qualified name, docstring and module of the
    function it counts (the function itself is never handed out)."""
    wrapper.__name__ = function.__name__
    wrapper.__qualname__ = function.__qualname__
    wrapper.__doc__ = function.__doc__
    wrapper.__module__ = function.__module__
    return wrapper


def _count_generator(function):
    """Wraps a generator function (the checker makes this the innermost decorator of a def that yields, and
    wraps a lambda that yields in it): what it returns counts the generator's frame while it runs, i.e.
    around every resume (next, send, throw, close), and holds nothing while the generator is suspended. A
    yield-from chain of n generators resumes through n wrappers, so it counts n. The raw generator never
    reaches the guest."""
    return _counting(function, _CountedGenerator)


def _count_coroutine(function):
    """The same for an async def: a count in its body would be held across every await, and by a coroutine
    left suspended until it is collected. Suspended coroutines then took the frames of later calls, and a
    later run got back the frames of an earlier run's coroutines when they finished (review, 2026-12-05)."""
    return _counting(function, _CountedCoroutine)


def _count_async_generator(function):
    """The same for an async def that yields: its frame runs only while an awaitable that its __anext__,
    asend, athrow or aclose returned is resumed, so the wrapper hands out those awaitables wrapped, each
    counting around its own resumes. Until 2026-12-05 async generators were not counted at all."""
    return _counting(function, _CountedAsyncGenerator)


def _count_generator_expression(generator):
    """A generator expression (the checker puts each in this call) is counted around every resume like a
    generator's, an async one like an async generator's."""
    return _wrapped(_CountedAsyncGenerator if type(generator) is _AsyncGeneratorType else _CountedGenerator,
                    generator)


def _async_generator_type():
    async def probe():
        yield
    return type(probe())


_AsyncGeneratorType = _async_generator_type()


def _counting(function, counted_class):
    def counted_function(*args, **kwargs):
        return _wrapped(counted_class, function(*args, **kwargs))
    return _named_like(counted_function, function)


# the code of the wrappers that stand for the script's functions (_may_change)
_COUNTING_WRAPPER_CODE = (_orig_getattr(_count_lambda(_own), '__code__'),
                          _orig_getattr(_counting(_own, None), '__code__'))


def _is_counting_wrapper(function):
    code = _orig_getattr(function, '__code__')
    return any(code is wrapper for wrapper in _COUNTING_WRAPPER_CODE)


def _wrapped(counted_class, raw):
    """A counting wrapper around a raw generator, coroutine, async generator or awaitable, made without an
    __init__ (see _CountedResumes)."""
    counted = _object_new(counted_class)
    _object_setattr(counted, '__pysandbox_generator__', raw)
    return counted


class _CountedResumes:
    # the raw generator sits under a dunder name, which guest source and the run-time attribute guards
    # refuse; no __dict__, and of its attributes only __name__ and the running/suspended flags are passed
    # on (gi_frame, gi_code, gi_yieldfrom stay unreachable)
    # No __init__: type(wrapper).__init__(any_object, value) wrote the slot's name raw onto objects the
    # script may not change (review, 2026-12-05); _counting makes each wrapper with object.__new__.
    __slots__ = ('__pysandbox_generator__',)

    def __iter__(self):
        return self

    def __next__(self):
        DEPTH[0] -= 1
        if DEPTH[0] < 0:
            _too_deep()
        try:
            return self.__pysandbox_generator__.__next__()
        finally:
            DEPTH[0] += 1

    def send(self, value):
        DEPTH[0] -= 1
        if DEPTH[0] < 0:
            _too_deep()
        try:
            return self.__pysandbox_generator__.send(value)
        finally:
            DEPTH[0] += 1

    def throw(self, *args):
        DEPTH[0] -= 1
        if DEPTH[0] < 0:
            _too_deep()
        try:
            return self.__pysandbox_generator__.throw(*args)
        finally:
            DEPTH[0] += 1

    def close(self):
        DEPTH[0] -= 1
        if DEPTH[0] < 0:
            _too_deep()
        try:
            return self.__pysandbox_generator__.close()
        finally:
            DEPTH[0] += 1

    def __repr__(self):
        return repr(self.__pysandbox_generator__)

    @property
    def __name__(self):
        return self.__pysandbox_generator__.__name__


class _CountedGenerator(_CountedResumes):
    __slots__ = ()

    @property
    def gi_running(self):
        return self.__pysandbox_generator__.gi_running

    @property
    def gi_suspended(self):
        return self.__pysandbox_generator__.gi_suspended


_CountedGenerator.__name__ = _CountedGenerator.__qualname__ = 'generator'


class _CountedCoroutine(_CountedResumes):
    """A coroutine counted around every resume: send, throw and close are the generator's; awaiting it
    resumes it through __next__, which is send(None)."""
    __slots__ = ()

    def __await__(self):
        return self

    def __next__(self):
        return self.send(None)

    @property
    def cr_running(self):
        return self.__pysandbox_generator__.cr_running

    @property
    def cr_suspended(self):
        return self.__pysandbox_generator__.cr_suspended


_CountedCoroutine.__name__ = _CountedCoroutine.__qualname__ = 'coroutine'


class _CountedAsyncGenerator:
    # like _CountedGenerator: the raw async generator under a dunder slot, no __dict__, no __init__, and
    # none of its ag_frame, ag_code, ag_await
    __slots__ = ('__pysandbox_generator__',)

    def __aiter__(self):
        return self

    def __anext__(self):
        return _counted_step(self.__pysandbox_generator__.__anext__())

    def asend(self, value):
        return _counted_step(self.__pysandbox_generator__.asend(value))

    def athrow(self, *args):
        return _counted_step(self.__pysandbox_generator__.athrow(*args))

    def aclose(self):
        return _counted_step(self.__pysandbox_generator__.aclose())

    def __repr__(self):
        return repr(self.__pysandbox_generator__)

    @property
    def __name__(self):
        return self.__pysandbox_generator__.__name__

    @property
    def ag_running(self):
        return self.__pysandbox_generator__.ag_running


_CountedAsyncGenerator.__name__ = _CountedAsyncGenerator.__qualname__ = 'async_generator'


class _CountedAsyncStep(_CountedCoroutine):
    """An awaitable of an async generator (what __anext__, asend, athrow and aclose return), counted around
    every resume like a coroutine: resuming it runs the async generator's frame."""
    __slots__ = ()


_CountedAsyncStep.__name__ = _CountedAsyncStep.__qualname__ = 'async_generator_asend'


# shown as the interpreter's own classes are: <class 'generator'>, not <class 'pysandbox.guards.generator'>
for _wrapper in (_CountedResumes, _CountedGenerator, _CountedCoroutine, _CountedAsyncGenerator, _CountedAsyncStep):
    _wrapper.__module__ = 'builtins'
del _wrapper


def _counted_step(awaitable):
    return _wrapped(_CountedAsyncStep, awaitable)


# --------------------------------------------------------------------------------------------
# str.format walks attributes named inside the format string: use a formatter that checks them.
# --------------------------------------------------------------------------------------------
def _checked_get_field(self, field_name, args, kwargs):
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
_string_formatter_parser = __import__('_string').formatter_parser
_str_format = str.format
_str_format_map = str.format_map
_NESTED_SPEC_LIMIT = 2  # str.format itself refuses deeper nesting ("Max string recursion exceeded")


def _reads_no_attribute_or_item(template, depth=0):
    """True when no replacement field of an exact str template, nor of the format specs nested in it, has
    '.' or '[' in its name: str.format then reads the arguments themselves and walks nothing, so the
    interpreter's own format is safe and the checked formatter (Python code, slower) is not needed.
    Anything the parser refuses or nests deeper goes to the checked formatter."""
    if depth > _NESTED_SPEC_LIMIT:
        return False
    try:
        for _literal, field, spec, _conversion in _string_formatter_parser(template):
            if field is not None and ('.' in field or '[' in field):
                return False
            if spec and not _reads_no_attribute_or_item(spec, depth + 1):
                return False
    except (ValueError, TypeError):
        return False
    return True
# The checked formatter: string.Formatter's protocol (format, vformat, parse, get_field, get_value,
# check_unused_args, format_field, convert_field), written here over _string's parser so that making it
# imports nothing: importing string would import re and collections, 2.2 MB and 0.25-0.5 s in every
# interpreter that formats with a walk (and in every pooled one, whose warm-up does). get_field is the
# checked walk. Not a subclass of string.Formatter, so that super(...).get_field cannot reach the
# unchecked walk. This is also what a guest that imports string.Formatter receives.
_SWITCHED_NUMBERING = 'cannot switch from manual field specification to automatic field numbering'


class _CheckedFormatter(object):
    def format(self, format_string, /, *args, **kwargs):
        return self.vformat(format_string, args, kwargs)

    def vformat(self, format_string, args, kwargs):
        used_args = set()
        result, _ = self._vformat(format_string, args, kwargs, used_args, 2)
        self.check_unused_args(used_args, args, kwargs)
        return result

    def _vformat(self, format_string, args, kwargs, used_args, recursion_depth, auto_arg_index=0):
        if recursion_depth < 0:
            raise ValueError('Max string recursion exceeded')
        pieces = []
        for literal, field_name, format_spec, conversion in self.parse(format_string):
            if literal:
                pieces.append(literal)
            if field_name is None:
                continue
            # numbering: '' takes the next index; an explicit index switches automatic numbering off. Both
            # mistakes get string.Formatter's one message (str.format words the second the other way round).
            if field_name == '':
                if auto_arg_index is False:
                    raise ValueError(_SWITCHED_NUMBERING)
                field_name = str(auto_arg_index)
                auto_arg_index += 1
            elif field_name.isdigit():
                if auto_arg_index:
                    raise ValueError(_SWITCHED_NUMBERING)
                auto_arg_index = False
            obj, arg_used = self.get_field(field_name, args, kwargs)
            used_args.add(arg_used)
            obj = self.convert_field(obj, conversion)
            format_spec, auto_arg_index = self._vformat(format_spec, args, kwargs, used_args, recursion_depth - 1,
                                                        auto_arg_index=auto_arg_index)
            pieces.append(self.format_field(obj, format_spec))
        return ''.join(pieces), auto_arg_index

    def get_value(self, key, args, kwargs):
        if isinstance(key, int):
            return args[key]
        return kwargs[key]

    def check_unused_args(self, used_args, args, kwargs):
        pass

    def format_field(self, value, format_spec):
        return format(value, format_spec)

    def convert_field(self, value, conversion):
        if conversion is None:
            return value
        if conversion == 's':
            return str(value)
        if conversion == 'r':
            return repr(value)
        if conversion == 'a':
            return ascii(value)
        raise ValueError('Unknown conversion specifier %s' % (conversion,))

    def parse(self, format_string):
        return _string_formatter_parser(format_string)

    get_field = _checked_get_field


_CheckedFormatter.__name__ = _CheckedFormatter.__qualname__ = 'Formatter'
_CheckedFormatter.__module__ = 'string'
_CHECKED_FORMATTER = (_CheckedFormatter, _CheckedFormatter())


def checked_formatter():
    return _CHECKED_FORMATTER[0]


def _plain_field_name(name, iskeyword):
    # exact str: a subclass could answer isidentifier() truly and format itself as other source text;
    # and a name the attribute rules allow both ways: the generated methods read and set each field raw,
    # so a field '__globals__' read getattr.__globals__ in __eq__ and __repr__ (review, 2026-12-05)
    if not (type(name) is str and name.isidentifier() and not iskeyword(name)):
        return False
    _check_name(name, loading=True)
    _check_name(name, loading=False)
    return name not in _GUARDED_READS_AT_RUN_TIME


def _field_text(field, missing):
    """A field as inspect.signature would show it in a dataclass's docstring: 'y: int = 2'."""
    text = field.name
    if type(field.type) is type:
        text += ': ' + field.type.__name__
    elif type(field.type) is str:
        text += ': ' + field.type
    if field.default is not missing:
        text += ' = ' + repr(field.default)
    return text


def checked_dataclass(cls=None, /, **options):
    """dataclasses.dataclass for guest classes: the real one pastes each field name (a key of the class's
    __annotations__, or the name of a base's field) into source it runs unchecked with the real builtins,
    so every name must be a plain identifier, read from plain dicts no guest code can change in between:
    no metaclass in the class's MRO (type.__getattribute__ only), __annotations__ an exact dict, and base
    fields exact dicts of Field objects."""
    import dataclasses as _dataclasses
    from keyword import iskeyword

    def wrap(c):
        if not isinstance(c, type) or not _may_change(c):
            # it adds methods and attributes to the class: the module views' class, a trusted class (third
            # review)
            raise _violation(ReadOnlyError, 'dataclass() is blocked by the sandbox for %s: only classes '
                             'created by the script can be changed' % _describe(c))
        if any(type(b) is not type for b in _orig_getattr(c, '__mro__')):
            raise _violation(OperationBlocked, 'dataclass() is blocked by the sandbox for a class with a metaclass')
        for b in _orig_getattr(c, '__mro__'):
            namespace = _orig_getattr(b, '__dict__')
            annotations = namespace.get('__annotations__') if b is c else None
            fields = namespace.get('__dataclass_fields__')
            names = []
            if annotations is not None:
                if type(annotations) is not dict:
                    raise _violation(OperationBlocked, 'dataclass() is blocked by the sandbox: __annotations__ '
                                     'must be a dict')
                names.extend(annotations)
            if fields is not None:
                if type(fields) is not dict or any(type(f) is not _dataclasses.Field for f in fields.values()):
                    raise _violation(OperationBlocked, 'dataclass() is blocked by the sandbox: a base has '
                                     'changed dataclass fields')
                names.extend(f.name for f in fields.values())
            for name in names:
                if not _plain_field_name(name, iskeyword):
                    raise _violation(OperationBlocked, 'dataclass() is blocked by the sandbox for the field '
                                     'name %r: field names must be plain identifiers' % (name,))
                if _is_private(name) and not _is_pure(c):
                    # the generated methods, asdict() and pprint read each field raw: a private field with no
                    # value of its own reads through to a trusted base's (PurePosixPath._flavour, the real
                    # posixpath, reached a PrettyPrinter subclass's format(); review, 2026-12-05)
                    raise _violation(OperationBlocked, 'dataclass() is blocked by the sandbox for the private '
                                     'field %r of a class with a base the script did not define' % (name,))
        # without a docstring the real one writes one from inspect.signature(cls), which evals a
        # __text_signature__ the class can fake (an __init__ descriptor with a __getattr__) in the module
        # its __module__ names: the policy's own (review, 2026-12-05). The doc is written here instead.
        pending = _orig_getattr(c, '__dict__').get('__doc__') is None
        if pending:
            type.__setattr__(c, '__doc__', c.__name__)
        before = set(_type_dict(c))
        made = _dataclasses.dataclass(**options)(c)
        if isinstance(made, type):
            _check_generated_methods(made, before)
            _check_generated_init(made, before)
            _check_generated_state(made, before)
        if pending and isinstance(made, type):
            type.__setattr__(made, '__doc__', '%s(%s)' % (made.__name__, ', '.join(
                _field_text(f, _dataclasses.MISSING) for f in _dataclasses.fields(made) if f.init)))
        return made

    if cls is None:
        return wrap
    return wrap(cls)


# The methods dataclass() writes read every field raw. A pure dataclass with a private field passes the
# check above, and a later subclass that adds a trusted base (class E(D, PurePosixPath), by any way of
# making a class) made D's __eq__ read PurePosixPath._flavour, the real posixpath, for the script's
# __eq__ (review, 2026-12-05). Those methods run only on objects whose classes are all the script's own
# (replace(), asdict() and astuple() are never available).
_GENERATED_READERS = frozenset(('__eq__', '__lt__', '__le__', '__gt__', '__ge__', '__repr__', '__hash__'))


def _private_field_names(cls):
    fields = _orig_getattr(cls, '__dataclass_fields__', None)
    if type(fields) is not dict:
        return ()
    return tuple(name for name in fields if type(name) is str and _is_private(name))


def _check_dataclass_fields(obj, names):
    """Raises unless obj's class is all the script's own: the generated methods read the private fields raw,
    and a value checked first can change before they read it (a public field's property deleted it: review,
    2026-12-05). The names are the dataclass's own, taken when its methods were made: a subclass can bind
    __dataclass_fields__ = {} (reviews)."""
    if not _all_the_scripts(obj):
        raise _violation(AttributeBlocked, "the generated methods of a dataclass with the private fields %s are "
                         "blocked by the sandbox for %s: a class that is not entirely the script's"
                         % (', '.join(repr(name) for name in names), _describe(obj)))


def _does_nothing_named(qualname):
    def stand_in():
        return None
    stand_in.__qualname__ = qualname
    return stand_in


def _check_generated_init(cls, before):
    """The generated __init__ writes each field onto self raw (object.__setattr__ when frozen), and
    vars(C)['__init__'] hands it out past the method guard: it wrote onto re.RegexFlag, email's default
    policy and the module view of re (review, 2026-12-05). Only an instance of cls."""
    init = _type_dict(cls).get('__init__')
    if '__init__' in before or type(init) is not _FunctionType:
        return

    def __init__(self, *args, **kwargs):
        _require_instance(cls, self, '%s.__init__' % cls.__name__)
        return init(self, *args, **kwargs)
    __init__.__qualname__ = _orig_getattr(init, '__qualname__', '__init__')
    type.__setattr__(cls, '__init__', __init__)


def _check_generated_state(cls, before):
    """The __getstate__/__setstate__ of a frozen dataclass with slots read and write, with getattr and
    object.__setattr__, the names of whatever fields(self) finds in self.__dataclass_fields__, a dict of the
    script's: a field named '__bases__' or '__pysandbox_pure__' written onto a class made it look pure with
    Charset among its bases, and '__code__' was read off a function (reviews, 2026-12-05). Only an instance
    of cls, and only fields whose names an attribute read or store of the script's may use."""
    for name, loading in (('__getstate__', True), ('__setstate__', False)):
        method = _type_dict(cls).get(name)
        if name in before or type(method) is not _FunctionType:
            continue
        type.__setattr__(cls, name, _state_method(cls, name, method, loading))


def _state_method(cls, name, method, loading):
    """dataclasses' _dataclass_getstate/_dataclass_setstate, written again over the names taken once and
    checked: the originals call fields(self) again, which a script's __dataclass_fields__ can answer
    differently the second time."""
    import dataclasses as _dataclasses

    def checked(self, *args):
        _require_instance(cls, self, '%s.%s' % (cls.__name__, name))
        names = []
        for field in _dataclasses.fields(self):
            field_name = _exact_str(_orig_getattr(field, 'name'))
            if type(field_name) is not str or _checker._is_dunder(field_name):
                raise _violation(AttributeBlocked, "%s.%s() with a field named %r is blocked by the sandbox"
                                 % (cls.__name__, name, field_name))
            _check_name(field_name, loading)
            names.append(field_name)
        if loading:
            if args:
                raise TypeError('%s() takes no arguments' % name)
            return [_guest_getattr(self, field_name) for field_name in names]
        (state,) = args
        for field_name, value in zip(names, state):
            _object_setattr(self, field_name, value)  # object's: the dataclass may be frozen
    checked.__name__ = name
    checked.__qualname__ = _orig_getattr(method, '__qualname__', name)
    return checked


def _check_generated_methods(cls, before):
    names = _private_field_names(cls)
    if not names:
        return
    for name in _GENERATED_READERS:
        method = _type_dict(cls).get(name)
        if name in before or type(method) is not _FunctionType:
            continue

        def checked(self, *args, _method=method):
            # the generated comparisons test other.__class__, which a __getattribute__ answers (reviews,
            # 2026-12-05): an object of another real class is not compared, as the generated code means
            for other in args:
                if type(other) is not type(self):
                    return NotImplemented
            _check_dataclass_fields(self, names)
            for other in args:
                _check_dataclass_fields(other, names)
            return _method(self, *args)
        checked.__name__ = name
        checked.__qualname__ = _orig_getattr(method, '__qualname__', name)
        # pprint knows a dataclass's own repr by the __qualname__ of what it wraps; the raw method would
        # be read back off the bound method (review, 2026-12-05), so a stand-in that does nothing carries it
        stand_in = _does_nothing_named(_orig_getattr(_orig_getattr(method, '__wrapped__', method), '__qualname__', name))
        checked.__wrapped__ = stand_in
        type.__setattr__(cls, name, checked)


def checked_update_wrapper(wrapper, wrapped, assigned=None, updated=None):
    """functools.update_wrapper for guest wrappers: the real one reads and sets the attributes it is told
    to, raw, on any object, so assigned=('__globals__',) copied a trusted function's globals, the
    originals among them (review, 2026-12-05). Only functools' own defaults, or a part of them, and only
    onto an object the script may change."""
    import functools as _functools
    assigned = (_functools.WRAPPER_ASSIGNMENTS if assigned is None
                else _wrapper_names(assigned, 'assigned', _functools.WRAPPER_ASSIGNMENTS))
    updated = (_functools.WRAPPER_UPDATES if updated is None
               else _wrapper_names(updated, 'updated', _functools.WRAPPER_UPDATES))
    _store_guard(wrapper, '__wrapped__')
    if not _may_change(wrapped):
        # its __dict__ (a trusted class's raw methods, with the originals as defaults) and its
        # __annotations__ would be handed over as they are, not copied (third review)
        assigned = tuple(n for n in assigned if n not in ('__annotations__', '__type_params__'))
        updated = ()
    made = _functools.update_wrapper(wrapper, wrapped, assigned, tuple(n for n in updated if n != '__dict__'))
    if '__dict__' in updated:
        # what vars() of each gives: a class's namespace copied raw handed its own '__dict__' descriptor to
        # a function's dict, which read the raw dict of a subclass's instance with a trusted base (review,
        # 2026-12-05); an object with a trusted base takes only setattr()'s names. Not the bookkeeping of a
        # class of the script's (the pure mark's seal); '__wrapped__' stays what update_wrapper set.
        try:
            source = _dict_guard(wrapped)
        except AttributeError:
            source = {}
        target = _dict_guard(wrapper)
        for name, value in list(source.items()):
            if not _is_bookkeeping(name) and name != '__wrapped__':
                target[name] = value
    return made


def _wrapper_names(names, what, allowed):
    """assigned names come from WRAPPER_ASSIGNMENTS only, updated ones from WRAPPER_UPDATES only: '__dict__'
    assigned handed object.__dict__ itself, the raw object.__getattribute__ in it, to a script's
    __setattr__ (review, 2026-12-05)."""
    names = tuple(_exact_str(n) for n in names)
    for name in names:
        if type(name) is not str or name not in allowed:
            raise _violation(OperationBlocked, 'functools.update_wrapper() with %s=%r is blocked by the sandbox: '
                             'only the names of %s' % (what, name, 'WRAPPER_ASSIGNMENTS' if what == 'assigned'
                                                       else 'WRAPPER_UPDATES'))
    return names


def checked_wraps(wrapped, assigned=None, updated=None):
    """functools.wraps through checked_update_wrapper."""
    def decorate(wrapper):
        return checked_update_wrapper(wrapper, wrapped, assigned, updated)
    return decorate


def checked_localcontext(ctx=None, **kwargs):
    """decimal.localcontext sets its keywords on ctx.copy(), whatever a script's copy() returns: it set prec
    on re.RegexFlag (review, 2026-12-05). Only a real Context; without one, the current context, which
    setcontext() or the context variable (reached through contextvars.copy_context()) may have made the
    script's object (audit, 2026-12-05)."""
    import decimal as _decimal
    current = ctx if ctx is not None else _decimal.getcontext()
    if type(current) is not _decimal.Context:
        raise _violation(ReadOnlyError, 'localcontext() is blocked by the sandbox for %s: only a decimal.Context '
                         'or None, with a decimal.Context current' % _describe(current))
    return _decimal.localcontext(ctx, **kwargs)


def checked_setcontext(context):
    """decimal.setcontext with a decimal.Context: trusted decimal code reads and writes the current context's
    fields as its own (audit, 2026-12-05)."""
    import decimal as _decimal
    if not _is_subclass(_decimal.Context, type(context)):
        raise TypeError('setcontext() needs a decimal.Context, not %s' % _describe(context))
    return _decimal.setcontext(context)


def checked_total_ordering(cls):
    """functools.total_ordering sets the missing comparison methods on any class it is given: numbers.Real
    got __gt__ (review, 2026-12-05). Only a class the script may change."""
    import functools as _functools
    if not _may_change(cls):
        raise _violation(ReadOnlyError, 'total_ordering() is blocked by the sandbox for %s: only classes '
                         'created by the script can be changed' % _describe(cls))
    return _functools.total_ordering(cls)


def checked_attrgetter(attr, *attrs):
    """operator.attrgetter with every (dotted) name checked as getattr() would, and guarded names refused.
    The checked plain strings are what the getter gets: GraalPy's attrgetter is Python that splits the name
    itself, and a str subclass's split() walked '__globals__' (audit, 2026-12-05)."""
    import operator as _operator
    names = tuple(_exact_str(name) for name in (attr,) + attrs)
    paths = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError('attribute name must be a string')
        path = name.split('.')
        for part in path:
            _check_name(part)
            if part in _GUARDED_READS_AT_RUN_TIME:
                raise _violation(AttributeBlocked, "operator.attrgetter('%s') is blocked by the sandbox: use "
                                 "getattr()" % part)
        paths.append(path)
    if any(_is_private(part) or part in _METHOD_GUARDED_NAMES for path in paths for part in path):

        def walk(obj, path):
            for part in path:
                obj = _guest_getattr(obj, part)
            return obj

        def private_getter(obj):
            found = tuple(walk(obj, path) for path in paths)
            return found[0] if len(found) == 1 else found
        return private_getter
    getter = _operator.attrgetter(*names)

    # a function, not the attrgetter: type() of one is the unchecked constructor (review, 2026-12-05)
    def attrgetter(obj):
        return getter(obj)
    return attrgetter


def checked_methodcaller(name, *args, **kwargs):
    import operator as _operator
    if not isinstance(name, str):
        raise TypeError('method name must be a string')
    name = _exact_str(name)
    _check_name(name)
    if name in _GUARDED_READS_AT_RUN_TIME:
        raise _violation(AttributeBlocked, "operator.methodcaller('%s') is blocked by the sandbox" % name)
    if _is_private(name) or name in _METHOD_GUARDED_NAMES:
        def private_caller(obj):
            return _guest_getattr(obj, name)(*args, **kwargs)
        return private_caller
    caller = _operator.methodcaller(name, *args, **kwargs)

    def methodcaller(obj):
        return caller(obj)
    return methodcaller


_GUARDED_READS_AT_RUN_TIME = frozenset(('__dict__', 'format', 'format_map', 'obj', 'f_code', '__setattr__',
                                        '__delattr__', '__getattribute__', '__getattr__'))
GUARDED_READS_AT_RUN_TIME = _GUARDED_READS_AT_RUN_TIME


def _safe_format(template, *args, **kwargs):
    if not isinstance(template, str):
        raise TypeError("descriptor 'format' requires a 'str' object")
    if type(template) is str and _reads_no_attribute_or_item(template):
        return _str_format(template, *args, **kwargs)
    return _CHECKED_FORMATTER[1].vformat(template, args, kwargs)


def _safe_format_map(template, mapping):
    if not isinstance(template, str):
        raise TypeError("descriptor 'format_map' requires a 'str' object")
    if type(template) is str and _reads_no_attribute_or_item(template):
        return _str_format_map(template, mapping)
    return _CHECKED_FORMATTER[1].vformat(template, (), mapping)


def _is_str_class(obj):
    # real type tests: isinstance() read a __class__ and issubclass() a __bases__ that the script's
    # __getattribute__ answered on a relay of codecs' (review, 2026-12-06)
    return _is_subclass(type, type(obj)) and _is_subclass(str, obj)


def _format_guard(obj, name):
    if _is_str_class(obj):
        # str or a subclass as a class (S.format(template, ...)): the unbound method walks attributes of its
        # arguments like str.format does. A subclass's own format (a checked guest function) stays its own.
        value = _orig_getattr(obj, name)
        if obj is str or value is _orig_getattr(str, name):
            return _safe_format if name == 'format' else _safe_format_map
        # else judged as a value, as any other object's (a subclass's own format is a checked guest function)
    elif _is_subclass(str, type(obj)):
        return _checked_format_of(obj, name)
    else:
        value = _orig_getattr(obj, name)
    # a trusted __getattr__ relays the read (codecs' stream wrappers, typing's aliases): the str's own
    # method walked attributes unchecked (review, 2026-12-05). The value decides, not the object: the
    # unbound method (typing.Annotated[str, 0].format) or one bound to a str.
    if value is _STR_FORMAT:
        return _safe_format
    if value is _STR_FORMAT_MAP:
        return _safe_format_map
    if type(value) is _BuiltinFunctionType and isinstance(_orig_getattr(value, '__self__', None), str):
        method = _orig_getattr(value, '__name__', None)
        if method in ('format', 'format_map'):
            return _checked_format_of(value.__self__, method)
    return value


_STR_FORMAT, _STR_FORMAT_MAP = str.format, str.format_map


def _checked_format_of(text, name):
    if name == 'format':
        return lambda *args, **kwargs: _safe_format(text, *args, **kwargs)
    return lambda mapping: _safe_format_map(text, mapping)


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



def _exception_object_guard(obj):
    """AttributeError.obj may be a real module or sandbox internal the failed lookup ran on. Judged by the
    value too, whatever it was read off: types.GenericAlias(e, ()) relayed the read to the exception, and
    AttributeError.obj read off the class was the descriptor that reads it raw (review, 2026-12-06)."""
    value = _orig_getattr(obj, 'obj')
    if _is_subclass(BaseException, type(obj)):
        # by the real type: a relay whose __getattribute__ said its __class__ was an exception (review)
        if _internal_kind(value) is not None or not (value is None or _may_change(value)
                                                      or _is_one_of(type(value), _PLAIN_VALUE_TYPES)):
            return None
    elif _internal_kind(value) is not None or (
            _is_one_of(type(value), _DATA_DESCRIPTOR_TYPES)
            and _is_subclass(BaseException, _orig_getattr(value, '__objclass__', object))):
        raise _violation(AttributeBlocked, "reading 'obj' of %s is blocked by the sandbox: it holds %s"
                         % (_describe(obj), _internal_kind(value) or "an exception's 'obj' slot"))
    return value


_PLAIN_VALUE_TYPES = frozenset((int, float, complex, bool, str, bytes, bytearray, tuple, list, dict, set,
                                frozenset, range, slice, type(None)))



# --------------------------------------------------------------------------------------------
# match: class patterns read attributes named by the class (__match_args__) and by keywords.
# --------------------------------------------------------------------------------------------
# The builtin types whose class pattern matches the subject itself ("case int(x)"), as CPython's
# Py_TPFLAGS_MATCH_SELF; subclasses inherit the behaviour.
_MATCH_SELF = (bool, bytearray, bytes, dict, float, frozenset, int, list, set, str, tuple)
# Names whose reads the rewrite routes through a guard elsewhere; a class pattern reads them raw.
_GUARDED_READS = frozenset(('__dict__', 'format', 'format_map', 'obj', 'f_code', '__setattr__', '__delattr__',
                             '__getattribute__', '__getattr__'))
_MATCH_INFO = '__pysandbox_match__'
_MATCH_PROXIES = {}


class _MatchProxyMeta(type):
    """Metaclass of the classes the match guard puts in place of a pattern's class: a subject is an
    instance when it is one of the real class and none of the names the pattern will read is guarded on
    it. The proxy's __match_args__ is a tuple the guard checked, read once from the real class."""

    def __instancecheck__(proxy, subject):
        target, names = _orig_getattr(proxy, _MATCH_INFO)
        if not isinstance(subject, target):
            return False
        for name in names:
            if _is_private(name):
                # the pattern reads it raw off the subject, whatever class matched it (a script's subclass of
                # a trusted class, a metaclass whose __instancecheck__ says True; review, 2026-12-05), after
                # this check: whatever runs between the two (a descriptor that stepped aside, an earlier
                # keyword's property that deleted the attribute, a trusted relay that reads by the name)
                # decided what the match read (reviews). Only off an object whose classes are all the
                # script's own, where no trusted code set what it holds.
                if not _all_the_scripts(subject):
                    raise _violation(AttributeBlocked, "a class pattern reading '%s' of %s is blocked by the "
                                     "sandbox: private attributes of objects whose class is not entirely the "
                                     "script's are read as attributes" % (name, _describe(subject)))
            elif (name in _GUARDED_READS or name in _METHOD_GUARDED_NAMES) and not _raw_read_allowed(subject, name):
                raise _violation(AttributeBlocked, "a class pattern reading '%s' of %s is blocked by the sandbox%s"
                                 % (name, _describe(subject), _read_vars_instead(subject, name)))
        return True


def _read_vars_instead(subject, name):
    if name != '__dict__' or not _may_change(subject):
        return ''
    return ': read vars() of the class' if isinstance(subject, type) else ': read vars() of the object'


def _raw_read_allowed(subject, name):
    if name == '__dict__':
        # a class's namespace, and the dict of an object with a trusted class, are judged value by value
        # (_dict_guard), which a raw read would not do
        return _may_change(subject) and not _is_subclass(type, type(subject)) and _hands_out_its_own_dict(subject)
    # each of these only off an object whose classes are all the script's own: a trusted __getattr__ on the
    # script's subclass (codecs' StreamReader: getattr(self.stream, name)) relayed `case X(format=f)` to a
    # str's own format, which walked to the guard names and the context's token (review, 2026-12-06)
    if not _all_the_scripts(subject):
        return False
    if name in ('format', 'format_map'):
        # a trusted relay hands out str's own method (typing.Annotated[str, 0]; review, 2026-12-05)
        return _may_change(subject) and not isinstance(subject, str) and not _is_str_class(subject)
    if name == 'obj':
        return not _is_subclass(BaseException, type(subject))
    if name in _METHOD_GUARDED_NAMES:
        # bound to an object the script did not make, __init__ sets it up again (calendar.month_name,
        # pathlib.PurePath.name; review, 2026-12-05): only the script's own objects
        return _may_change(subject) and not _is_subclass(type, type(subject))
    return False


def _match_guard(subject, *sites):
    """Called with the match statement's subject, already evaluated, and its class patterns' (site, class,
    keywords): binds each site, then hands the subject back to be matched. Nothing the guest runs comes
    between the binding and the matching, and each site name is unique to one pattern of one compilation."""
    for site, cls, keywords in sites:
        _bind_match_site(site, cls, keywords)
    return subject


def _bind_match_site(site, cls, keywords):
    """Binds, under the site's hidden name in the real builtins, what the class pattern at that site
    matches against: the class itself for a builtin type matching its subject, else a checked proxy."""
    if not isinstance(cls, type):
        raise TypeError('called match pattern must be a class')
    if _is_one_of(cls, _MATCH_SELF) and not keywords:
        _builtins.__dict__[site] = cls
        return
    match_args = _orig_getattr(cls, '__match_args__', None)  # read once: what the proxy will use
    if match_args is None:
        names = ()
    elif type(match_args) is not tuple:
        raise TypeError('%s.__match_args__ must be a tuple (got %s)' % (cls.__name__, type(match_args).__name__))
    else:
        names = tuple(_exact_str(n) for n in match_args)
        if not all(type(n) is str for n in names):
            raise TypeError('__match_args__ elements must be strings')
    keywords = tuple(keywords)
    for name in names + keywords:
        _check_name(name)
    key = (id(cls), names, keywords)
    cached = _MATCH_PROXIES.get(key)
    if cached is not None and cached[0] is cls:
        _builtins.__dict__[site] = cached[1]
        return
    bases = ()
    if match_args is None:
        for base in _MATCH_SELF[1:]:
            if issubclass(cls, base):
                bases = (base,)  # keeps "case MyInt(x)" matching the subject itself
                break
    namespace = {_MATCH_INFO: (cls, names + keywords)}
    if match_args is not None:
        namespace['__match_args__'] = names
    proxy = _MatchProxyMeta(cls.__name__, bases, namespace)
    if len(_MATCH_PROXIES) >= 512:
        _MATCH_PROXIES.clear()
    _MATCH_PROXIES[key] = (cls, proxy)
    _builtins.__dict__[site] = proxy


def _slot_guard(obj, attr):
    """X.__setattr__ / __delattr__ / __getattribute__ / __getattr__ as a callable that applies the same rules
    as setattr()/delattr()/getattr(): names checked, changes only to objects the script made."""
    if attr not in ('__setattr__', '__delattr__', '__getattribute__', '__getattr__'):
        raise _violation(AttributeBlocked, "reading the attribute '%s' is blocked by the sandbox" % attr)
    raw = _orig_getattr(obj, attr)
    bound = not isinstance(obj, type)
    target = _orig_getattr(raw, '__self__', None) if bound else None
    if bound and target is None:
        raise _violation(AttributeBlocked, "reading '%s' of %s is blocked by the sandbox" % (attr, _describe(obj)))
    changes = attr != '__getattribute__' and attr != '__getattr__'

    def checked(*args):
        if bound:
            subject, rest = target, args
        else:
            if not args:
                raise TypeError('%s() needs the object as its first argument' % attr)
            subject, rest = args[0], args[1:]
            # typing's _BaseGenericAlias.__setattr__ sets any plain name raw on 'self.__origin__', which a
            # script's object answers from __getattr__ with anything (review, 2026-12-05)
            _require_instance(obj, subject, '%s.%s' % (obj.__name__, attr))
        if not rest:
            raise TypeError('%s() needs an attribute name' % attr)
        name = _exact_str(rest[0])
        if not isinstance(name, str):
            raise TypeError('attribute name must be string, not %s' % type(name).__name__)
        _check_name(name, loading=not changes)
        if changes:
            _raw_store_guard(subject, name)
        elif name in _GUARDED_READS or name in _METHOD_GUARDED_NAMES or _is_private(name):
            return _guest_getattr(subject, name)
        return raw(*args) if bound else raw(subject, name, *rest[1:])
    checked.__name__ = attr
    return checked


# The names the other policy modules import.
slot_guard = _slot_guard
private_guard = _private_guard
PURE_MARK = _PURE_MARK
private_value = _private_value
internal_kind = _internal_kind
is_private = _is_private
mark_pure = _mark_pure
method_guard = _method_guard
is_pure_object = _is_pure_object
is_subclass = _is_subclass
compares_by_identity = _compares_by_identity
is_one_of = _is_one_of
type_dict = _type_dict
type_mro = _type_mro
match_guard = _match_guard
own = _own
may_change = _may_change
describe = _describe
require_instance = _require_instance
is_bookkeeping = _is_bookkeeping
OWNED_MARK = _OWNED_MARK
store_guard = _store_guard
SETTABLE = _SETTABLE
dict_guard = _dict_guard
hands_out_its_own_dict = _hands_out_its_own_dict
judged_instance_items = _judged_instance_items
exact_str = _exact_str
check_name = _check_name
guest_getattr = _guest_getattr
guest_hasattr = _guest_hasattr
guest_setattr = _guest_setattr
guest_delattr = _guest_delattr
guest_vars = _guest_vars
guest_dir = _guest_dir
guest_globals = _guest_globals
guest_locals = _guest_locals
caller_locals = _caller_locals
hide_real_builtins = _hide_real_builtins
enter = _enter
leave = _leave
too_deep = _too_deep
count_lambda = _count_lambda
count_generator = _count_generator
count_coroutine = _count_coroutine
count_async_generator = _count_async_generator
count_generator_expression = _count_generator_expression
format_guard = _format_guard
frame_code_guard = _frame_code_guard
guest_getframe = _guest_getframe
exception_object_guard = _exception_object_guard


def set_depth_limit(limit):
    DEPTH[1] = int(limit)
    DEPTH[0] = DEPTH[1] - 1


def begin_run():
    """Starts a host entry: the module (or the called function's caller) is the first frame. Returns the
    depth to hand back to end_run (a host call can nest inside a guest call)."""
    saved = DEPTH[0]
    DEPTH[0] = DEPTH[1] - 1
    return saved


def end_run(saved):
    DEPTH[0] = saved


def module_name():
    """What the name __name__ means in guest code outside class bodies: the globals' own __name__ when the
    script bound one, else '__main__' (a script is the main module), never the builtins' 'builtins'."""
    return _sys._getframe(1).f_globals.get('__name__', '__main__')
is_trusted_function = _is_trusted_function
safe_format = _safe_format
safe_format_map = _safe_format_map
