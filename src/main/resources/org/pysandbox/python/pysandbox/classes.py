"""How class statements make classes in a sandbox context: the builtin __build_class__, with one
difference that only GraalPy can see.

The checker hands GraalPy a syntax tree, and GraalPy 25.0.3's tree conversion gives every def and class
an empty type-parameter list where its parser gives none. Its scope analysis then treats each method as
if it were generic, so every class with a method asks for the `__classdict__` cell that PEP 695 gives
annotation scopes, and type() answers it by materialising the class's dict. Attribute stores and loads
on the instances of such a class then run up to 4x slower (BENCHMARKS.md, "the compile path"). When the
class body has the cell but no code in it can read the cell (no real type parameter or type alias),
this removes the cell from the namespace before the metaclass sees it, and the class is made exactly
as from source text. Everything else is left to the original."""

from pysandbox.state import ORIGINAL as _ORIGINAL, FunctionType as _FunctionType, CodeType as _CodeType, \
    MISSING as _MISSING, orig_getattr as _orig_getattr

_original_build_class = _ORIGINAL['__build_class__']
del _ORIGINAL  # the module keeps no more of the original builtins than it calls
_CELL = '__classdict__'
_CELL_ENTRY = '__classdictcell__'
# _is_subclass(A, type(x)) asks what __build_class__ asks: no __subclasscheck__ hook of a metaclass runs,
# and no __class__ an object claims counts
_is_subclass = type.__subclasscheck__


def build_class(func, name, /, *bases, **kwds):
    if type(func) is not _FunctionType or not _has_unread_class_dict_cell(func.__code__):
        return _original_build_class(func, name, *bases, **kwds)
    # The metaclass must be called by a function of ours, which __build_class__ then uses as it is: so
    # the real one is worked out here, as __build_class__ would, from the bases after __mro_entries__.
    # (the loops inline the common case, bases that are classes of one metaclass: a call costs
    # microseconds in an interpreter-only host)
    resolved = bases
    for base in bases:
        if not _is_subclass(type, type(base)):
            resolved = _resolve_bases(bases)
            break
    metaclass = kwds.pop('metaclass', _MISSING)
    if metaclass is _MISSING:
        metaclass = type(resolved[0]) if resolved else type
    if _is_subclass(type, type(metaclass)):
        for base in resolved:
            if type(base) is not metaclass:
                metaclass = _most_derived(metaclass, resolved)
                break

    def make(name, resolved_bases, namespace, /, **kwargs):  # any keyword is the class statement's
        if resolved is not bases:  # the builtin got the resolved bases, so it leaves this to us
            namespace['__orig_bases__'] = bases
        if type(namespace) is dict:  # a mapping of the metaclass's own __prepare__ keeps its entry
            namespace.pop(_CELL_ENTRY, None)
        return metaclass(name, resolved_bases, namespace, **kwargs)

    prepare = _orig_getattr(metaclass, '__prepare__', None)
    if prepare is None or metaclass is type or not _is_subclass(type, type(metaclass)):
        if prepare is not None:
            make.__prepare__ = prepare
        return _original_build_class(func, name, *resolved, metaclass=make, **kwds)

    def checked_prepare(name, bases, /, **kwargs):
        # the builtin names a class metaclass in this error, but ours is a function to it
        namespace = prepare(name, bases, **kwargs)
        if _orig_getattr(type(namespace), '__getitem__', None) is None:
            raise TypeError('%s.__prepare__() must return a mapping, not %s'
                            % (metaclass.__name__, type(namespace).__name__))
        return namespace

    make.__prepare__ = checked_prepare
    return _original_build_class(func, name, *resolved, metaclass=make, **kwds)


def _has_unread_class_dict_cell(code):
    if _CELL not in code.co_cellvars:
        return False
    for constant in code.co_consts:
        if type(constant) is _CodeType and _CELL in constant.co_freevars:
            return False  # a real annotation scope (PEP 695) reads the class's dict through the cell
    return True


def _resolve_bases(bases):
    """types.resolve_bases: the bases with each non-class's __mro_entries__ applied."""
    resolved = []
    changed = False
    for base in bases:
        entries = None if _is_subclass(type, type(base)) else _orig_getattr(base, '__mro_entries__', None)
        if entries is None:
            resolved.append(base)
            continue
        new_bases = entries(bases)
        if not _is_subclass(tuple, type(new_bases)):
            raise TypeError('__mro_entries__ must return a tuple')
        resolved.extend(new_bases)
        changed = True
    return tuple(resolved) if changed else bases


def _most_derived(metaclass, bases):
    winner = metaclass
    for base in bases:
        base_metaclass = type(base)
        if _is_subclass(base_metaclass, winner):
            continue
        if _is_subclass(winner, base_metaclass):
            winner = base_metaclass
            continue
        raise TypeError('metaclass conflict: the metaclass of a derived class must be a (non-strict) '
                        'subclass of the metaclasses of all its bases')
    return winner
