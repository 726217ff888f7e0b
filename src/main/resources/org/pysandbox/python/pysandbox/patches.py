"""Trusted standard-library code that does raw attribute work with names or targets a script controls,
made to follow the policy's rules inside the context, or that would take the policy's bookkeeping in a
script's class for the script's own. Trusted modules resolve the original builtins,
so a raw getattr or setattr there is one step from the policy's own namespace (reviews of 2026-12-05).
Applied to modules already loaded at set-up and, through the trusted loader, to modules loaded later."""

import sys as _sys

from pysandbox.errors import AttributeBlocked, OperationBlocked, ReadOnlyError, violation as _violation
from pysandbox import guards as _guards
from pysandbox.state import orig_getattr as _orig_getattr, TRUSTED_NAMESPACES as _TRUSTED_NAMESPACES, \
    ORIGINAL as _ORIGINAL, \
    FunctionType as _FunctionType, MISSING as _MISSING, object_getattribute as _object_getattribute, \
    TRUSTED_CLASSES as _TRUSTED_CLASSES, TRUSTED_MODULE_COUNT as _TRUSTED_MODULE_COUNT, walkable as _walkable
from pysandbox.guards import is_subclass as _is_subclass, type_dict as _type_dict, type_mro as _type_mro, \
    compares_by_identity as _compares_by_identity, is_one_of as _is_one_of


def _dressed_as(wrapper, original, qualname=None):
    """Gives a replacement the original's names and doc, as the script sees them in reprs, help() and
    tracebacks. Not functools.wraps: its __wrapped__ would hand the script the original, which the
    replacement exists to keep from it."""
    wrapper.__qualname__ = original.__qualname__ if qualname is None else qualname
    wrapper.__name__ = wrapper.__qualname__.rpartition('.')[2]
    wrapper.__doc__ = original.__doc__
    return wrapper


def _patch_enum_property(enum):
    """enum.property.__get__ returns getattr(self._cls_type, self.name), or getattr(instance._value_,
    self.name), raw; a script's subclass of it (reached through an EnumType member with -f regex) set
    all three, and read __globals__ off the guest's getattr. The replacement reads each field once (a
    subclass's property could answer a check and the original differently; third review) and reads
    through the guest's getattr."""
    prop = enum.property
    original = prop.__get__

    def __get__(self, instance, ownerclass=None):
        if instance is None:
            return original(self, instance, ownerclass)
        fget = _orig_getattr(self, 'fget', None)
        if fget is not None:
            return fget(instance)
        attr_type = _orig_getattr(self, '_attr_type', None)
        name = _orig_getattr(self, 'name', None)
        if attr_type == 'attr':
            return _guards.guest_getattr(_orig_getattr(self, '_cls_type', None), name)
        if attr_type == 'desc':
            return _guards.guest_getattr(_guards.guest_getattr(instance, '_value_'), name)
        try:
            return _guards.guest_getattr(ownerclass, '_member_map_')[name]
        except KeyError:
            raise AttributeError('%r has no attribute %r' % (ownerclass, name)) from None
    _dressed_as(__get__, original)
    prop.__get__ = __get__


def _patch_flag_values(enum):
    """Flag._missing_ stores each pseudo-member it makes in the class's value table under the value as
    given: an int subclass that hashed and compared as re.I | re.M made every later re.I | re.M of the
    context, trusted code's included, a RegexFlag(0) (review, 2026-12-06). The value is a plain int first."""
    flag = enum.Flag
    original = _type_dict(flag)['_missing_'].__func__

    def _missing_(cls, value):
        if type(value) is not int:
            if not _is_subclass(int, type(value)):
                # the original's isinstance() read a __class__ that __getattribute__ said was int (review)
                raise ValueError('%s is not a valid %s' % (_guards.describe(value), cls.__qualname__))
            value = int.__index__(value)
        return original(cls, value)
    _dressed_as(_missing_, original)
    type.__setattr__(flag, '_missing_', classmethod(_missing_))


def _patch_enum_members(enum):
    """EnumType sets _name_, _value_, __objclass__ and _sort_order_ raw on whatever a class's __new__
    returns for a member, and calls its __init__: a script's enum (EnumType is type(re.RegexFlag)) made
    them on re.RegexFlag or the guest's getattr (fourth review). For a class of the script's, each member
    must be an object the script may change."""
    proto = enum._proto_member
    original = proto.__set_name__

    enum_type = enum.EnumType

    def __set_name__(self, enum_class, member_name):
        # type.__new__ calls it for every value of a namespace, under any key: a proto member read off
        # vars() while an enum was built, put under the pure mark's name in a type() namespace, set the
        # mark on a subclass of PurePosixPath (review, 2026-12-05). Only an enum, and a member's name.
        member_name = _guards.exact_str(member_name)
        # and only while type.__new__ builds that enum, where the member is in its namespace under the name:
        # dataclasses' Field.__set_name__ relays to its default's, and a proto member read while a script's
        # enum was built replaced re.RegexFlag._numeric_repr_ and enum.Flag._missing_ (audit, 2026-12-05)
        if not _is_subclass(enum_type, type(enum_class)) or type(member_name) is not str \
                or member_name.startswith('__') or _guards.type_dict(enum_class).get(member_name) is not self:
            raise _violation(ReadOnlyError, 'an enum member cannot be made for %s under the name %r in the sandbox'
                             % (_guards.describe(enum_class), member_name))
        new = _orig_getattr(enum_class, '_new_member_')
        # every enum, not only those of a class statement: the functional API (Enum('E', ..., type=Mixin))
        # makes an unmarked class whose mixin's __new__ is the script's (review, 2026-12-05). A member is
        # an instance of its enum, which is what every trusted enum makes.
        type.__setattr__(enum_class, '_new_member_', _making_only_members(new, enum_class))
        try:
            return original(self, enum_class, member_name)
        finally:
            type.__setattr__(enum_class, '_new_member_', new)
    _dressed_as(__set_name__, original)
    proto.__set_name__ = __set_name__


def _patch_copy(copy):
    """copy's _reconstruct applies a reduction's state with raw setattr and __dict__.update to whatever its
    callable returns. For an object of the script's own class the reduction is the script's (its
    __reduce_ex__, or a __getattribute__ that hands one out), so the object it makes must be one the
    script may change, the names it sets must pass the attribute rules, and the state handed on is a copy,
    judged as vars() judges the object (the default reduction's state is the object's own dict: a script's
    __setstate__ got the raw dict of its UserDict subclass; review, 2026-12-06). collections.UserDict.copy,
    http.cookiejar and xml.etree.ElementInclude reach copy without it being allowed."""
    original = copy._reconstruct
    original_copy = copy.copy
    deepcopy = _checked_deepcopy(copy)

    def _reconstruct(x, memo, func, args, state=None, listiter=None, dictiter=None, **options):
        # the original's own default is the unchecked deepcopy, which hands its memo to any __deepcopy__
        options['deepcopy'] = deepcopy
        if func is _orig_getattr:
            # a bound method's or a builtin method's reduction, getattr(self, name): deep, with the self that
            # copying self gave, which a script's __deepcopy__ chooses, it bound a trusted function to any
            # object (review, 2026-12-06); such a reference is its own copy
            return x
        # a trusted reduction builds its call from the object's fields, which the script chose:
        # typing's _GenericAlias.__reduce__ looked its _name up in typing's globals(), and the name
        # '__builtins__' put the real builtins dict into the call (review, 2026-12-06)
        _refuse_internal_parts(x, func, args)
        if state is not None or listiter is not None or dictiter is not None:
            if _trusted_reduction(x):
                # what a trusted reduction fills is a new object of the class copied: a substitute the script
                # planted in a memo made another class, whose __new__ returned the object to fill, and
                # timezone's __new__ returned the shared timezone.utc when the script's offset said it was
                # false (reviews, 2026-12-06)
                _require_new_objects(x, func)
                func = _making_only_instances(func, type(x))
            else:
                state = _judged_state(x, state)
                func = _making_only_changeable(func, 'copying an object whose reduction returns')
        return _judged_copy(x, original(x, memo, func, args, state, listiter, dictiter, **options))

    def copy_(x):
        return _judged_copy(x, original_copy(x))
    _dressed_as(copy_, original_copy, 'copy').__module__ = 'copy'
    copy._reconstruct = _reconstruct
    copy.copy = copy_
    copy.deepcopy = deepcopy
    _copy_timezones_as_themselves()


def _refuse_internal_parts(x, func, args):
    _refuse_internal(x, func)
    for arg in args if type(args) is tuple or type(args) is list else ():
        _refuse_internal(x, arg)
        if type(arg) is tuple or type(arg) is list:
            for item in arg:
                _refuse_internal(x, item)


def _refuse_internal(x, value):
    """Refuses a value that copying x works with or hands back when the script must never hold it (a module,
    an unchecked builtin, a trusted namespace, code, a frame: guards.internal_kind)."""
    what = _guards.internal_kind(value)
    if what is not None:
        raise _violation(OperationBlocked, 'copying %s is blocked by the sandbox: it reaches %s'
                         % (_guards.describe(x), what))


# values that take no attribute and that copy makes anew (or that are the same whatever their identity)
_VALUE_TYPES = frozenset((int, float, complex, bool, str, bytes, type(None), tuple, frozenset, list, dict, set,
                          bytearray, range, slice))


def _judged_copy(x, y):
    """What copy hands trusted code as the copy of x, which it may go on to change raw (DOMBuilder.parse sets
    options.filter on copy.copy(self._options)): x itself, a plain value, an object the script may change,
    or a new object of x's class when that class is trusted. A script's __copy__ or stateless reduction
    answered with re.RegexFlag, and typing's reduction with an item of the real builtins dict (review,
    2026-12-06)."""
    _refuse_internal(x, y)
    if y is x or _is_one_of(type(y), _VALUE_TYPES) or _guards.may_change(y) or (type(y) is type(x) and _trusted_class(type(x))):
        return y
    raise _violation(ReadOnlyError, 'copying %s is blocked by the sandbox: its copy is %s, which the script did not '
                     'create' % (_guards.describe(x), _guards.describe(y)))


def _checked_deepcopy(copy):
    """deepcopy with its memo kept from the script: the memo maps the id of every object copied so far to
    its copy and keeps the originals and their raw state dicts alive. A script's __deepcopy__ read that list
    and wrote into email.policy.SMTP's dict, a module view's and the builtins view's, and planted a
    substitute for a class, whose __new__ then returned re.I for a trusted reduction to write onto
    (http.cookiejar's FileCookieJar.revert deep-copies what a subclass chooses; review, 2026-12-06). Only
    the __deepcopy__ that a trusted reduction's class holds in its own namespaces gets the memo; any other,
    found on the object as copy finds it, gets a new, empty one; and a memo that this deepcopy did not make
    (a caller's) is not used. The rest is copy's own algorithm, with its copiers."""
    dispatch, atomic, keep_alive, error = (copy._deepcopy_dispatch, copy._deepcopy_atomic, copy._keep_alive,
                                           copy.Error)
    # copy's copier for a bound method binds its function to the copy of its self, which a script's
    # __deepcopy__ chooses: the trusted EmailPolicy.__init__ bound to email.policy.SMTP, enum.property's
    # __set_name__ to re.RegexFlag (review, 2026-12-06). A bound method is its own copy.
    for kind, copier in list(dispatch.items()):
        if copier is copy._deepcopy_method:
            dispatch[kind] = atomic
    # the container copiers take the unchecked deepcopy as a default argument: given this one instead
    recursing = (copy._deepcopy_list, copy._deepcopy_tuple, copy._deepcopy_dict)
    reductions = _sys.modules['copyreg'].dispatch_table
    active = []

    def deepcopy(x, memo=None, _nil=[]):
        if memo is None or not any(memo is made for made in active):
            memo = {}
            active.append(memo)
            try:
                return copied(x, memo, _nil)
            finally:
                active.pop()
        return copied(x, memo, _nil)

    def copied(x, memo, _nil):
        d = id(x)
        y = memo.get(d, _nil)
        if y is not _nil:
            return y
        cls = type(x)
        copier = dispatch.get(cls) if _compares_by_identity(cls) else None
        if copier is not None:
            y = copier(x, memo, deepcopy) if any(copier is c for c in recursing) else copier(x, memo)
        elif _is_subclass(type, cls):
            y = atomic(x, memo)
        else:
            # a trusted class's own __deepcopy__, found in its namespaces: read off the object, a trusted
            # class's __getattr__ (codecs.StreamReaderWriter's) answered with the script's (review, 2026-12-06)
            trusted = _trusted_reduction(x)
            copier = _class_attribute(cls, '__deepcopy__') if trusted else getattr(x, '__deepcopy__', None)
            if copier is not None:
                y = _judged_copy(x, copier.__get__(x, cls)(memo) if trusted else copier({}))
            else:
                reductor = reductions.get(cls) if _compares_by_identity(cls) else None
                if reductor:
                    rv = reductor(x)
                else:
                    reductor = getattr(x, '__reduce_ex__', None)
                    if reductor is not None:
                        rv = reductor(4)
                    else:
                        reductor = getattr(x, '__reduce__', None)
                        if not reductor:
                            raise error('un(deep)copyable object of type %s' % cls)
                        rv = reductor()
                y = x if isinstance(rv, str) else copy._reconstruct(x, memo, *rv)
        if y is not x:
            memo[d] = y
            keep_alive(x, memo)
        return y
    _dressed_as(deepcopy, copy.deepcopy, 'deepcopy').__module__ = 'copy'
    return deepcopy


def _class_attribute(cls, name):
    for c in _type_mro(cls):
        value = _type_dict(c).get(name, _MISSING)
        if value is not _MISSING:
            return value
    return None


def _require_new_objects(x, func):
    """func makes a new object of x's class: it is the class, called through type's own __call__, or
    copyreg's maker, and no class of the MRO has a __new__ written in Python (which may hand back an object
    that exists: timezone.utc, an enum's member)."""
    cls = type(x)
    copyreg = _sys.modules['copyreg']
    called_by_type = func is cls and not any(c is not type and '__call__' in _type_dict(c)
                                             for c in _type_mro(type(cls)))
    by_copyreg = any(func is maker for maker in (copyreg.__newobj__, copyreg.__newobj_ex__))
    if (called_by_type or by_copyreg) and not any(_is_python_new(_type_dict(c).get('__new__'))
                                                  for c in _type_mro(cls)):
        return
    raise _violation(ReadOnlyError, 'copying %s is blocked by the sandbox: its reduction may fill an object '
                     'that exists already' % _guards.describe(x))


def _is_python_new(new):
    return type(new.__func__ if type(new) is staticmethod else new) is _FunctionType


def _making_only_instances(make, cls):
    def checked(*args, **kwargs):
        made = make(*args, **kwargs)
        if type(made) is not cls:
            raise _violation(ReadOnlyError, 'copying %s whose reduction returns %s is blocked by the sandbox'
                             % (_guards.describe(cls), _guards.describe(made)))
        return made
    return checked


def _making_only_members(make, enum_class):
    def checked(*args, **kwargs):
        made = make(*args, **kwargs)
        if not (_is_subclass(enum_class, type(made)) or _guards.may_change(made)):
            raise _violation(ReadOnlyError, 'an enum member that is %s is blocked by the sandbox: only objects '
                             'created by the script can be changed' % _guards.describe(made))
        return made
    return checked




def _making_only_changeable(make, what):
    """make, for trusted code that goes on to set attributes raw on what it returns: that must be an object
    the script may change."""
    def checked(*args, **kwargs):
        made = make(*args, **kwargs)
        if not _guards.may_change(made):
            raise _violation(ReadOnlyError, '%s %s is blocked by the sandbox: only objects created by the script '
                             'can be changed' % (what, _guards.describe(made)))
        return made
    return checked


# copy looks these up on the object, so an entry in its own __dict__ wins over its class's (an exception's
# __dict__ is the script's to fill; fourth review)
_REDUCTION_NAMES = ('__reduce_ex__', '__reduce__', '__getstate__', '__copy__', '__deepcopy__', '__class__')


def _trusted_reduction(x):
    if not _trusted_class(type(x)) or not _reduces_by_trusted_code(type(x)):
        return False
    own = _orig_getattr(x, '__dict__', None)
    return not (type(own) is dict and any(name in own for name in _REDUCTION_NAMES))


# methods of builtin types, as their classes' namespaces hold them (a bound builtin such as {4: rv}.get is not)
_C_METHODS = (type(object.__dict__['__reduce_ex__']), type(object.__dict__['__init__']),
              type(dict.__dict__['fromkeys']))


def _reduces_by_trusted_code(cls):
    """Every reduction name that a class of cls's MRO defines is trusted code: a trusted module's function or
    a builtin type's method, and no class but object defines __class__. A class that a script made with
    type() can carry a trusted module's path in its __module__ and __qualname__, and trusted code given a
    foreign self can put it at that path (email's Message.set_unixfrom(re.RegexFlag, X); review,
    2026-12-05): its reduction stays the script's."""
    for c in _type_mro(cls):
        if c is object:
            continue
        namespace = _type_dict(c)
        if '__getattr__' in namespace or '__getattribute__' in namespace:
            # what copy looks up on the object or on what it makes (__deepcopy__, __setstate__) is then
            # the answer of code that may hand on to the script's (codecs' stream wrappers; review, 2026-12-06)
            return False
        for name in _REDUCTION_NAMES:
            value = namespace.get(name, _MISSING)
            if value is _MISSING:
                continue
            if name == '__class__':
                return False
            if type(value) is classmethod or type(value) is staticmethod:
                value = value.__func__
            if type(value) is _FunctionType:
                # the policy's own functions are trusted namespaces too, and a script's lambda is one of
                # them (guards._count_lambda wraps it)
                namespace_id = id(_orig_getattr(value, '__globals__'))
                if namespace_id not in _TRUSTED_NAMESPACES or namespace_id in _policy_namespaces():
                    return False
            elif not _is_one_of(type(value), _C_METHODS) or '__module__' in namespace:
                # a builtin type's method only in a builtin type's own namespace, which has no '__module__'
                # (every class made by a class statement or type() has one): list.__getitem__ as a type()
                # class's __reduce_ex__ returned an item of the script's list (review, 2026-12-05)
                return False
    return True


_POLICY_NAMESPACES = []


def _policy_namespaces():
    if not _POLICY_NAMESPACES:
        _POLICY_NAMESPACES.append(frozenset(id(module.__dict__) for name, module in list(_sys.modules.items())
                                            if name == 'pysandbox' or name.startswith('pysandbox.')))
    return _POLICY_NAMESPACES[0]


def _trusted_class(cls):
    """A class that was in a trusted module's namespace when the module had loaded (imports.TRUSTED_CLASSES),
    so that its reduction is trusted code. Found by identity: the class a trusted module defines under a
    path was found by walking __module__ and __qualname__ through live attributes, and a plain-named trusted
    method given a foreign self (Message.set_unixfrom(re.RegexFlag, X)) put a script's type()-made class at
    that path, whose __new__ returned email.charset.Charset for copy to write the ownership mark onto
    (review, 2026-12-06)."""
    if _TRUSTED_CLASSES.get(id(cls)) is not cls:
        if len(_sys.modules) == _TRUSTED_MODULE_COUNT[0]:
            return False
        # modules GraalPy loads itself, which the trusted loader never saw
        _sys.modules['pysandbox.imports'].register_trusted_modules()
        if _TRUSTED_CLASSES.get(id(cls)) is not cls:
            return False
    # the mark read from the class namespaces, not through the class's metaclass: a script metaclass's
    # __getattribute__ ran, and imported a module, in the middle of an issubclass answer (review, 2026-12-06)
    for base in _type_mro(cls):
        namespace = _type_dict(base)
        if _guards.OWNED_MARK in namespace:
            return namespace[_guards.OWNED_MARK] is not True
    return True


def _judged_state(x, state):
    """A copy of a reduction's state whose names pass the attribute rules and whose values are what reading
    them off x hands out: x's own dict as vars(x) gives it, any other dict copied and checked (_check_state)."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    judged = tuple(_judged_state_part(x, part) for part in parts)
    _check_state(x, judged if len(judged) == 2 else judged[0])
    return judged if len(judged) == 2 else judged[0]


def _judged_state_part(x, part):
    if part is None or type(part) is not dict:
        return part  # _check_state refuses what is not a dict
    try:
        own = _object_getattribute(x, '__dict__')
    except (AttributeError, TypeError):
        own = None
    if part is own and not _guards.hands_out_its_own_dict(x):
        return _guards.judged_instance_items(x)
    return dict(part)


def _check_state(x, state):
    """The names a reduction's state sets must pass the attribute rules, and a private one's value must be
    one a private read hands out: the default reduction of a script's object reads its slots' names with
    getattr, which found a trusted base's class attribute under a slot named '_os' (dbm.dumb._Database's
    real os) or '_get_encoder', and the copy held it in its own __dict__ (review, 2026-12-05)."""
    parts = state if type(state) is tuple and len(state) == 2 else (state,)
    for part in parts:
        if part is None:
            continue
        if type(part) is not dict:
            raise _violation(ReadOnlyError, 'copying with a reduction state that is not a dict is blocked by '
                             'the sandbox')
        for key, value in part.items():
            key = _guards.exact_str(key)
            _guards.check_name(key, loading=False)
            if type(key) is str and _guards.is_private(key) and _guards.private_value(x, key, value) is not value:
                raise _violation(ReadOnlyError, "copying %s with '%s' in its state is blocked by the sandbox: "
                                 "it holds a trusted method" % (_guards.describe(x), key))


def _patch_typing(typing):
    """A runtime-checkable protocol takes every name in its class namespace for a member that a checked
    object must have, except typing's own list. The checker puts the ownership mark into every class body,
    so isinstance([1], Sized) was False for a script's protocol Sized with __len__. The mark is the policy's
    bookkeeping, not a member."""
    typing.EXCLUDED_ATTRIBUTES = frozenset(typing.EXCLUDED_ATTRIBUTES | {_guards.OWNED_MARK, _guards.PURE_MARK})
    # ForwardRef.__init__ compiles its string with the original compile and stores the code object as
    # '__forward_code__'. On a script's object (its own subclass, or any object as a foreign self) vars()
    # then handed out that code, and FunctionType made it a function of source the checker never saw
    # (review, 2026-12-05). typing makes its forward references itself, of the exact class.
    forward_ref = typing.ForwardRef
    original = forward_ref.__init__

    def __init__(self, *args, **kwargs):
        if type(self) is not forward_ref:
            raise _violation(ReadOnlyError, 'typing.ForwardRef is blocked by the sandbox for %s: it compiles '
                             'its string' % _guards.describe(self))
        return original(self, *args, **kwargs)
    _dressed_as(__init__, original)
    forward_ref.__init__ = __init__

    # a generic alias sets a plain name on its __origin__, raw: a script's subclass of the alias class,
    # made with re.RegexFlag as its origin, replaced re.RegexFlag._numeric_repr_ (review, 2026-12-05). The
    # origin, read once from the alias itself, must be an object the script may change.
    alias = typing._BaseGenericAlias
    original_setattr = _type_dict(alias)['__setattr__']
    own_names = frozenset(('_name', '_inst', '_nparams'))

    def __setattr__(self, attr, val):
        if typing._is_dunder(attr) or attr in own_names:
            return original_setattr(self, attr, val)
        origin = _object_getattribute(self, '__origin__')
        setattr(_guards.store_guard(origin, attr), attr, val)
    _dressed_as(__setattr__, original_setattr)
    alias.__setattr__ = __setattr__
    _patch_typing_reduce(typing)
    _patch_typing_marks(typing)


def _patch_typing_reduce(typing):
    """_GenericAlias.__reduce__ looks the alias's _name up in typing's globals(), and the alias class's
    constructor takes any name: '__builtins__' gave copy the real builtins dict, whose __loader__ gave the
    real sys (review, 2026-12-06). The name stands for typing's own special alias of that name, or for
    nothing (the alias's origin then, as for an alias without a name)."""
    generic_alias = typing._GenericAlias
    original = _type_dict(generic_alias)['__reduce__']
    namespace = typing.__dict__
    specials = (typing._SpecialGenericAlias, typing._SpecialForm)
    getitem = _sys.modules['operator'].getitem

    def __reduce__(self):
        name = _object_getattribute(self, '_name')
        origin = namespace.get(name) if type(name) is str else None
        if not (isinstance(origin, specials) and _object_getattribute(origin, '_name') == name):
            origin = self.__origin__
        args = tuple(self.__args__)
        if len(args) == 1 and not isinstance(args[0], tuple):
            args, = args
        return getitem, (origin, args)
    _dressed_as(__reduce__, original)
    generic_alias.__reduce__ = __reduce__


def _patch_typing_marks(typing):
    """final, override, no_type_check and dataclass_transform set their mark raw on whatever they are given:
    on pathlib.PurePath, json.dumps, re.sub, and (no_type_check, through a script's class that names itself
    after a trusted one) the trusted class's own functions (review, 2026-12-05). They mark only what the
    script may change; typing itself skips an object that takes no attribute, and so do these."""
    for name in ('final', 'override'):
        setattr(typing, name, _marking_only_the_scripts(getattr(typing, name)))
    typing.no_type_check = _checked_no_type_check(typing)
    original_transform = typing.dataclass_transform

    def dataclass_transform(**kwargs):
        decorate = original_transform(**kwargs)

        def decorator(cls_or_fn):
            return decorate(_guards.store_guard(cls_or_fn, '__dataclass_transform__'))
        return decorator
    _dressed_as(dataclass_transform, original_transform)
    typing.dataclass_transform = dataclass_transform


def _marking_only_the_scripts(original):
    def mark(f):
        return original(f) if _guards.may_change(f) else f
    _dressed_as(mark, original, original.__name__)
    return mark


def _checked_no_type_check(typing):
    import types

    def no_type_check(arg):
        if not _guards.may_change(arg):
            return arg
        if isinstance(arg, type):
            for key in dir(arg):
                obj = getattr(arg, key)
                if (not hasattr(obj, '__qualname__')
                        or obj.__qualname__ != '%s.%s' % (arg.__qualname__, obj.__name__)
                        or getattr(obj, '__module__', None) != arg.__module__):
                    continue
                if isinstance(obj, types.MethodType):
                    obj = obj.__func__
                if isinstance(obj, (types.FunctionType, type)):
                    no_type_check(obj)
        try:
            arg.__no_type_check__ = True
        except TypeError:
            pass
        return arg
    no_type_check.__doc__ = typing.no_type_check.__doc__
    return no_type_check


def _patch_functools(functools):
    """update_wrapper(updated=('__dict__',)), the default, copies the wrapped object's whole __dict__: a
    class of the script's holds the policy's marks in its own, and contextlib.contextmanager(P) copied them
    into a trusted closure, where vars() handed out the pure mark's seal (review, 2026-12-05). What the
    wrapper held of the policy's names stays as it was; none is copied in. Every caller looks the function
    up in functools when it calls (wraps, lru_cache, singledispatch), trusted code and the checked one."""
    original = functools.update_wrapper

    def update_wrapper(wrapper, wrapped, assigned=functools.WRAPPER_ASSIGNMENTS,
                       updated=functools.WRAPPER_UPDATES):
        before = _bookkeeping(wrapper)
        made = original(wrapper, wrapped, assigned, updated)
        own = _orig_getattr(wrapper, '__dict__', None)
        if type(own) is dict:
            for name in _bookkeeping(wrapper):
                if name not in before:
                    del own[name]
            own.update(before)
        return made
    _dressed_as(update_wrapper, original)
    functools.update_wrapper = update_wrapper


def _bookkeeping(obj):
    own = _orig_getattr(obj, '__dict__', None)
    if type(own) is not dict:
        return {}
    return {name: value for name, value in own.items() if _guards.is_bookkeeping(name)}


def _patch_xmlbuilder(xmlbuilder):
    """DOMBuilder.getFeature(name) is getattr(self._options, name): minidom's createDOMBuilder() hands one out,
    a script's subclass sets _options to anything (re.compile, then its __globals__; review, 2026-12-05).
    The replacement reads a real Options object once, by a name that passes the attribute rules."""
    builder = xmlbuilder.DOMBuilder
    original = builder.getFeature
    options_class = xmlbuilder.Options

    def own_options(builder, method):
        options = _orig_getattr(builder, '_options', None)
        if type(options) is not options_class:
            raise _violation(AttributeBlocked, '%s() is blocked by the sandbox for a DOMBuilder whose _options '
                             'are not its own' % method)
        return options

    def getFeature(self, name):
        options = own_options(self, 'getFeature')
        name = _guards.exact_str(name)
        if type(name) is not str:
            raise TypeError('feature name must be a string')
        xname = xmlbuilder._name_xform(name)
        _guards.check_name(xname)
        try:
            return _orig_getattr(options, xname)
        except AttributeError:
            if name == 'infoset':
                return original(self, name)
            import xml.dom
            raise xml.dom.NotFoundErr('feature %s not known' % repr(name)) from None
    _dressed_as(getFeature, original)
    builder.getFeature = getFeature

    # setFeature does setattr(self._options, name, value) for each pair in self._settings, all of which a
    # foreign self supplies: it set the policy's pure mark on a script's subclass of PurePosixPath, and
    # any name on re.RegexFlag (review, 2026-12-05). It now writes only the class's own settings, by names
    # that pass the attribute rules, onto a real Options object read once.
    original_set = builder.setFeature
    settings_of = builder._settings

    def setFeature(self, name, state):
        options = own_options(self, 'setFeature')
        import xml.dom
        if not self.supportsFeature(name):
            raise xml.dom.NotFoundErr('unknown feature: ' + repr(name))
        name = _guards.exact_str(name)
        if type(name) is not str:
            raise TypeError('feature name must be a string')
        settings = settings_of.get((xmlbuilder._name_xform(name), state and 1 or 0))
        if settings is None:
            raise xml.dom.NotSupportedErr('unsupported feature: %r' % (name,))
        for setting, value in list(settings):
            setting = _guards.exact_str(setting)
            _guards.check_name(setting, loading=False)
            setattr(options, setting, value)
    _dressed_as(setFeature, original_set)
    builder.setFeature = setFeature

    # parse sets filter and errorHandler raw on copy.copy(self._options): _options = re.I, whose copy is
    # itself, had them written onto the enum member (review, 2026-12-06). A real Options object, read once.
    original_parse = builder.parse
    copy = _sys.modules['copy']

    def parse(self, input):
        options = copy.copy(own_options(self, 'parse'))
        options.filter = self.filter
        options.errorHandler = self.errorHandler
        fp = input.byteStream
        if fp is None and options.systemId:
            import urllib.request
            fp = urllib.request.urlopen(input.systemId)
        return self._parse_bytestream(fp, options)
    _dressed_as(parse, original_parse)
    builder.parse = parse


def _patch_element_tree(element_tree):
    """An element's tag, text, tail and attributes are what a script building a document sets
    (`e.text = 'x'`); ElementTree only reads them back as values (serialising calls their own methods,
    which are the script's if the values are)."""
    _guards.SETTABLE[element_tree.Element] = frozenset(('tag', 'text', 'tail', 'attrib'))
    # register_namespace rewrote the module's prefix table, which every later serialisation of the context
    # uses, the reserved xml prefix included (review, 2026-12-06): new namespaces and prefixes only
    original_register, namespace_map = element_tree.register_namespace, element_tree._namespace_map

    def register_namespace(prefix, uri):
        prefix, uri = _plain_text(prefix, 'a namespace prefix'), _plain_text(uri, 'a namespace URI')
        if namespace_map.get(uri) == prefix:
            return None
        if uri in namespace_map or prefix in namespace_map.values():
            raise _violation(ReadOnlyError, "changing the prefix of a registered namespace is blocked by the "
                             "sandbox: '%s' or '%s' is registered already, for every document of the context; "
                             "register new namespaces under new prefixes" % (prefix, uri))
        return original_register(prefix, uri)
    _dressed_as(register_namespace, original_register, 'register_namespace')
    element_tree.register_namespace = register_namespace


def _elements_of(element_tree):
    """The classes whose instances are elements: ElementTree's Element and, when that is native code, the
    Python one beside it."""
    return tuple({element_tree.Element, getattr(element_tree, '_Element_Py', element_tree.Element)})


def _an_element(value, classes, what):
    if not any(_is_subclass(cls, type(value)) for cls in classes):
        raise TypeError('ElementInclude works on elements only; %s is %s' % (what, _guards.describe(value)))
    return value


class _IncludedElement:
    """An element as ElementInclude's _include reads and writes it: itself an element, and every child it
    hands out one too. _include sets tail on the child before an include and text on the element, raw: a
    script's container whose __getitem__ answered with the Element class had the trusted class's tail set
    for every element of the context (review, 2026-12-06)."""
    __slots__ = ('_element', '_classes')

    def __init__(self, element, classes):
        self._element = _an_element(element, classes, 'the element to expand')
        self._classes = classes

    def __len__(self):
        return len(self._element)

    def __getitem__(self, index):
        return _an_element(self._element[index], self._classes, 'a child of %s' % _guards.describe(self._element))

    def __setitem__(self, index, value):
        self._element[index] = value

    def __delitem__(self, index):
        del self._element[index]

    @property
    def text(self):
        return self._element.text

    @text.setter
    def text(self, value):
        self._element.text = value


def _patch_element_include(element_include):
    """_include walks the tree it is given and stores onto what it finds (a child's tail, the element's
    text, a copy's tail): every element it walks, recursion included, is a real element (_IncludedElement)."""
    element_tree = _sys.modules['xml.etree.ElementTree']
    classes = _elements_of(element_tree)
    original = element_include._include

    def _include(elem, loader, base_url, max_depth, _parent_hrefs):
        return original(_IncludedElement(elem, classes), loader, base_url, max_depth, _parent_hrefs)
    _dressed_as(_include, original)
    element_include._include = _include


def _patch_element_path(element_path):
    """ElementPath keeps each path's compiled selector in a module-level cache keyed by the path and the
    namespaces as given: a str subclass that hashed and compared as 'item' left the selector of '*' for
    every later findall('item') of the context, trusted code's included (review, 2026-12-06). The cache
    sees plain strings only. find, findall and findtext, the module's and Element's, go through iterfind."""
    original = element_path.iterfind

    def iterfind(elem, path, namespaces=None):
        path = _plain_text(path, 'a path')
        if namespaces is not None:
            namespaces = {_plain_text(prefix, 'a namespace prefix'): _plain_text(uri, 'a namespace URI')
                          for prefix, uri in dict(namespaces).items()}
        return original(elem, path, namespaces)
    _dressed_as(iterfind, original)
    element_path.iterfind = iterfind
    # the table of path operators is public and was the real dict: ops[''] = ops['*'] made every later
    # findall('q') find every child (review, 2026-12-06). Read-only; iterfind only looks operators up.
    element_path.ops = _MappingProxy(dict(element_path.ops))


_MappingProxy = type(type.__dict__)


def _plain_text_or_bytes(value):
    """A str or bytes subclass's own characters or bytes as a plain str or bytes (read past its methods:
    bytes() calls __bytes__, which may return the object itself); anything else as it is."""
    kind = type(value)
    if kind is str or kind is bytes:
        return value
    if _is_subclass(str, kind):
        return _guards.exact_str(value)
    if _is_subclass(bytes, kind):
        return bytes(memoryview(value))
    return value


def _exact_int(value, what):
    """The plain int behind an int the script passes: a subclass could lie through __eq__ and __hash__ to a
    cache that trusted code shares with it."""
    if not isinstance(value, int):
        raise TypeError('%s must be an int, not %s' % (what, _guards.describe(value)))
    return int.__index__(value)


_PLAIN_VALUES = frozenset((int, float, complex, bool, str, bytes, type(None)))
_OBJECT_EQ = object.__dict__['__eq__']


def _plain_key(value, depth=0):
    """Whether a cache key hashes and compares only as trusted code says: plain values, tuples and
    frozensets of plain keys, classes whose metaclass is a trusted class (compared by identity), instances
    of trusted classes that compare by identity, and typing's and types' aliases whose origin, arguments
    and metadata are plain keys. Anything else, or nesting deeper than 32, counts as the script's: its
    class may lie through __hash__ and __eq__ (a class statement, a type() call, a metaclass; reviews,
    2026-12-06)."""
    kind = type(value)
    if _is_one_of(kind, _PLAIN_VALUES):
        return True
    if depth > 32:
        return False
    if kind is tuple or kind is frozenset:
        for item in value:
            if not _plain_key(item, depth + 1):
                return False
        return True
    if not _trusted_or_builtin_class(kind):
        return False
    if _is_subclass(type, kind) or _class_attribute(kind, '__eq__') is _OBJECT_EQ:
        return True
    args = _orig_getattr(value, '__args__', _MISSING)
    if type(args) is tuple:
        return (_plain_key(_orig_getattr(value, '__origin__', None), depth + 1) and _plain_key(args, depth + 1)
                and _plain_key(_orig_getattr(value, '__metadata__', ()), depth + 1))
    # typing's own special forms (Union, Optional, ...) compare by their names: only the objects of typing's
    # namespace, not one the script made of their class, nor a ParamSpecArgs of the script's origin (review)
    return _TYPING_OBJECTS.get(id(value)) is value


def _cached_for_plain_keys(cached, uncached):
    """A cache that trusted code shares with the script, used only for plain keys (_plain_key): a lying
    __hash__ and __eq__ stored the script's entry under a plain key (reviews, 2026-12-06). Any other
    argument is computed afresh each time."""
    def call(*args, **kwargs):
        if _plain_key(args) and _plain_key(tuple(kwargs.values())):
            return cached(*args, **kwargs)
        return uncached(*args, **kwargs)
    call.__qualname__ = call.__name__ = _orig_getattr(uncached, '__name__', 'cached')
    call.__doc__ = _orig_getattr(uncached, '__doc__', None)
    return call


def _patch_typing_caches(typing):
    """typing's _tp_cache keeps every subscription (List[int], Union[...]) in an lru_cache keyed by its
    arguments: a class whose metaclass hashed as int and compared equal to anything made every later
    List[int] a List of the script's class, also from inside Dict[str, List[Evil]] (reviews, 2026-12-06)."""
    _TYPING_OBJECTS.update((id(value), value) for value in _walkable(typing.__dict__).values())
    for func, cached in list(typing._caches.items()):
        typing._caches[func] = _cached_for_plain_keys(cached, func)


# id -> object, for the values of typing's namespace once it has loaded
_TYPING_OBJECTS = {}


def _patch_abc(abc):
    """ABCMeta.register changes what isinstance() answers for every caller of the context:
    collections.abc.Mapping.register(str) made collections.Counter('aab') fail (review, 2026-12-06). A
    trusted class is registered with a trusted abstract class only by a trusted module's own top-level code
    as it loads: a script's __subclasshook__, run by the standard library's own registration while decimal
    loaded, registered str as a Mapping (review, 2026-12-06)."""
    meta = abc.ABCMeta
    original = _type_dict(meta)['register']

    def register(cls, subclass):
        if (_trusted_or_builtin_class(cls) and _trusted_or_builtin_class(subclass)
                and not _registered_by_a_loading_module()):
            raise _violation(ReadOnlyError, 'registering %s as a virtual subclass of %s is blocked by the sandbox: '
                             'a script registers its own classes, or any class with its own abstract classes'
                             % (_guards.describe(subclass), _guards.describe(cls)))
        _TRUSTED_ANSWERS.clear()
        return original(cls, subclass)
    _dressed_as(register, original)
    type.__setattr__(meta, 'register', register)

    # ABCMeta.__subclasscheck__ asks every registrant and subclass of the abstract class, the script's too:
    # a script class registered with Mapping whose metaclass answered `C is str`, or a script subclass of
    # Mapping with such a __subclasshook__, made isinstance('x', Mapping) True for trusted code (review,
    # 2026-12-06). For a trusted abstract class and a trusted class the answer comes from trusted classes only.
    original_check = _type_dict(meta)['__subclasscheck__']
    # the native _abc keeps the registry behind _get_dump; GraalPy's ABCMeta is _py_abc's, which keeps it in
    # each abstract class's own namespace
    registry = _orig_getattr(_sys.modules.get('_abc'), '_get_dump', None)

    def __subclasscheck__(cls, subclass):
        if _trusted_or_builtin_class(cls) and _answered_by_the_policy(subclass):
            if len(_sys.modules) != _TRUSTED_MODULE_COUNT[0]:
                # modules loaded since the answers were cached (registering them forgets the answers)
                _sys.modules['pysandbox.imports'].register_trusted_modules()
            key = (id(cls), id(subclass))
            answer = _TRUSTED_ANSWERS.get(key)
            if answer is None:
                generation = _ANSWERS_GENERATION[0]
                answer = _trusted_answer(cls, subclass, registry)
                if generation == _ANSWERS_GENERATION[0]:
                    # not forgotten while it was worked out (a module loaded meanwhile)
                    _TRUSTED_ANSWERS[key] = answer
            return answer
        return original_check(cls, subclass)
    _dressed_as(__subclasscheck__, original_check)
    type.__setattr__(meta, '__subclasscheck__', __subclasscheck__)

    # __instancecheck__ looked the instance's class up in the abstract class's own caches (WeakSets, which
    # compare by the classes' equality) before any __subclasscheck__: a script class whose metaclass hashed
    # and compared as str, cached by one issubclass(E, Mapping), made isinstance('x', Mapping) True
    # (review, 2026-12-06). A trusted abstract class answers every class through __subclasscheck__ above.
    original_instance_check = _type_dict(meta)['__instancecheck__']

    def __instancecheck__(cls, instance):
        if not _trusted_or_builtin_class(cls):
            return original_instance_check(cls, instance)
        subtype = type(instance)
        claimed = _orig_getattr(instance, '__class__', subtype)
        for kind in (subtype,) if claimed is subtype or not _is_subclass(type, type(claimed)) else (subtype, claimed):
            if __subclasscheck__(cls, kind):
                return True
        return False
    _dressed_as(__instancecheck__, original_instance_check)
    type.__setattr__(meta, '__instancecheck__', __instancecheck__)
    _patch_abstract_marks(abc)


def _patch_abstract_marks(abc):
    """abstractmethod() sets __isabstractmethod__ on whatever it is given, and update_abstractmethods() sets
    __abstractmethods__ on any class: abstractmethod(fractions.Fraction.limit_denominator) and then
    update_abstractmethods(Fraction) left Fraction abstract for the rest of the context (review 18,
    2026-12-06). They mark the script's own functions and classes, and trusted modules' as those load;
    anything else is handed back unmarked, as typing's marks are (_marking_only_the_scripts)."""
    original_mark = abc.abstractmethod

    def abstractmethod(funcobj):
        if _made_for_the_script(funcobj) or _registered_by_a_loading_module():
            return original_mark(funcobj)
        return funcobj
    _dressed_as(abstractmethod, original_mark)
    abc.abstractmethod = abstractmethod

    original_update = abc.update_abstractmethods

    def update_abstractmethods(cls):
        if _guards.may_change(cls) or _registered_by_a_loading_module():
            return original_update(cls)
        return cls
    _dressed_as(update_abstractmethods, original_update)
    abc.update_abstractmethods = update_abstractmethods

    # the deprecated abstractclassmethod and abstractstaticmethod mark the callable in __init__
    for kind in (abc.abstractclassmethod, abc.abstractstaticmethod):
        original_init = _type_dict(kind)['__init__']
        plain_init = _type_dict(_type_mro(kind)[1])['__init__']

        def __init__(self, callable, _original=original_init, _plain=plain_init):
            if _made_for_the_script(callable):
                return _original(self, callable)
            return _plain(self, callable)
        _dressed_as(__init__, original_init)
        type.__setattr__(kind, '__init__', __init__)


def _made_for_the_script(obj):
    """The script's own function or class, or a classmethod, staticmethod or property of its own function."""
    if _guards.may_change(obj):
        return True
    if _is_one_of(type(obj), (classmethod, staticmethod)):
        return _guards.may_change(_orig_getattr(obj, '__func__', None))
    if type(obj) is property:
        return _guards.may_change(_orig_getattr(obj, 'fget', None))
    return False


# (id(abstract class), id(class)) -> issubclass's answer for the pairs the policy answers; both kept alive by
# their modules, the builtins or the interpreter. Forgotten by every register() and whenever trusted modules
# load (their classes join the answers); the generation tells an answer worked out across that apart.
_TRUSTED_ANSWERS = {}
_ANSWERS_GENERATION = [0]


def forget_trusted_answers():
    _TRUSTED_ANSWERS.clear()
    _ANSWERS_GENERATION[0] += 1


def _trusted_answer(cls, subclass, registry):
    """issubclass(subclass, cls) as ABCMeta answers it, from the class's MRO, the abstract class's own hook
    (trusted: found along a trusted class's MRO), and its trusted registrants and subclasses only."""
    for base in _type_mro(subclass):
        if base is cls:
            return True
    hooked = cls.__subclasshook__(subclass)
    if hooked is not NotImplemented:
        return bool(hooked)
    registrants = ([ref() for ref in registry(cls)[0]] if registry is not None
                   else list(_type_dict(cls).get('_abc_registry', ())))
    for candidate in registrants + type.__subclasses__(cls):
        if candidate is not None and _answered_by_the_policy(candidate) and issubclass(subclass, candidate):
            return True
    return False


def _answered_by_the_policy(cls):
    """A class whose issubclass answers against a trusted abstract class come from trusted classes only: a
    trusted or builtin class, or any class the interpreter made itself (not a heap type; the script makes
    only heap types). The abstract class's own caches, WeakSets comparing by equality, answered for
    OrderedDict's keys view and callable_iterator, which are in no namespace (review, 2026-12-06)."""
    return _trusted_or_builtin_class(cls) or (_is_subclass(type, type(cls)) and not _TYPE_FLAGS(cls) & _HEAP_TYPE)


_TYPE_FLAGS = _type_dict(type)['__flags__'].__get__
_HEAP_TYPE = 1 << 9


def _trusted_or_builtin_class(cls):
    """A trusted class (_trusted_class) or one of the builtins module's, which set-up trusts as a namespace
    before it registers the classes of the others."""
    if not _BUILTIN_CLASSES:
        # filled on first use (the first cache or isinstance check), not at every interpreter's start
        _BUILTIN_CLASSES.update((id(value), value) for value in list(_ORIGINAL.values())
                                if _is_subclass(type, type(value)))
    return _BUILTIN_CLASSES.get(id(cls)) is cls or _trusted_class(cls)


# id -> class, for the classes of the builtins module (as it was before set-up)
_BUILTIN_CLASSES = {}


def _registered_by_a_loading_module():
    """Walking out from register()'s caller, the top level of a trusted module comes before any frame whose
    globals are not a trusted namespace (the script's, or code a trusted function runs for it)."""
    frame = _sys._getframe(2)
    while frame is not None:
        if id(frame.f_globals) not in _TRUSTED_NAMESPACES:
            return False
        if frame.f_code.co_name == '<module>':
            return True
        frame = frame.f_back
    return False


def _patch_re(re):
    """re caches compiled patterns by (type(pattern), pattern, flags): an int subclass that hashed and
    compared as 0 stored the IGNORECASE pattern for every later re.compile('abc') of the context, fnmatch's
    and string.Template's included (review, 2026-12-06). The flags are a plain int before the cache, and the
    pattern a plain str or bytes: the class in the key was compared by equality too, and a str subclass whose
    metaclass equalled str stored '.*' for fnmatch's '*.txt' (review, 2026-12-06)."""
    original = re._compile

    def _compile(pattern, flags):
        return original(_plain_text_or_bytes(pattern), _exact_int(flags, 'regular expression flags'))
    _dressed_as(_compile, original)
    re._compile = _compile
    # the replacement templates of sub() and expand() are an lru_cache keyed by (pattern, repl): a str
    # subclass that hashed and compared as '\\1' changed every later sub('(a)', '\\1', ...), email.utils's
    # formataddr's included (review, 2026-12-06)
    template = re._compile_template
    uncached, pattern_type, texts = template.__wrapped__, re.Pattern, (str, bytes)

    def _compile_template(pattern, repl):
        # a Pattern compares and hashes by its pattern, which may be the script's str subclass
        if (type(pattern) is pattern_type and _is_one_of(type(_orig_getattr(pattern, 'pattern', None)), texts)
                and _is_one_of(type(repl), texts)):
            return template(pattern, repl)
        return uncached(pattern, repl)
    _compile_template.__qualname__ = '_compile_template'
    re._compile_template = _compile_template


def _patch_strptime(strptime):
    """_strptime caches each format's regular expression by the format as given: a str subclass that hashed
    and compared as '%Y-%m-%d' stored the regex of '%d-%m-%Y' for every later strptime of the context
    (review, 2026-12-06). The time functions and the datetime classes all parse through _strptime."""
    original = strptime._strptime

    def _strptime(data_string, format='%a %b %d %H:%M:%S %Y'):
        return original(_guards.exact_str(data_string), _guards.exact_str(format))
    _dressed_as(_strptime, original)
    strptime._strptime = _strptime


def _patch_ipaddress(ipaddress):
    """_make_netmask caches each prefix by the value as given: an int subclass that hashed as '23' and
    compared equal to anything made every later /23 network a /8 one holding the script's object as its
    prefix length (review, 2026-12-06). A prefix is a plain int or a plain str before the cache."""
    for cls in (ipaddress._BaseV4, ipaddress._BaseV6):
        make = _type_dict(cls)['_make_netmask'].__func__

        def _make_netmask(cls, arg, _make=make, _invalid=ipaddress.NetmaskValueError):
            arg = _exact_int(arg, 'a prefix length') if isinstance(arg, int) else _guards.exact_str(arg)
            if type(arg) is not int and type(arg) is not str:
                # an object that parsed as a prefix by its own isdigit() and __int__ was the key too (review)
                raise _invalid('%s is not a valid netmask' % _guards.describe(arg))
            return _make(cls, arg)
        _dressed_as(_make_netmask, make)
        type.__setattr__(cls, '_make_netmask', classmethod(_make_netmask))
    # is_private and is_global are lru_caches keyed by the address: a script's subclass that hashed and
    # compared as 10.0.0.1 made every later ip_address('10.0.0.1').is_private False (review, 2026-12-06)
    for cls in [value for value in _walkable(ipaddress.__dict__).values() if type(value) is type]:
        for name, attribute in list(_type_dict(cls).items()):
            getter = attribute.fget if type(attribute) is property else None
            if getter is not None and hasattr(getter, 'cache_info') and hasattr(getter, '__wrapped__'):
                type.__setattr__(cls, name, property(_cached_for_plain_keys(getter, getter.__wrapped__),
                                                     doc=attribute.__doc__))


def _patch_traceback(traceback):
    """The 'did you mean' suggestions of format_exception imported any module an ImportError names
    (ImportError(name='this') printed the Zen), and for a NameError search the names of the frame's real
    builtins, where the guards live under the context's token (review, 2026-12-05). No suggestions."""
    traceback._compute_suggestion_error = lambda exc_value, tb, wrong_name: None


def _patch_collections(collections):
    """UserString.format and format_map are self.data.format(...): trusted code, so the interpreter's own
    format walked '{0.__init__.__globals__[__builtins__]}' unchecked and printed the guard names, with the
    context's token (review, 2026-12-05). They format through the guest's checked formatter."""
    user_string = collections.UserString

    def format(self, /, *args, **kwargs):
        return _guards.safe_format(self.data, *args, **kwargs)

    def format_map(self, mapping):
        return _guards.safe_format_map(self.data, mapping)
    format.__qualname__, format_map.__qualname__ = 'UserString.format', 'UserString.format_map'
    user_string.format, user_string.format_map = format, format_map

    # UserDict.__copy__ and UserList.__copy__ made self.__class__.__new__(self.__class__) and updated its
    # __dict__ from self.__dict__: a script's subclass answered both, or its __new__ returned re.I, and
    # the ownership mark was written onto codecs.getreader (reviews, 2026-12-05). The real class and
    # dicts, and a new instance of that class.
    def copier(kind, copy_data):
        def __copy__(self):
            cls = type(self)
            inst = cls.__new__(cls)
            # an instance of the real class: the script's own if the class is, new if its __new__ is trusted
            if not _is_subclass(cls, type(inst)):
                raise TypeError('%s.__new__ returned %s, not a new instance' % (cls.__name__,
                                                                                _guards.describe(inst)))
            mine, theirs = _object_getattribute(inst, '__dict__'), _object_getattribute(self, '__dict__')
            mine.update(theirs)
            mine['data'] = copy_data(theirs['data'])
            return inst
        __copy__.__qualname__ = kind.__name__ + '.__copy__'
        kind.__copy__ = __copy__
    copier(collections.UserDict, lambda data: data.copy())
    copier(collections.UserList, lambda data: data[:])


def _patch_zip_path(path_module):
    """zipfile.Path.__repr__ formats the template in its class attribute __repr, read off self: a script's
    subclass chose the template, and the interpreter's own format walked attributes unchecked (review,
    2026-12-05). The template is the class's own, read once."""
    path = path_module.Path
    template = _type_dict(path)['_Path__repr']

    def __repr__(self):
        return template.format(self=self)
    __repr__.__qualname__ = 'Path.__repr__'
    path.__repr__ = __repr__

    # CompleteDirs.make(source) sets source.__class__ = cls once isinstance(source, ZipFile) holds, which a
    # script object's __class__ answered: with cls a subclass the script mixed with Charset, a parameter
    # whose class was pure when its call began became a Charset at its private reads (review, 2026-12-05).
    # Only a real ZipFile, and only the module's own two classes.
    complete_dirs, fast_lookup = path_module.CompleteDirs, path_module.FastLookup
    zip_file = path_module.zipfile.ZipFile

    def make(cls, source):
        if _is_subclass(complete_dirs, type(source)):
            return source
        if not _is_subclass(zip_file, type(source)):
            return cls(source)
        if cls is not complete_dirs and cls is not fast_lookup:
            raise _violation(ReadOnlyError, 'make() is blocked by the sandbox for %s: it would change the '
                             "class of a ZipFile to it" % _guards.describe(cls))
        source.__class__ = fast_lookup if cls is fast_lookup and 'r' in source.mode else complete_dirs
        return source
    make.__qualname__ = 'CompleteDirs.make'
    type.__setattr__(complete_dirs, 'make', classmethod(make))


def _patch_pathlib(pathlib):
    """PurePath._flavour was the real posixpath (ntpath for Windows paths): a single raw read of that class
    attribute, which several trusted gadgets gave (cmd's onecmd, a dataclass comparison, a class pattern),
    reached sys and the original eval through the module's os. pathlib only calls path functions and reads
    separators off it, and compares it by identity with its own globals posixpath and ntpath, so those globals
    name the same namespace. It holds the module's public names only; its functions are the module's own.
    A class, which the script cannot change: a SimpleNamespace was set up again by its builtin __init__
    (review, 2026-12-05)."""
    import posixpath, ntpath
    flavours = {}
    for module in (posixpath, ntpath):
        names = {}
        for name in module.__all__:
            value = _orig_getattr(module, name)
            names[name] = staticmethod(value) if type(value) is _FunctionType else value
        names['__slots__'] = ()
        names['__module__'] = module.__name__
        flavours[module] = type('%s_flavour' % module.__name__, (), names)
    for cls in (pathlib.PurePath, pathlib.PurePosixPath, pathlib.PureWindowsPath):
        type.__setattr__(cls, '_flavour', flavours[_type_dict(cls)['_flavour']])
    pathlib.posixpath = flavours[posixpath]
    pathlib.ntpath = flavours[ntpath]
    # its pattern helpers and _is_case_sensitive are lru_caches: _plain_key_caches, as for every module


def _patch_decimal(decimal):
    """decimal is _pydecimal here (which names itself 'decimal'). Context._set_integer_check and _set_signal_dict write the attribute their
    caller names with object.__setattr__: on a real Context, 'copy' planted a method of the script's that
    localcontext() then wrote its keywords onto the result of (re.RegexFlag, PurePath); on the shared
    DefaultContext, any name. _ContextManager copies whatever its argument's copy() returns, and set that
    as the current context past setcontext()'s check (review, 2026-12-05). Only the fields they are for,
    and a copy made by Context's own copy()."""
    pydecimal = _sys.modules.get('_pydecimal')
    if pydecimal is None or decimal.Context is not pydecimal.Context:
        return  # a decimal of native code: no Python setters to steer
    context = pydecimal.Context
    for method_name, fields in (('_set_integer_check', ('prec', 'Emin', 'Emax', 'capitals', 'clamp')),
                                ('_set_signal_dict', ('flags', 'traps'))):
        def checked(self, name, *args, _original=_type_dict(context)[method_name], _fields=fields,
                    _method_name=method_name):
            if type(name) is not str or name not in _fields:
                raise _violation(ReadOnlyError, '%s() is blocked by the sandbox for %r: only the fields %s'
                                 % (_method_name, name, ', '.join(_fields)))
            return _original(self, name, *args)
        checked.__qualname__ = 'Context.' + method_name
        type.__setattr__(context, method_name, checked)

    # a Context's own __setattr__ checks each field's value (an int in range, a rounding mode, a dict of
    # every signal) and refuses any other name but _ignored_flags: getcontext().prec = 50, localcontext()'s
    # ctx.rounding = ROUND_DOWN
    _guards.SETTABLE[context] = frozenset(('prec', 'rounding', 'Emin', 'Emax', 'capitals', 'clamp', 'flags', 'traps'))

    # Context(flags=x) with x not a dict computes _signals + x: a script's __radd__ got the module's private
    # list of signals and cleared it, and every later Context() failed (review, 2026-12-06). Flags and traps
    # are a dict or a list.
    original_init = _type_dict(context)['__init__']

    def __init__(self, prec=None, rounding=None, Emin=None, Emax=None, capitals=None, clamp=None, flags=None,
                 traps=None, _ignored_flags=None):
        for signals in (flags, traps):
            if signals is not None and not isinstance(signals, dict) and type(signals) is not list:
                raise TypeError('flags and traps must be a dict or a list of signals, not %s'
                                % _guards.describe(signals))
        return original_init(self, prec, rounding, Emin, Emax, capitals, clamp, flags, traps, _ignored_flags)
    _dressed_as(__init__, original_init)
    type.__setattr__(context, '__init__', __init__)

    manager = pydecimal._ContextManager
    copy = _type_dict(context)['copy']
    setcontext, getcontext = pydecimal.setcontext, pydecimal.getcontext

    def __init__(self, new_context):
        if not _is_subclass(context, type(new_context)):
            raise TypeError('localcontext() needs a decimal.Context, not %s' % _guards.describe(new_context))
        self.new_context = copy(new_context)

    # __enter__ and __exit__ set what the manager's attributes hold, which a subclass's instance changes
    # (review, 2026-12-05): only a Context
    def __enter__(self):
        self.saved_context = getcontext()
        setcontext(_a_context(self.new_context))
        return self.new_context

    def __exit__(self, t, v, tb):
        setcontext(_a_context(self.saved_context))

    def _a_context(value):
        if not _is_subclass(context, type(value)):
            raise TypeError('a decimal context must be a decimal.Context, not %s' % _guards.describe(value))
        return value
    for method in (__init__, __enter__, __exit__):
        method.__qualname__ = '_ContextManager.' + method.__name__
        type.__setattr__(manager, method.__name__, method)


def _patch_reprlib(reprlib):
    """Repr.repr1 calls getattr(self, 'repr_' + type(x).__name__) and then what it found with (x, level): a
    metaclass's __name__ property gave a str subclass whose __radd__ named '__getattribute__', read off the
    Repr class itself as self, and the raw slot read a private attribute of x (audit, 2026-12-05). Only a
    Repr, and the type's own name as a plain str."""
    repr_class = reprlib.Repr

    def repr1(self, x, level):
        _guards.require_instance(repr_class, self, 'Repr.repr1')
        cls = type(x)
        typename = _guards.exact_str(_type_name(cls))
        if ' ' in typename:
            typename = '_'.join(typename.split())
        method = getattr(self, 'repr_' + typename, None)
        if method:
            # not defined in this class, or defined in it for the module intended
            if typename not in self._lookup or getattr(cls, '__module__', None) == self._lookup[typename]:
                return method(x, level)
        return self.repr_instance(x, level)
    repr1.__qualname__ = 'Repr.repr1'
    repr_class.repr1 = repr1


_type_name = type.__dict__['__name__'].__get__


def _patch_cookies(cookies):
    """Morsel.copy does morsel.__dict__.update(self.__dict__): with a foreign self (an enum class with no
    members passes its dict.update) it copied enum.Enum's namespace, and with it the enum.property objects
    every member's .name goes through, onto an object the script holds (review, 2026-12-05). Only a Morsel."""
    morsel = cookies.Morsel
    original = morsel.copy

    def copy(self):
        _guards.require_instance(morsel, self, 'Morsel.copy')
        return original(self)
    _dressed_as(copy, original)
    morsel.copy = copy


def _patch_pprint(pprint):
    """PrettyPrinter._pprint_dataclass read each field with a raw getattr and handed the value to format(),
    which a script's subclass overrides: a private field with no value of its own read PurePosixPath's
    _flavour, the real posixpath (review, 2026-12-05). The fields are read through the guest's getattr."""
    printer = pprint.PrettyPrinter

    def _pprint_dataclass(self, object, stream, indent, allowance, context, level):
        import dataclasses
        cls_name = type(object).__name__
        indent += len(cls_name) + 1
        items = [(f.name, _guards.guest_getattr(object, f.name)) for f in dataclasses.fields(object) if f.repr]
        stream.write(cls_name + '(')
        self._format_namespace_items(items, stream, indent, allowance, context, level)
        stream.write(')')
    _pprint_dataclass.__qualname__ = 'PrettyPrinter._pprint_dataclass'
    printer._pprint_dataclass = _pprint_dataclass

    # _pprint_simplenamespace hands each value of object.__dict__ to format(), for any object it is called
    # with: object's own namespace gave the raw object.__getattribute__ (static audit, 2026-12-05). Only a
    # SimpleNamespace; _dispatch holds the function itself, and a subclass can call it under any key.
    namespace_type = type(_sys.implementation)
    original_namespace = _type_dict(printer)['_pprint_simplenamespace']

    def _pprint_simplenamespace(self, object, *args):
        if not _is_subclass(namespace_type, type(object)):
            raise TypeError('_pprint_simplenamespace() needs a SimpleNamespace, not %s' % _guards.describe(object))
        return original_namespace(self, object, *args)
    _dressed_as(_pprint_simplenamespace, original_namespace)
    printer._pprint_simplenamespace = _pprint_simplenamespace
    printer._dispatch[namespace_type.__repr__] = _pprint_simplenamespace


def _patch_email_policy(policybase):
    """_PolicyBase.__add__ is self.clone(**other.__dict__), for any other: 'Policy() + object' handed object's
    own namespace, the raw object.__getattribute__ among it, to a subclass's clone() (static audit,
    2026-12-05). Only another policy."""
    base = policybase._PolicyBase
    original = _type_dict(base)['__add__']

    # clone() made self.__class__.__new__(self.__class__) and wrote self.__dict__ onto it raw: a script's
    # __getattribute__ named a class whose __new__ returned calendar.month_name or re.RegexFlag, and the
    # ownership mark went onto PurePath (review, 2026-12-05). The real class, a new object, the real dict.
    original_clone = _type_dict(base)['clone']

    def clone(self, **kw):
        cls = type(self)
        if not _is_subclass(base, cls):
            raise TypeError("clone() needs a policy, not %s" % _guards.describe(self))
        newpolicy = object.__new__(cls)
        for attr, value in _object_getattribute(self, '__dict__').items():
            _guards.check_name(_guards.exact_str(attr), loading=False)
            object.__setattr__(newpolicy, attr, value)
        for attr, value in kw.items():
            attr = _guards.exact_str(attr)
            _guards.check_name(attr, loading=False)
            if not hasattr(self, attr):
                raise TypeError('{!r} is an invalid keyword argument for {}'.format(attr, cls.__name__))
            object.__setattr__(newpolicy, attr, value)
        return newpolicy
    _dressed_as(clone, original_clone)
    base.clone = clone

    # __init__(**kw) sets each keyword the object has with object.__setattr__: __class__=A changed the class
    # of the script's policy object in the middle of a call whose purity test of it had run, and its
    # private attributes were then read raw off a Charset (audit, 2026-12-05). The names as clone() takes them.
    original_init = _type_dict(base)['__init__']

    def __init__(self, **kw):
        checked = {}
        for attr, value in kw.items():
            attr = _guards.exact_str(attr)
            _guards.check_name(attr, loading=False)
            checked[attr] = value
        original_init(self, **checked)
    _dressed_as(__init__, original_init)
    base.__init__ = __init__

    def __add__(self, other):
        if not _is_subclass(base, type(other)):
            return NotImplemented
        return original(self, other)
    _dressed_as(__add__, original)
    base.__add__ = __add__


def _patch_url_opener(request):
    """OpenerDirector calls getattr(handler, name) for a name the caller builds: _call_chain takes it as it
    is, open() and error() add '_request' or '_error' to a protocol the request names, and a str
    subclass's __add__ made them '__getattribute__' and '__reduce_ex__'. Trusted modules the script may
    use call it with the script's objects (xml.sax.saxutils.prepare_input_source, DOMEntityResolver;
    review, 2026-12-05). The names must pass the attribute rules, and a request must be a real Request,
    whose type comes from its URL."""
    opener = request.OpenerDirector
    original_chain, original_open = opener._call_chain, opener.open
    request_class = request.Request

    def _call_chain(self, chain, kind, meth_name, *args):
        meth_name = _guards.exact_str(meth_name)
        if type(meth_name) is not str:
            raise TypeError('a handler method name must be a str')
        _guards.check_name(meth_name)
        if meth_name[:1] == '_':
            raise _violation(AttributeBlocked, "calling the handler method '%s' is blocked by the sandbox" % meth_name)
        return original_chain(self, chain, kind, meth_name, *args)

    def open(self, fullurl, *args, **kwargs):
        if not isinstance(fullurl, str) and type(fullurl) is not request_class:
            raise TypeError('urlopen() in the sandbox takes a URL or a urllib.request.Request, not %s'
                            % _guards.describe(fullurl))
        return original_open(self, fullurl, *args, **kwargs)
    _dressed_as(_call_chain, original_chain)
    _dressed_as(open, original_open)
    opener._call_chain, opener.open = _call_chain, open


def _patch_email_generator(generator):
    """Generator._dispatch reads getattr(self, '_handle_' + name), with name from the message's
    get_content_maintype(): a script object whose replace() returned an object with __radd__ named any
    attribute, on any self (it deleted re.RegexFlag.__repr__ and re-ran a Charset's __init__; review,
    2026-12-05). Only a Generator, and the names as plain str."""
    generator_class = generator.Generator

    def _dispatch(self, msg):
        _guards.require_instance(generator_class, self, 'Generator._dispatch')
        main, sub = (_plain_text(msg.get_content_maintype(), 'a content type'),
                     _plain_text(msg.get_content_subtype(), 'a content type'))
        meth = getattr(self, '_handle_' + '_'.join((main, sub)).replace('-', '_'), None)
        if meth is None:
            meth = getattr(self, '_handle_' + main.replace('-', '_'), None)
            if meth is None:
                meth = self._writeBody
        meth(msg)
    _dispatch.__qualname__ = 'Generator._dispatch'
    generator_class._dispatch = _dispatch


def _makes_new_instances(cls, own_classes, own_metaclasses):
    """cls(), cls.__new__(cls) and self.__class__ give a new object of cls when nothing outside the trusted
    method's own class hierarchy decides them: no __new__, __getattribute__ or __class__ of another class in
    cls's MRO, and the trusted class's own metaclass (or abc's). A script's __new__ returned re.RegexFlag to trusted
    code that then wrote its own fields onto it (hmac's copy(), ExitStack.pop_all(); review, 2026-12-05).
    Judging the maker by its name and module did not hold: a script's __getattribute__ answered hmac's
    self.__class__, reprlib's recursive_repr made a trusted closure named __new__ around the script's
    function, and typing's alias __call__ as a metaclass's returned what the class's __getattr__ named
    (review). Decided by identity, from the classes' own namespaces."""
    if id(type(cls)) not in own_metaclasses:
        return False
    for c in _type_mro(cls):
        if id(c) in own_classes:
            continue
        namespace = _type_dict(c)
        if '__new__' in namespace or '__getattribute__' in namespace or '__class__' in namespace:
            return False
    return True


def _making_new_instances_only(owner, method_name):
    """Wraps owner.method_name, which makes type(self)() or self.__class__.__new__(...) and writes onto it."""
    stored = _type_dict(owner)[method_name]
    is_classmethod = type(stored) is classmethod
    original = stored.__func__ if is_classmethod else stored
    own_classes = frozenset(id(c) for c in _type_mro(owner))
    # a trusted subclass may add abc's metaclass (contextlib.ExitStack over _BaseExitStack)
    from abc import ABCMeta
    own_metaclasses = frozenset(id(c) for c in _type_mro(type(owner)) + (ABCMeta,))

    def method(self, *args, **kwargs):
        if not _makes_new_instances(self if is_classmethod else type(self), own_classes, own_metaclasses):
            raise _violation(ReadOnlyError, "%s() is blocked by the sandbox for a class whose __new__, "
                             "__getattribute__, __class__ or metaclass is not %s's: it writes onto what they "
                             "give" % (original.__qualname__, owner.__name__))
        return original(self, *args, **kwargs)
    _dressed_as(method, original)
    type.__setattr__(owner, method_name, classmethod(method) if is_classmethod else method)


def _patch_hmac(hmac):
    _making_new_instances_only(hmac.HMAC, 'copy')


def _patch_contextlib(contextlib):
    _making_new_instances_only(contextlib._BaseExitStack, 'pop_all')


def _patch_md5(md5):
    # GraalPy's own _md5 is builtin; the Python one in the stdlib (self.__class__()) only where it is not
    if isinstance(md5.md5, type) and 'copy' in _type_dict(md5.md5):
        _making_new_instances_only(md5.md5, 'copy')


def _patch_datetime(datetime):
    # result = cls(...), then result._fold = 1 (audit, 2026-12-05)
    _making_new_instances_only(datetime.datetime, '_fromtimestamp')
    _copy_timezones_as_themselves()


def _copy_timezones_as_themselves():
    """A timezone is immutable, and copy's way with it, timezone(offset) and then its slots set, fills what
    timezone() returns: the shared timezone.utc for an offset that says it is false, which a script's
    timedelta subclass said (review, 2026-12-06). _require_new_objects refuses that reduction; a timezone,
    like an int, is its own copy, so that the datetimes that hold one still copy."""
    copy, datetime = _sys.modules.get('copy'), _sys.modules.get('_pydatetime')
    if copy is not None and datetime is not None:
        copy._copy_dispatch[datetime.timezone] = copy._copy_immutable
        copy._deepcopy_dispatch[datetime.timezone] = copy._deepcopy_atomic


def _patch_email_message(message):
    _making_new_instances_only(message.MIMEPart, '_make_multipart')
    _making_new_instances_only(message.MIMEPart, '_add_multipart')


def _plain_text(value, what):
    """The plain str behind a str the script passes (guards.exact_str); anything else is a TypeError."""
    value = _guards.exact_str(value)
    if type(value) is not str:
        raise TypeError('%s must be a str, not %s' % (what, _guards.describe(value)))
    return value


def _plain_key_caches(module):
    """Every lru_cache at a trusted module's top level is shared by the whole context and keyed by the
    arguments as given, and typed=True only adds their class, which a metaclass can make hash and compare as
    str's: urllib.parse.urlsplit took a str subclass's lying hash (every later urlparse and urljoin of
    'http://good.example/x' gave the script's host), fnmatch's pattern cache made '*.txt' match 'a.py'
    (review, 2026-12-06), pathlib's pattern helpers made match('*.key') case-blind, fractions' hash helper
    would give Fractions the script's hashes (reviews, 2026-12-06). Each is used for plain keys only."""
    functools = _sys.modules.get('functools')
    wrapper = _orig_getattr(functools, '_lru_cache_wrapper', None)
    if wrapper is None:
        return  # nothing made an lru_cache yet
    namespace = module.__dict__
    for name, value in _walkable(namespace).items():
        if type(value) is wrapper:
            namespace[name] = _cached_for_plain_keys(value, value.__wrapped__)


def _patch_encodings(encodings):
    """search_function caches each codec by the name as given: a str subclass that hashed and compared as
    'rot13' stored latin-1's codec, and every later codecs.encode(x, 'rot13') of the context used it
    (review, 2026-12-06). The name is a plain str (or bytes) before the cache."""
    original = encodings.search_function

    def search_function(encoding):
        encoding = _plain_text_or_bytes(encoding)
        if type(encoding) is not str and type(encoding) is not bytes:
            # bytes(x) returned x itself through its __bytes__, and the lying key reached the cache (review)
            raise TypeError('an encoding name must be a str or bytes, not %s' % _guards.describe(encoding))
        return original(encoding)
    _dressed_as(search_function, original)
    encodings.search_function = search_function


def _patch_codecs(codecs):
    """register_error replaced the context's own handlers: after register_error('strict', h), trusted code
    that encoded to ASCII (ElementTree.tostring(encoding='us-ascii')) wrote the script's markup instead of a
    character reference, and handed the script every string it encoded (review, 2026-12-06). A script adds
    handlers under new names only."""
    original, lookup_error = codecs.register_error, codecs.lookup_error

    def register_error(name, error_handler, /):
        name = _plain_text(name, 'an error handler name')
        try:
            lookup_error(name)
        except LookupError:
            return original(name, error_handler)
        raise _violation(ReadOnlyError, "replacing the error handler '%s' is blocked by the sandbox: trusted code "
                         'of the context encodes and decodes with it; register a handler under a new name' % name)
    _dressed_as(register_error, original, 'register_error')
    codecs.register_error = register_error


def _patch_email_policy_registry(email_policy):
    """email.policy.default and its clones (SMTP, HTTP, strict, SMTPUTF8) share one HeaderRegistry: its
    map_to_type(), or a store into its registry dict, made every later message_from_string(...,
    policy=default) of the context build the script's header class (review, 2026-12-06). The shared table
    is read-only; a script maps header names in a registry of its own (EmailPolicy(header_factory=...))."""
    _read_only_shared(email_policy.default.header_factory, ('registry',), ('map_to_type',),
                      'changing the header registry that email.policy.default and its clones share is blocked by '
                      'the sandbox: give a policy a HeaderRegistry() of its own '
                      '(EmailPolicy(header_factory=HeaderRegistry()))')


def _patch_email_content_manager(content_manager):
    """email.policy's default and its clones share one ContentManager, raw_data_manager: its
    add_get_handler and add_set_handler made every later get_content() and set_content() of the context
    run the script's functions (review, 2026-12-06). Read-only, as the shared HeaderRegistry; a script
    gives its policy a ContentManager() of its own (policy.clone(content_manager=...))."""
    _read_only_shared(content_manager.raw_data_manager, ('get_handlers', 'set_handlers'),
                      ('add_get_handler', 'add_set_handler'),
                      'changing the content manager that email.policy.default and its clones share is blocked by '
                      'the sandbox: give a policy a ContentManager() of its own '
                      '(policy.clone(content_manager=ContentManager()))')


def _read_only_shared(shared, tables, writers, refusal):
    """One trusted object that every policy of the context uses: its tables become read-only mappings and
    its class's writers refuse it (the class's other instances are the script's own)."""
    for name in tables:
        setattr(shared, name, _MappingProxy(dict(getattr(shared, name))))
    cls = type(shared)
    for name in writers:
        original = _type_dict(cls)[name]

        def writer(self, *args, _original=original):
            if self is shared:
                raise _violation(ReadOnlyError, refusal)
            return _original(self, *args)
        _dressed_as(writer, original)
        type.__setattr__(cls, name, writer)


def _patch_csv(csv):
    """register_dialect replaced 'excel', which DictReader and DictWriter read and write with, and
    unregister_dialect removed 'unix', for every later caller of the context (review, 2026-12-06). A script
    registers and removes dialects of its own names; the dialects csv defines stay as they are."""
    original_register, original_unregister = csv.register_dialect, csv.unregister_dialect
    standard = frozenset(csv.list_dialects())

    def refuse_standard(name):
        name = _plain_text(name, 'a dialect name')
        if name in standard:
            raise _violation(ReadOnlyError, "changing csv's dialect '%s' is blocked by the sandbox: the csv "
                             'module and every reader of the context use it; register a dialect under a new name'
                             % name)
        return name

    def register_dialect(name, *args, **kwargs):
        return original_register(refuse_standard(name), *args, **kwargs)

    def unregister_dialect(name):
        return original_unregister(refuse_standard(name))
    for function, original in ((register_dialect, original_register), (unregister_dialect, original_unregister)):
        _dressed_as(function, original)
    csv.register_dialect, csv.unregister_dialect = register_dialect, unregister_dialect


def _patch_filecmp(filecmp):
    """cmp caches each comparison by the paths as given: a str subclass that hashed as one path and compared
    equal to anything made every later cmp() of two other files of the context report them equal (review,
    2026-12-06). The paths are plain str or bytes before the cache."""
    original, fspath = filecmp.cmp, filecmp.os.fspath

    def cmp(f1, f2, shallow=True):
        return original(_plain_text_or_bytes(fspath(f1)), _plain_text_or_bytes(fspath(f2)), shallow)
    _dressed_as(cmp, original)
    filecmp.cmp = cmp


def _patch_mimetypes(mimetypes):
    """add_type changed the type of an extension every later guess_type() of the context answers for
    ('.html' as the script's type; review, 2026-12-06). A script adds types for new extensions only."""
    original = mimetypes.add_type

    def add_type(type, ext, strict=True):
        type, ext = _plain_text(type, 'a MIME type'), _plain_text(ext, 'an extension')
        known = mimetypes.guess_type('x' + ext, strict=False)[0]
        if known is not None and known != type:
            raise _violation(ReadOnlyError, "changing the type of '%s' (%s) is blocked by the sandbox: every "
                             'guess_type() of the context answers with it; add types for new extensions'
                             % (ext, known))
        return original(type, ext, strict)
    _dressed_as(add_type, original)
    mimetypes.add_type = add_type


def _patch_textwrap(textwrap):
    """TextWrapper.unicode_whitespace_trans is a public class-level dict every wrapper translates with: a
    store into it made every later textwrap.fill() of the context rewrite letters (review, 2026-12-06)."""
    wrapper = textwrap.TextWrapper
    type.__setattr__(wrapper, 'unicode_whitespace_trans',
                     _MappingProxy(dict(_type_dict(wrapper)['unicode_whitespace_trans'])))


def _patch_calendar(calendar):
    """month_name and day_name call the functions of a class-level list for every name they give: a private
    read handed the list out, and calendar.month(2024, 1) printed the script's text (review, 2026-12-06)."""
    for cls, name in ((calendar._localized_month, '_months'), (calendar._localized_day, '_days')):
        type.__setattr__(cls, name, tuple(_type_dict(cls)[name]))


def _patch_collections_abc(collections_abc):
    """A class's namespace view is a Mapping, as the mappingproxy it stands for."""
    collections_abc.Mapping.register(_guards.ClassNamespace)


_PATCHES = {'enum': (_patch_enum_property, _patch_enum_members, _patch_flag_values), 'copy': (_patch_copy,), 'typing': (_patch_typing, _patch_typing_caches),
            'xml.dom.xmlbuilder': (_patch_xmlbuilder,), 'xml.etree.ElementTree': (_patch_element_tree,),
            'xml.etree.ElementInclude': (_patch_element_include,), 'xml.etree.ElementPath': (_patch_element_path,), 'traceback': (_patch_traceback,),
            'collections': (_patch_collections,), 'zipfile._path': (_patch_zip_path,),
            'pathlib': (_patch_pathlib,), 'reprlib': (_patch_reprlib,), 'decimal': (_patch_decimal,),
            'http.cookies': (_patch_cookies,), 'pprint': (_patch_pprint,),
            'email._policybase': (_patch_email_policy,), 'urllib.request': (_patch_url_opener,),
            'email.generator': (_patch_email_generator,), 'hmac': (_patch_hmac,),
            'contextlib': (_patch_contextlib,), 'email.message': (_patch_email_message,), '_md5': (_patch_md5,),
            '_pydatetime': (_patch_datetime,), 'functools': (_patch_functools,),
            '_collections_abc': (_patch_collections_abc,), 're': (_patch_re,), '_strptime': (_patch_strptime,),
            'ipaddress': (_patch_ipaddress,), 'abc': (_patch_abc,), 'encodings': (_patch_encodings,),
            'codecs': (_patch_codecs,), 'email.policy': (_patch_email_policy_registry,), 'calendar': (_patch_calendar,),
            'email.contentmanager': (_patch_email_content_manager,), 'csv': (_patch_csv,), 'filecmp': (_patch_filecmp,),
            'mimetypes': (_patch_mimetypes,), 'textwrap': (_patch_textwrap,)}
_DONE = set()


def patch(module):
    """Called for each trusted module as it is loaded (and for those loaded before set-up). A module is
    known by the name it was imported as: _collections_abc calls itself collections.abc."""
    spec = getattr(module, '__spec__', None)
    name = getattr(spec, 'name', None) or getattr(module, '__name__', None)
    if name in _PATCHES and name not in _DONE and _sys.modules.get(name) is module:
        _DONE.add(name)
        for apply in _PATCHES[name]:
            apply(module)
    _plain_key_caches(module)


def patch_loaded():
    for name in _PATCHES:
        module = _sys.modules.get(name)
        if module is not None:
            patch(module)
