"""How class statements make classes in a sandbox context: the builtin __build_class__, with one
difference that only GraalPy can see.

The checker hands GraalPy a syntax tree, and GraalPy 25.0.3's tree conversion gives every def and class
an empty type-parameter list where its parser gives none. Its scope analysis then treats each method as
if it were generic, so every class with a method asks for the `__classdict__` cell that PEP 695 gives
annotation scopes, and type() answers it by materialising the class's dict. Attribute stores and loads
on the instances of such a class then run 4-5x slower (BENCHMARKS.md, "the class dictionary"). When the
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
    # The builtin calls a metaclass that is not a class as it is, after its __prepare__: so both are
    # functions of ours, and the builtin still resolves the bases (__mro_entries__, __orig_bases__) and
    # runs the body. The real metaclass is worked out from the resolved bases, as the builtin would.
    explicit = kwds.pop('metaclass', _MISSING)
    chosen = []

    def prepare(name, resolved_bases, /, **kwargs):
        metaclass = explicit
        if metaclass is _MISSING:
            metaclass = type(resolved_bases[0]) if resolved_bases else type
        is_class = _is_subclass(type, type(metaclass))
        if is_class:
            for base in resolved_bases:  # inline: a call costs microseconds in an interpreter-only host
                if type(base) is not metaclass:
                    metaclass = _most_derived(metaclass, resolved_bases)
                    break
        chosen.append(metaclass)
        metaclass_prepare = _orig_getattr(metaclass, '__prepare__', None)
        if metaclass_prepare is None:
            return {}
        namespace = metaclass_prepare(name, resolved_bases, **kwargs)
        if is_class and _orig_getattr(type(namespace), '__getitem__', None) is None:
            # the builtin names a class metaclass in this error, but ours is a function to it
            raise TypeError('%s.__prepare__() must return a mapping, not %s'
                            % (metaclass.__name__, type(namespace).__name__))
        return namespace

    def make(name, resolved_bases, namespace, /, **kwargs):  # any keyword is the class statement's
        if type(namespace) is dict:  # a mapping of the metaclass's own __prepare__ keeps its entry
            namespace.pop(_CELL_ENTRY, None)
        return chosen[0](name, resolved_bases, namespace, **kwargs)

    make.__prepare__ = prepare
    return _original_build_class(func, name, *bases, metaclass=make, **kwds)


def _has_unread_class_dict_cell(code):
    if _CELL not in code.co_cellvars:
        return False
    for constant in code.co_consts:
        if type(constant) is _CodeType and _CELL in constant.co_freevars:
            return False  # a real annotation scope (PEP 695) reads the class's dict through the cell
    return True


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
