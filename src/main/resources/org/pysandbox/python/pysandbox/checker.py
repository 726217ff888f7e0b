"""Source policy of the sandbox: every piece of guest source passes through here before it runs.

The checker parses guest source, rejects constructs that reach interpreter internals by their
static name, and rewrites the few constructs whose safety depends on run-time values so that they
call guards installed in the real ``builtins`` module under names guest source cannot spell.

Why a rewrite and not a restricted ``__builtins__``: GraalPy ignores a custom ``__builtins__`` in
``exec`` globals, and attribute syntax (``x.__subclasses__``) never passes through a builtin, so the
only place every attribute name can be seen is the syntax tree.
"""

from pysandbox import syntax as ast  # the stdlib ast costs ~0.7 s of start-up (see syntax.py)
import _warnings
import posix as _posix
import sys as _sys

# Names of the guards the rewrite inserts; they live in the real builtins module, which guest code
# never holds (guest code runs without GraalPy's exec storing it in the guest's globals, see
# runtime.run_code). Each context renames them with a random token (set_guard_token) before any guest
# source is checked, so a guest cannot shadow one in a namespace it controls (globals(), exec globals):
# it would have to know the name, which appears in no object a guest can read. A mapping that is asked
# for names needs no knowledge (its __getitem__ sees each name): class bodies declare the guards global,
# so their metaclass's namespace is never asked, and the guest's exec/eval take no locals but a dict.
# Guest source could not spell them anyway: they are dunder names outside SAFE_NAMES.
# (Measured on GraalPy 25.0.3: code.replace(co_consts=...) is ignored when the code runs, ast.Constant
# refuses non-literal values and exec() has no closure argument, so guards cannot be constants or
# closure cells of module code there.)
GUARD_STORE = GUARD_DICT = GUARD_FORMAT = GUARD_OWN = GUARD_FRAME_CODE = None
GUARD_EXCEPTION_OBJECT = GUARD_IMPORT = GUARD_ENTER = GUARD_LEAVE = BUILTINS_VIEW = GUARD_MATCH = None
GUARD_NAMES = {}
# Put first into every class body by the rewrite: a class owns the mark only when its namespace came
# from a class statement the checker saw, so a metaclass returning an existing object cannot make that
# object the script's (see guards.may_change).
OWNED_MARK = '__pysandbox_owned__'
# Every name of the sandbox's bookkeeping starts with it, the hidden locals of a checked function too, which
# guest source can neither bind nor read (dunder names) and locals() and dir() leave out: a parameter's
# ownership test, taken once per call (_hoist_ownership_tests), and the frame count's list (_count_depth).
HIDDEN_LOCAL_PREFIX = '__pysandbox_'
OWNED_LOCAL_PREFIX = '__pysandbox_owned_'
PURE_LOCAL_PREFIX = '__pysandbox_pure_'
# The mark of a class whose every class in its MRO is the script's own (or object): its value is the seal of
# guards._mark_pure, which nothing hands out.
PURE_MARK = '__pysandbox_pure__'
DEPTH_LOCAL = '__pysandbox_depth__'


def set_guard_token(token):
    """Names the guards for this context; called once by the runtime's set-up, before any check."""
    global GUARD_STORE, GUARD_DICT, GUARD_FORMAT, GUARD_OWN, GUARD_FRAME_CODE, GUARD_EXCEPTION_OBJECT
    global GUARD_IMPORT, GUARD_ENTER, GUARD_LEAVE, BUILTINS_VIEW, GUARD_MATCH
    names = {}
    for role in ('store', 'dict', 'format', 'own', 'frame_code', 'exception_object', 'import', 'enter', 'leave',
                 'builtins', 'match', 'none_type', 'bool', 'slot', 'depth', 'too_deep'):
        names[role] = '__pysandbox_%s_%s__' % (token, role)
    # frame counting of lambdas and generators (see guards._count_lambda, guards._count_generator)
    for role in ('count_lambda', 'count_generator', 'count_coroutine', 'count_async_generator',
                 'count_generator_expression', 'module_name', 'import_star', 'type', 'getattr', 'private', 'method', 'mark_pure', 'pure'):
        names[role] = '__pysandbox_%s_%s__' % (token, role)
    GUARD_STORE, GUARD_DICT, GUARD_FORMAT = names['store'], names['dict'], names['format']
    GUARD_OWN, GUARD_FRAME_CODE, GUARD_EXCEPTION_OBJECT = names['own'], names['frame_code'], names['exception_object']
    GUARD_IMPORT, GUARD_ENTER, GUARD_LEAVE = names['import'], names['enter'], names['leave']
    BUILTINS_VIEW, GUARD_MATCH = names['builtins'], names['match']
    GUARD_NAMES.clear()
    GUARD_NAMES.update(names)
    return names


# Dunder attributes a guest may read. Everything else that starts and ends with '__' is refused:
# allow-listing keeps unknown interpreter internals out of reach by default.
SAFE_DUNDER_ATTRIBUTES = frozenset('''
    __name__ __qualname__ __doc__ __module__ __class__ __annotations__ __slots__ __match_args__
    __init__ __new__ __del__ __post_init__ __call__ __repr__ __str__ __bytes__ __format__ __hash__
    __bool__ __len__ __length_hint__ __iter__ __next__ __reversed__ __contains__ __missing__
    __getitem__ __setitem__ __delitem__ __enter__ __exit__ __aenter__ __aexit__ __aiter__
    __anext__ __await__ __eq__ __ne__ __lt__ __le__ __gt__ __ge__ __add__ __sub__ __mul__
    __matmul__ __truediv__ __floordiv__ __mod__ __divmod__ __pow__ __lshift__ __rshift__ __and__
    __xor__ __or__ __radd__ __rsub__ __rmul__ __rmatmul__ __rtruediv__ __rfloordiv__ __rmod__
    __rdivmod__ __rpow__ __rlshift__ __rrshift__ __rand__ __rxor__ __ror__ __iadd__ __isub__
    __imul__ __imatmul__ __itruediv__ __ifloordiv__ __imod__ __ipow__ __ilshift__ __irshift__
    __iand__ __ixor__ __ior__ __neg__ __pos__ __abs__ __invert__ __complex__ __int__ __float__
    __index__ __round__ __trunc__ __floor__ __ceil__ __get__ __set_name__ __init_subclass__
    __class_getitem__ __instancecheck__ __subclasscheck__ __copy__ __deepcopy__ __dir__
    __sizeof__ __fspath__ __dataclass_fields__ __dict__ __cause__ __context__ __suppress_context__
    __traceback__ __notes__ __wrapped__ __setattr__ __delattr__ __getattribute__ __getattr__
'''.split())

# Read through a guard that checks, when called, the name and (for a change) that the target is the
# script's own: object.__setattr__(self, ...), super().__setattr__(...), object.__getattribute__(self, n).
SLOT_ATTRIBUTES = frozenset(('__setattr__', '__delattr__', '__getattribute__', '__getattr__'))

# The methods among them, read through guards._method_guard: read off a class (or super(Y, Y)), a trusted
# Python function takes only an instance of that class as self. Not __new__ (its first argument is a class)
# or the classmethods, which come bound.
METHOD_GUARDED_NAMES = SAFE_DUNDER_ATTRIBUTES - SLOT_ATTRIBUTES - frozenset('''
    __name__ __qualname__ __doc__ __module__ __class__ __annotations__ __slots__ __match_args__ __dict__
    __cause__ __context__ __suppress_context__ __traceback__ __notes__ __wrapped__ __dataclass_fields__
    __new__ __init_subclass__ __class_getitem__
'''.split())

# Dunder attributes a guest may assign (on objects it owns; the store guard checks ownership).
SAFE_DUNDER_STORES = frozenset('__name__ __qualname__ __doc__ __module__'.split())

# Dunder names a class body may bind and read, by '=' or by 'def' and 'class': the protocol methods of
# SAFE_DUNDER_ATTRIBUTES, so that aliases ('__radd__ = __add__', '__repr__ = __str__', '__hash__ = None')
# work, and the data model's other methods, which the interpreter calls and guest source cannot read off
# an object (descriptors' __set__, pickling's, a metaclass's __prepare__), with their Python 2 spellings,
# which mean nothing in Python 3 and appear in code written for both. Not '__dict__', '__class__' or an
# exception's '__traceback__', '__cause__' and '__context__': in a class namespace they would shadow the
# object's real ones (a property '__class__' makes isinstance() answer True for any class it names).
CLASS_BODY_NAMES = (SAFE_DUNDER_ATTRIBUTES - frozenset(('__dict__', '__class__', '__traceback__', '__cause__',
                                                         '__context__'))) | frozenset('''
    __set__ __delete__ __reduce__ __reduce_ex__ __getstate__ __setstate__ __getnewargs__ __getnewargs_ex__
    __replace__ __prepare__ __mro_entries__ __subclasshook__ __buffer__ __release_buffer__
    __nonzero__ __unicode__ __div__ __rdiv__ __idiv__ __cmp__ __long__ __oct__ __hex__ __getslice__
    __setslice__ __delslice__ __getinitargs__ __metaclass__
'''.split())

# Dunder names (variables) a guest may use.
SAFE_NAMES = frozenset('''
    __name__ __doc__ __builtins__ __debug__ __class__ __annotations__ __qualname__ __module__
    __slots__ __all__ __match_args__ __import__ __file__
'''.split())
SAFE_NAME_STORES = frozenset('__name__ __doc__ __annotations__ __qualname__ __module__ __slots__ __all__ __match_args__ __file__'.split())

# Plain attribute names that hand out frames, code objects or a function's hidden state.
DENIED_ATTRIBUTES = {
    'gi_frame': 'generator frames', 'gi_code': 'generator code objects',
    'cr_frame': 'coroutine frames', 'cr_code': 'coroutine code objects',
    'ag_frame': 'async generator frames', 'ag_code': 'async generator code objects',
    'tb_frame': 'traceback frames', 'f_locals': 'frame locals', 'f_globals': 'frame globals',
    'f_back': 'calling frames', 'f_builtins': 'frame builtins', 'f_code': 'frame code objects',
    'f_trace': 'frame tracing', 'f_trace_lines': 'frame tracing', 'f_trace_opcodes': 'frame tracing',
    'func_globals': 'function globals', 'func_code': 'function code', 'func_closure': 'function closures',
    'func_defaults': 'function defaults', 'func_dict': 'function attributes',
    'im_func': 'method internals', 'im_self': 'method internals', 'im_class': 'method internals',
    'co_code': 'bytecode', 'cell_contents': 'closure cells',
    # EnumType._convert_(name, module, filter) reads sys.modules[module].__dict__ for any module name: the
    # raw namespace of a trusted module, with the originals the sandbox gives it, each key shown to the
    # filter (the guards' token); re.RegexFlag reaches it with feature 'regex' (review, 2026-12-05)
    '_convert_': 'module namespaces (enum conversion)',
    # typing.ForwardRef._evaluate evals its string, source the checker never saw, with the real builtins;
    # typing.get_args hands out ForwardRef instances (review, 2026-12-05)
    '_evaluate': 'string annotation evaluation',
    # enum.property.__get__ returns getattr(self._cls_type, self.name), raw, when _attr_type is 'attr'; a
    # script's subclass of it set all three (the class is reached through an EnumType member; review,
    # 2026-12-05)
    '_attr_type': 'enum property internals', '_cls_type': 'enum property internals',
}

FORMAT_METHODS = frozenset(('format', 'format_map'))


class Violation(Exception):
    """Raised when guest source is refused; carries where and what the setting would be."""

    def __init__(self, message, lineno=None, col=None, setting=None):
        super().__init__(message)
        self.message = message
        self.lineno = lineno
        self.col = col
        self.setting = setting


class _Rewriter(ast.NodeTransformer):
    """Checks each node and rewrites the value-dependent ones into guard calls."""

    def __init__(self, options):
        self.allow_future = options.get('future', False)
        self.allow_frame_code = options.get('frame_code', False)
        self._scopes = ['module']
        # the enclosing class statements' names: the compiler mangles '__x' by the innermost one
        self._class_names = []
        # per scope, the local variables no other frame can rebind (see _own_locals)
        self._own_locals = [frozenset()]
        # per function, its parameters that nothing rebinds (see _fixed_parameters), the store sites on
        # them ({name: [(test holder, in a loop)]}) and how many loops enclose the node being visited
        self._fixed = [frozenset()]
        self._store_sites = [None]
        self._loops = [0]
        self._site_prefix = None
        self._sites = 0
        self._site_names = []

    def _in_class_body(self):
        return self._scopes[-1] == 'class'

    def _visit_scope(self, kind, node):
        function = isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        own = _own_locals(node) if function else frozenset()
        self._scopes.append(kind)
        self._own_locals.append(own)
        self._fixed.append(_fixed_parameters(node, own) if function else frozenset())
        self._store_sites.append({})
        self._loops.append(0)
        try:
            self.generic_visit(node)
            if function:
                self._hoist_ownership_tests(node, self._store_sites[-1])
        finally:
            self._scopes.pop()
            self._own_locals.pop()
            self._fixed.pop()
            self._store_sites.pop()
            self._loops.pop()

    def _visit_loop(self, node):
        self._loops[-1] += 1
        try:
            self.generic_visit(node)
        finally:
            self._loops[-1] -= 1
        return node

    visit_For = visit_AsyncFor = visit_While = _visit_loop

    def _hoist_ownership_tests(self, function, sites):
        """A parameter that nothing rebinds names one object for the whole call, and the script cannot
        change its class (a store of '__class__' is refused everywhere): its ownership test can run once,
        on entry, into a hidden local that each of its store sites reads. Trusted code can change the
        class (reviews, 2026-12-05), so the purity test hoists the class it found pure, and each read site
        compares the object's class with it. Done where it
        saves tests, at two sites or more or at one in a loop: 'self.x = ...' in constructors and in
        loops was most of the store sites' cost in the scheduler kernel (-10% interpreter-only, issue 13).
        The hidden local is a dunder name, which guest source can neither bind nor read; locals() and
        dir() leave it out."""
        hoisted = []
        for (test, name), held in sites.items():
            if len(held) < 2 and not any(in_loop for _, in_loop in held):
                if test is self._purity_test:
                    # written out once per read, the purity test costs more than the guard's own first test
                    for test_holder, _ in held:
                        test_holder.test = ast.copy_location(ast.Constant(value=False), test_holder.test)
                continue
            local = (OWNED_LOCAL_PREFIX if test is self._ownership_test else PURE_LOCAL_PREFIX) + name + '__'
            for test_holder, _ in held:
                holds = ast.copy_location(ast.Name(id=local, ctx=ast.Load()), test_holder.test)
                if test is self._purity_test:
                    # the class the test found pure on entry, compared with the object's class at the site:
                    # trusted code can set a parameter's __class__ during the call (reviews, 2026-12-05)
                    holds = ast.copy_location(ast.Compare(
                        left=ast.copy_location(ast.Call(
                            func=ast.copy_location(ast.Name(id=GUARD_NAMES['type'], ctx=ast.Load()), holds),
                            args=[ast.copy_location(ast.Name(id=name, ctx=ast.Load()), holds)], keywords=[]), holds),
                        ops=[ast.Is()], comparators=[holds]), holds)
                test_holder.test = holds
            at = held[0][0]
            hoisted.append(ast.copy_location(ast.Assign(targets=[ast.Name(id=local, ctx=ast.Store())],
                                                        value=test(name, at)), function))
        if hoisted:
            at = 1 if function.body and _is_docstring(function.body[0]) else 0
            function.body[at:at] = sorted(hoisted, key=lambda statement: statement.targets[0].id)

    def _visit_comprehension(self, node):
        # its own scope: a store site in it (a 'for o.x in' target) sees the comprehension's names, never
        # the function's locals
        self._own_locals.append(frozenset())
        try:
            self.generic_visit(node)
        finally:
            self._own_locals.pop()
        return node

    visit_ListComp = visit_SetComp = visit_DictComp = _visit_comprehension

    def visit_GeneratorExp(self, node):
        # its frame runs at every resume, and a loop can chain any number of them, each resuming the one
        # before (review, 2026-12-05: 500 chained generator expressions ran with a limit of 50): counted
        # around each resume, like a generator
        return self._guard_call(GUARD_NAMES['count_generator_expression'], self._visit_comprehension(node),
                                node=node)

    def visit_Lambda(self, node):
        self._visit_scope('function', node)
        # a lambda has no statement body to count its frame in: a guard wrapper counts its calls, or, for a
        # lambda that yields, each resume of the generator it makes (review, 2026-12-05)
        role = 'count_generator' if _is_generator(node) else 'count_lambda'
        return self._guard_call(GUARD_NAMES[role], node, node=node)

    def visit_TryStar(self, node):
        # GraalPy 25.0 runs no except* (NotImplementedError: try star) and compiles one only from source
        # text. The checked tree's text was compiled instead until a review found that ast.unparse does not
        # give back an f-string's format spec ('{' in the spec's text became a nested field): code the
        # checker saw as a string ran unchecked (review 15, 2026-12-06). Nothing that runs is lost.
        raise Violation('try/except* is blocked by the sandbox: GraalPy 25.0 cannot run it', node.lineno,
                        node.col_offset)

    def visit_MatchSingleton(self, node):
        # GraalPy 25.0 refuses MatchSingleton(value=None) from a syntax tree; 'case None' is an instance
        # check of NoneType, 'case True/False' a bool compared with 1/0 (bool matches itself, as 'is' would)
        if node.value is None:
            return ast.copy_location(ast.MatchClass(cls=ast.Name(id=GUARD_NAMES['none_type'], ctx=ast.Load()),
                                                    patterns=[], kwd_attrs=[], kwd_patterns=[]), node)
        value = ast.MatchValue(value=ast.copy_location(ast.Constant(value=int(node.value)), node))
        return ast.copy_location(ast.MatchClass(cls=ast.Name(id=GUARD_NAMES['bool'], ctx=ast.Load()),
                                                patterns=[ast.copy_location(value, node)], kwd_attrs=[],
                                                kwd_patterns=[]), node)

    def _refuse(self, node, message, setting=None):
        raise Violation(message, getattr(node, 'lineno', None), getattr(node, 'col_offset', None), setting)

    @staticmethod
    def _guard_call(guard, *args, node):
        call = ast.Call(func=ast.Name(id=guard, ctx=ast.Load()), args=list(args), keywords=[])
        return ast.copy_location(call, node)

    # -- names -------------------------------------------------------------------------------
    def visit_Name(self, node):
        name = node.id
        if _is_dunder(name):
            if self._in_class_body() and name in CLASS_BODY_NAMES:
                # '__rmul__ = __mul__', '__hash__ = None': the class namespace's own methods; a load
                # finds the class namespace first, and these names are never the sandbox's
                return node
            if not isinstance(node.ctx, ast.Load):
                self._check_binding(node, name)
            else:
                if name not in SAFE_NAMES:
                    self._refuse(node, "access to the name '%s' is blocked by the sandbox" % name)
                if name == '__builtins__':
                    # GraalPy puts the real builtins dict into exec'd globals; the guest sees the view.
                    return ast.copy_location(ast.Name(id=BUILTINS_VIEW, ctx=ast.Load()), node)
                if name == '__name__':
                    # a fresh namespace holds only __builtins__ (as exec's does), yet a script is __main__
                    return ast.copy_location(ast.Call(func=ast.Name(id=GUARD_NAMES['module_name'], ctx=ast.Load()),
                                                      args=[], keywords=[]), node)
                if name == '__import__':
                    # the real __import__ trusts calls without globals (they come from the interpreter)
                    return ast.copy_location(ast.Name(id=GUARD_IMPORT, ctx=ast.Load()), node)
        return node

    def _check_binding(self, node, name):
        """The rule for every name a statement binds in the current scope: by '=', 'for', 'def', 'class', ...
        (def and class names were not checked until a review of 2026-12-05: '@property def __class__'
        in a class body made isinstance(obj, type) True for the script's objects)."""
        if not _is_dunder(name):
            return
        if self._in_class_body() and name in CLASS_BODY_NAMES:
            return
        if name not in SAFE_NAME_STORES:
            self._refuse(node, "binding the name '%s' is blocked by the sandbox" % name)

    def _check_type_parameter(self, node):
        # a type parameter's annotation scope sits between a class body and its methods (PEP 695); no
        # ordinary one is a dunder name, and '__classdict__' is the cell of that scope itself
        if _is_dunder(node.name):
            self._refuse(node, "the type parameter name '%s' is blocked by the sandbox" % node.name)
        self.generic_visit(node)
        return node

    visit_TypeVar = visit_ParamSpec = visit_TypeVarTuple = _check_type_parameter

    # -- attributes --------------------------------------------------------------------------
    def visit_Attribute(self, node):
        attr = node.attr
        self._check_attribute_name(node, attr, isinstance(node.ctx, ast.Load))
        node.value = self.visit(node.value)
        if isinstance(node.ctx, ast.Load):
            if attr in FORMAT_METHODS:
                return self._guard_call(GUARD_FORMAT, node.value, _const(attr, node), node=node)
            if attr == '__dict__':
                return self._guard_call(GUARD_DICT, node.value, node=node)
            if attr == 'f_code':
                return self._guard_call(GUARD_FRAME_CODE, node.value, node=node)
            if attr in SLOT_ATTRIBUTES:
                return self._guard_call(GUARD_NAMES['slot'], node.value, _const(attr, node), node=node)
            if attr == 'obj':
                # AttributeError.obj is the object a lookup failed on, possibly inside trusted code.
                return self._guard_call(GUARD_EXCEPTION_OBJECT, node.value, node=node)
            if attr in METHOD_GUARDED_NAMES:
                # read off a class, a trusted method takes only an instance of it (guards._method_guard)
                return self._guard_call(GUARD_NAMES['method'], node.value, _const(attr, node), node=node)
            if attr[0] == '_' and not _is_dunder(attr):
                return self._private_read(node, attr)
            return node
        # Stores and deletes go through the ownership guard, which hands the target back.
        target = node.value
        if type(target) is ast.Name and target.id in self._own_locals[-1]:
            node.value = self._owned_or_guarded(target, attr)
        else:
            node.value = self._guard_call(GUARD_STORE, target, _const(attr, node), node=target)
        return node

    def visit_AugAssign(self, node):
        """'obj._x += v' reads obj._x raw before it stores: a script's subclass of a trusted class handed
        PurePath's real posixpath module to its own __radd__ that way. Like a private read, a local whose
        classes are all the script's own keeps the statement; every other target is read through the
        guard, in Python's order (target, read, value, operation, store):
            T = obj; V = private(T, '_x'); V += v; store(T, '_x')._x = V
        with T and V hidden names of this site."""
        target = node.target
        if type(target) is not ast.Attribute or target.attr[0] != '_' or _is_dunder(target.attr):
            self.generic_visit(node)
            return node
        attr = target.attr
        self._check_attribute_name(target, attr, True)
        self._check_attribute_name(target, attr, False)
        obj = self.visit(target.value)
        value = self.visit(node.value)
        self._sites += 1
        held, result = ('__pysandbox_aug_%d_%s__' % (self._sites, part) for part in ('object', 'value'))

        def located(new):
            return ast.copy_location(new, node)

        def name(id_, ctx):
            return located(ast.Name(id=id_, ctx=ctx))
        split = [
            located(ast.Assign(targets=[name(held, ast.Store())], value=obj)),
            located(ast.Assign(targets=[name(result, ast.Store())],
                               value=self._guard_call(GUARD_NAMES['private'], name(held, ast.Load()),
                                                      _const(self._mangled(attr), node), node=node))),
            located(ast.AugAssign(target=name(result, ast.Store()), op=node.op, value=value)),
            located(ast.Assign(targets=[located(ast.Attribute(
                value=self._guard_call(GUARD_STORE, name(held, ast.Load()), _const(attr, node), node=node),
                attr=attr, ctx=ast.Store()))], value=name(result, ast.Load()))),
        ]
        if type(obj) is not ast.Name or obj.id not in self._own_locals[-1]:
            return split
        plain = located(ast.AugAssign(target=located(ast.Attribute(value=name(obj.id, ast.Load()), attr=attr,
                                                                    ctx=ast.Store())), op=node.op, value=value))
        site = located(ast.If(test=self._purity_test(obj.id, obj), body=[plain], orelse=split))
        if obj.id in self._fixed[-1]:
            self._store_sites[-1].setdefault((self._purity_test, obj.id), []).append((site, self._loops[-1] > 0))
        return site

    def _private_read(self, node, attr):
        """obj._x: trusted code's private attributes can hold a real module or an unchecked builtin
        (guards._private_value), so the guard reads it, by the name the compiler would have read. The guard
        costs a call per read, 10x a public read interpreter-only (measured): for a local obj, the site
        first tests whether its class is pure (guards._private_guard marks it), whose private attributes
        only the script's own code set, and reads it directly then; the test of a parameter that nothing
        rebinds runs once per call, like an ownership test."""
        guarded = self._guard_call(GUARD_NAMES['private'], node.value, _const(self._mangled(attr), node), node=node)
        target = node.value
        if type(target) is not ast.Name or target.id not in self._fixed[-1]:
            # the guard's own first test is the same, in one call: cheaper than the test written out
            return guarded
        site = ast.copy_location(ast.IfExp(test=self._purity_test(target.id, target), body=node, orelse=guarded),
                                 node)
        self._store_sites[-1].setdefault((self._purity_test, target.id), []).append((site, self._loops[-1] > 0))
        return site

    @staticmethod
    def _purity_test(name, at):
        """pure(name): guards._is_pure_object, one call, taken once per call of the function (hoisted)"""
        def located(node):
            return ast.copy_location(node, at)
        return located(ast.Call(func=located(ast.Name(id=GUARD_NAMES['pure'], ctx=ast.Load())),
                                args=[located(ast.Name(id=name, ctx=ast.Load()))], keywords=[]))

    def _mangled(self, attr):
        if not attr.startswith('__') or not self._class_names:
            return attr
        owner = self._class_names[-1].lstrip('_')
        return '_%s%s' % (owner, attr) if owner else attr

    def _owned_or_guarded(self, name, attr):
        """'obj.attr = v' for a local obj: the guard's own first test, written at the store site,
        (obj if getattr(type(obj), OWNED_MARK, False) is True else store_guard(obj, 'attr')).attr = v.
        One shared guard function saw the objects of every store site of every script: its type lookups
        went megamorphic, and a scheduler-like kernel spent most of its time in it (issue 13). Each site
        now keeps its own lookup. obj is read twice: only a local variable, which nothing that the test
        may run (a metaclass's __getattribute__) can rebind, since no nested scope declares it nonlocal."""
        def load():
            return ast.copy_location(ast.Name(id=name.id, ctx=ast.Load()), name)
        guarded = self._guard_call(GUARD_STORE, load(), _const(attr, name), node=name)
        site = ast.copy_location(ast.IfExp(test=self._ownership_test(name.id, name), body=load(), orelse=guarded),
                                 name)
        if name.id in self._fixed[-1]:
            self._store_sites[-1].setdefault((self._ownership_test, name.id), []).append((site, self._loops[-1] > 0))
        return site

    @staticmethod
    def _ownership_test(name, at):
        """getattr(type(name), OWNED_MARK, False) is True"""
        def located(node):
            return ast.copy_location(node, at)
        kind = located(ast.Call(func=located(ast.Name(id=GUARD_NAMES['type'], ctx=ast.Load())),
                                args=[located(ast.Name(id=name, ctx=ast.Load()))], keywords=[]))
        mark = located(ast.Call(func=located(ast.Name(id=GUARD_NAMES['getattr'], ctx=ast.Load())),
                                args=[kind, _const(OWNED_MARK, at), _const(False, at)], keywords=[]))
        return located(ast.Compare(left=mark, ops=[ast.Is()], comparators=[_const(True, at)]))

    def _check_attribute_name(self, node, attr, is_load):
        if attr in DENIED_ATTRIBUTES and not (attr == 'f_code' and self.allow_frame_code and is_load):
            what = DENIED_ATTRIBUTES[attr]
            self._refuse(node, "access to %s ('.%s') is blocked by the sandbox" % (what, attr),
                         "feature 'traceback'" if attr == 'f_code' else None)
        if _is_dunder(attr):
            allowed = SAFE_DUNDER_ATTRIBUTES if is_load else SAFE_DUNDER_STORES
            if attr not in allowed:
                verb = 'reading' if is_load else 'changing'
                self._refuse(node, "%s the attribute '%s' is blocked by the sandbox" % (verb, attr))

    # -- definitions: mark what the guest creates as its own -----------------------------------
    def visit_ClassDef(self, node):
        self._check_binding(node, node.name)
        # type_params (PEP 695: class C[T: bound]) too: a bound is an expression GraalPy runs when it is read
        for field in ('decorator_list', 'bases', 'keywords', 'type_params'):
            setattr(node, field, [self.visit(item) for item in getattr(node, field, ())])
        self._scopes.append('class')
        self._own_locals.append(frozenset())
        self._class_names.append(node.name)
        try:
            node.body = _visit_statements(self, node.body)
        finally:
            self._scopes.pop()
            self._own_locals.pop()
            self._class_names.pop()
        # the mark goes after a docstring, which must stay the first statement to become __doc__
        at = 1 if node.body and _is_docstring(node.body[0]) else 0
        mark = ast.Assign(targets=[ast.Name(id=OWNED_MARK, ctx=ast.Store())], value=ast.Constant(value=True))
        node.body.insert(at, ast.copy_location(mark, node))
        # A class body looks names up in its namespace first, and a metaclass's __prepare__ makes that
        # mapping: its __getitem__ or __missing__ would be asked for each guard by name, could answer with
        # anything, and would learn the token. Declared global, the guards are read from the module's
        # globals and the builtins only (review finding, 2026-12-04).
        guards = sorted(set(GUARD_NAMES.values()) | set(self._site_names))
        node.body.insert(at, ast.copy_location(ast.Global(names=guards), node))
        # innermost: it receives what the class statement made (guards.mark_pure)
        node.decorator_list.append(ast.copy_location(ast.Name(id=GUARD_NAMES['mark_pure'], ctx=ast.Load()), node))
        return node

    def visit_FunctionDef(self, node):
        self._check_binding(node, node.name)
        self._visit_scope('function', node)
        # the innermost decorator, so it receives the function the def statement made, whatever the
        # other decorators return
        node.decorator_list.append(ast.copy_location(ast.Name(id=GUARD_OWN, ctx=ast.Load()), node))
        # every def frame counts, with or without calls in its body (a call-free __getitem__ or property
        # recurses through the interpreter). A generator's frame is on the stack only while it runs: a
        # count in its body would be held across every yield, so a guard wrapper (innermost decorator,
        # the function the def made) counts each resume instead. A coroutine's frame is held across every
        # await the same way, and an async generator's across every yield and await: their wrappers count
        # each resume too.
        generator = _is_generator(node)
        if isinstance(node, ast.AsyncFunctionDef):
            counter = 'count_async_generator' if generator else 'count_coroutine'
        elif generator:
            counter = 'count_generator'
        else:
            node.body = _count_depth(node.body, node)
            counter = None
        if counter is not None:
            node.decorator_list.append(ast.copy_location(ast.Name(id=GUARD_NAMES[counter], ctx=ast.Load()), node))
        return node

    visit_AsyncFunctionDef = visit_FunctionDef

    # -- imports -----------------------------------------------------------------------------
    def visit_ImportFrom(self, node):
        if node.module == '__future__':
            if not self.allow_future:
                self._refuse(node, "'from __future__ import' is blocked by the sandbox", "feature 'future'")
            return node
        if node.level:
            self._refuse(node, 'relative imports are blocked by the sandbox')
        for alias in node.names:
            if alias.name == '*':
                if self._scopes[-1] != 'module':
                    return node  # the compiler's SyntaxError: import * only allowed at module level
                # GraalPy's own 'import *' takes only a real module, and the guest gets a module view
                return ast.copy_location(ast.Expr(value=self._guard_call(
                    GUARD_NAMES['import_star'], _const(node.module, node), node=node)), node)
            if _is_dunder(alias.name):
                self._refuse(node, "importing '%s' is blocked by the sandbox" % alias.name)
            self._check_alias(node, alias)
        return node

    def visit_Import(self, node):
        for alias in node.names:
            self._check_alias(node, alias)
        return node

    def _check_alias(self, node, alias):
        bound = alias.asname or alias.name.split('.')[0]
        if _is_dunder(bound) and bound not in SAFE_NAME_STORES:
            self._refuse(node, "binding the name '%s' is blocked by the sandbox" % bound)

    # -- other binding sites that bypass Name nodes --------------------------------------------
    def visit_ExceptHandler(self, node):
        if node.name and _is_dunder(node.name):
            self._refuse(node, "binding the name '%s' is blocked by the sandbox" % node.name)
        self.generic_visit(node)
        return node

    def visit_arg(self, node):
        if _is_dunder(node.arg):
            self._refuse(node, "the parameter name '%s' is blocked by the sandbox" % node.arg)
        self.generic_visit(node)
        return node

    def visit_Global(self, node):
        self._check_declared(node)
        return node

    visit_Nonlocal = visit_Global

    def _check_declared(self, node):
        for name in node.names:
            if _is_dunder(name) and name not in SAFE_NAME_STORES:
                self._refuse(node, "declaring the name '%s' is blocked by the sandbox" % name)

    def visit_MatchAs(self, node):
        if node.name and _is_dunder(node.name):
            self._refuse(node, "binding the name '%s' is blocked by the sandbox" % node.name)
        self.generic_visit(node)
        return node

    def visit_MatchStar(self, node):
        return self.visit_MatchAs(node)

    def visit_MatchMapping(self, node):
        if node.rest and _is_dunder(node.rest):
            self._refuse(node, "binding the name '%s' is blocked by the sandbox" % node.rest)
        self.generic_visit(node)
        return node

    def visit_MatchClass(self, node):
        for name in node.kwd_attrs:
            self._check_attribute_name(node, name, True)
        self.generic_visit(node)
        if node.patterns or node.kwd_patterns:
            # A class pattern reads attributes of the subject: the names in __match_args__ (chosen at run
            # time by the class) and the keywords. The class is replaced by a proxy the match guard makes,
            # which checks those names like getattr() does and refuses subjects on which a guarded name
            # (__dict__, format, obj, ...) would be read raw. The pattern's class must be a name or an
            # attribute, so the proxy is bound to a per-site name in the (hidden) builtins by a guard call
            # placed in front of the match statement (see visit_Match).
            # unique per pattern of every compilation: another source (an exec, a suspended generator) can
            # never rebind this pattern's site, whatever its line and column. Random per compilation, not
            # a count kept by this context: checked code may run in another interpreter that adopted it
            # (policy.SharedCheckedCode), whose own count would hand the same numbers out again.
            if self._site_prefix is None:
                self._site_prefix = '%s_%s_' % (GUARD_MATCH[:-2], _posix.urandom(8).hex())
            self._sites += 1
            site = '%s%d_%d_%d__' % (self._site_prefix, self._sites, node.lineno, node.col_offset)
            self._site_names.append(site)
            self._match_sites.append((site, node.cls, list(node.kwd_attrs), node))
            node.cls = ast.copy_location(ast.Name(id=site, ctx=ast.Load()), node.cls)
        return node

    def visit_Match(self, node):
        outer, self._match_sites = getattr(self, '_match_sites', None), []
        try:
            node.subject = self.visit(node.subject)
            for case in node.cases:
                self.visit(case)
            if not self._match_sites:
                return node
            # The sites are bound by a guard that receives the subject already evaluated and hands it back:
            # code run by the subject expression cannot rebind them between binding and matching.
            sites = []
            for site, cls, keywords, at in self._match_sites:
                keys = ast.copy_location(ast.Tuple(elts=[_const(k, at) for k in keywords], ctx=ast.Load()), at)
                sites.append(ast.copy_location(ast.Tuple(elts=[_const(site, at), cls, keys], ctx=ast.Load()), at))
            node.subject = self._guard_call(GUARD_MATCH, node.subject, *sites, node=node.subject)
            return node
        finally:
            self._match_sites = outer


def _is_generator(function):
    """True when the function's or lambda's own frame yields. A nested def, lambda or class keeps its body
    to itself, but its decorators, default values, annotations, bases and keywords run in this frame: a
    yield there makes this function a generator too (review, 2026-12-05: a lambda whose yield sat in a
    nested lambda's default ran 500 frames deep uncounted, as a raw generator)."""
    pending = list(function.body) if isinstance(function.body, list) else [function.body]
    while pending:
        node = pending.pop()
        if isinstance(node, (ast.Yield, ast.YieldFrom)):
            return True
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            pending.extend(_evaluated_outside(node))
            continue
        pending.extend(ast.iter_child_nodes(node))
    return False


def _evaluated_outside(scope):
    """The parts of a nested def, lambda or class statement that the enclosing frame evaluates."""
    parts = list(getattr(scope, 'decorator_list', ()))
    if isinstance(scope, ast.ClassDef):
        return parts + scope.bases + scope.keywords
    arguments = scope.args
    parts += arguments.defaults + [d for d in arguments.kw_defaults if d is not None]
    for argument in arguments.posonlyargs + arguments.args + arguments.kwonlyargs + [arguments.vararg, arguments.kwarg]:
        if argument is not None and argument.annotation is not None:
            parts.append(argument.annotation)
    if getattr(scope, 'returns', None) is not None:
        parts.append(scope.returns)
    return parts


_NESTED_SCOPES = (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef, ast.ListComp, ast.SetComp,
                  ast.DictComp, ast.GeneratorExp)


def _own_locals(function):
    """The function's local variables that only its own frame can rebind: its parameters and the names it
    assigns with a plain name target, less those it declares global or nonlocal and those any scope nested
    in it declares nonlocal (the one way another frame rebinds a local; guests cannot write f_locals).
    Names bound otherwise (by a nested comprehension's walrus, an import, a def) are left out: a name
    missing here only keeps its store guard call."""
    arguments = function.args
    names = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs}
    names.update(a.arg for a in (arguments.vararg, arguments.kwarg) if a is not None)
    pending = list(function.body)
    while pending:
        node = pending.pop()
        if type(node) is ast.Name and type(node.ctx) is ast.Store:
            names.add(node.id)
        if not isinstance(node, _NESTED_SCOPES):
            pending.extend(ast.iter_child_nodes(node))
    bound_elsewhere = []
    for node in ast.walk(function):
        if isinstance(node, (ast.Global, ast.Nonlocal)):
            bound_elsewhere.extend(node.names)
        elif type(node) is ast.NamedExpr and type(node.target) is ast.Name:
            # a walrus in a nested comprehension binds the function's local from the comprehension's frame,
            # which may run later, from anywhere (a generator expression resumed by a metaclass; review,
            # 2026-12-05)
            bound_elsewhere.append(node.target.id)
    return _without_spellings_of(names, bound_elsewhere)


def _fixed_parameters(function, own):
    """The function's parameters that name the same object for the whole call: its own locals (see
    _own_locals) that nothing in its body binds again, by any statement or pattern. A name found bound
    anywhere in the function, nested scopes included, is left out: a name missing here only keeps its
    ownership test at each store site."""
    arguments = function.args
    names = {a.arg for a in arguments.posonlyargs + arguments.args + arguments.kwonlyargs} & own
    bound = []
    for node in ast.walk(function):
        if isinstance(node, ast.Name) and type(node.ctx) is not ast.Load:
            bound.append(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.append(node.name)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            bound.append(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            bound.append(node.rest)
        elif isinstance(node, ast.alias):
            bound.append((node.asname or node.name).split('.')[0])
        elif isinstance(node, (ast.Global, ast.Nonlocal)):
            bound.extend(node.names)
    return _without_spellings_of(names, bound)


def _without_spellings_of(names, bound):
    """The names less every one that a name in bound may stand for. Inside a class the compiler mangles
    private names (__p in class C is the variable _C__p), so '__p = x' rebinds a parameter spelled _C__p
    and 'nonlocal __p' reaches it from a nested scope (review, 2026-12-05: both wrote onto re.RegexFlag).
    Compared by spelling alone, a name's private tails decide: a name is left out when it shares one with
    a bound name, whatever class the names were mangled in (more is left out than needed, never less)."""
    bound = set(bound)
    tails = set()
    for name in bound:
        tails.update(_private_tails(name))
    return frozenset(name for name in names if name not in bound and not (_private_tails(name) & tails))


def _private_tails(name):
    """The private names a spelling may be, be mangled from or be mangled to, as the tails they share:
    every tail of the name that starts with __, from the name itself on. __a__b in class C and __b in class
    C__a are both _C__a__b, so __a__b must give __b too (review, 2026-12-05). A dunder name is never
    mangled and gives none."""
    if name.startswith('__') and name.endswith('__'):
        return set()
    tails = set()
    at = name.find('__')
    while at != -1:
        tails.add(name[at:])
        at = name.find('__', at + 1)
    return tails


def _count_depth(body, node):
    """Wraps a function body so that it counts against the sandbox's recursion limit.

    GraalPy does not enforce sys.setrecursionlimit, so the sandbox keeps its own count of guest frames.
    A docstring stays the first statement.
    """
    head = []
    if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant) \
            and isinstance(body[0].value.value, str):
        head, body = body[:1], body[1:]
    if not body:
        body = [ast.copy_location(ast.Pass(), node)]
    # d = DEPTH; d[0] -= 1; if d[0] < 0: too_deep()   try: body   finally: d[0] += 1
    # (DEPTH[0] counts the frames left. No call on the common path: two guard calls per frame cost +80% on
    # call-heavy code, measured. The hidden local d saves two of the three lookups of the guard name, which
    # misses the module's globals before it finds the builtins: -4.6% on the checked scheduler kernel
    # interpreter-only, BENCHMARKS.md)
    alias = ast.Assign(targets=[ast.Name(id=DEPTH_LOCAL, ctx=ast.Store())],
                       value=ast.Name(id=GUARD_NAMES['depth'], ctx=ast.Load()))

    def depth(ctx):
        return ast.Subscript(value=ast.Name(id=DEPTH_LOCAL, ctx=ast.Load()), slice=ast.Constant(value=0), ctx=ctx)
    enter = ast.AugAssign(target=depth(ast.Store()), op=ast.Sub(), value=ast.Constant(value=1))
    check = ast.If(test=ast.Compare(left=depth(ast.Load()), ops=[ast.Lt()], comparators=[ast.Constant(value=0)]),
                   body=[ast.Expr(value=ast.Call(func=ast.Name(id=GUARD_NAMES['too_deep'], ctx=ast.Load()),
                                                 args=[], keywords=[]))], orelse=[])
    leave = ast.AugAssign(target=depth(ast.Store()), op=ast.Add(), value=ast.Constant(value=1))
    guarded = ast.Try(body=body, handlers=[], orelse=[], finalbody=[leave])
    for new in (alias, enter, check, leave, guarded):
        ast.copy_location(new, body[0])
    return head + [alias, enter, check, guarded]


def _visit_statements(visitor, statements):
    """What NodeTransformer.generic_visit does for a list of statements (a visit may return several)."""
    result = []
    for statement in statements:
        new = visitor.visit(statement)
        if new is None:
            continue
        if isinstance(new, list):
            result.extend(new)
        else:
            result.append(new)
    return result


def _is_docstring(statement):
    return isinstance(statement, ast.Expr) and isinstance(statement.value, ast.Constant) \
        and isinstance(statement.value.value, str)


def _is_dunder(name):
    return len(name) > 4 and name.startswith('__') and name.endswith('__')


def _const(value, node):
    return ast.copy_location(ast.Constant(value=value), node)


# Code made only of these nodes runs in time bounded by its own size and the size of the values it is
# given: no loops, calls, comprehensions, definitions or f-strings, and no operator that can multiply a
# size ('x' * n, 2 ** n, 1 << n, '%*d' % (n, 1)). The host may run such code on the calling thread,
# without the hand-off to a guest thread that lets it give up on a long call. A whitelist: new syntax
# is unbounded until it is listed here.
_BOUNDED_NODES = (
    ast.Module, ast.Expression, ast.Expr, ast.Assign, ast.Pass, ast.Name, ast.Load, ast.Store, ast.Constant,
    ast.BoolOp, ast.And, ast.Or, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.Is,
    ast.IsNot, ast.In, ast.NotIn, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.Invert, ast.BinOp, ast.Add,
    ast.Sub, ast.Div, ast.FloorDiv, ast.BitAnd, ast.BitOr, ast.BitXor, ast.RShift, ast.IfExp, ast.Attribute,
    ast.Subscript, ast.Slice, ast.Tuple, ast.List, ast.Set, ast.Dict,
)


def is_bounded(*trees):
    """True when every node of the (rewritten) trees is in _BOUNDED_NODES, assignments bind plain names, no
    dunder name is read (no __builtins__, nothing of the sandbox's) and no name the code binds is read
    after: 'a1 = a0 + a0', 'a2 = a1 + a1', ... doubles a value with each line, so twenty lines over a
    one-character input built a million characters, and a substring search over them held the caller's
    thread 18 s past a 2-s timeout (review, 2026-12-05). Each value is then made from the host's values
    alone, in one expression, so its size is bounded by the code's size times theirs, and 'in' searches
    only the host's values (_searches_only_host_values)."""
    for tree in trees:
        if tree is None:
            continue
        for node in ast.walk(tree):
            if type(node) not in _BOUNDED_NODES:
                return False
            if type(node) is ast.Assign and not all(type(t) is ast.Name for t in node.targets):
                return False
            if type(node) is ast.Name and _is_dunder(node.id):
                return False
    for value, bound in _values_in_order(trees):
        if any(type(n) is ast.Name and n.id in bound for n in ast.walk(value)):
            return False
        if not _searches_only_host_values(value):
            return False
    return True


def _values_in_order(trees):
    """The value expression of each statement of bounded code (whose assignments bind plain names), in the
    order they run, with the names the statements before it bound."""
    bound = set()
    for tree in trees:
        if tree is None:
            continue
        statements = tree.body if isinstance(tree, ast.Module) else [ast.Expr(value=tree.body)]
        for statement in statements:
            value = getattr(statement, 'value', None)
            if value is not None:
                yield value, frozenset(bound)
            if type(statement) is ast.Assign:
                bound.update(t.id for t in statement.targets)


def _searches_only_host_values(value):
    """'a in b' on strings is a substring search, quadratic and uninterruptible: b must be a value the host
    bound (held to the plain-data budget), an item of one, a constant or a display (whose 'in' compares
    items), never a string the code built: 's + s + ... in t + t + ...' grows with the code's length."""
    for node in ast.walk(value):
        if type(node) is not ast.Compare:
            continue
        for op, right in zip(node.ops, node.comparators):
            if type(op) in (ast.In, ast.NotIn) and not _host_value_or_display(right):
                return False
    return True


# The longest host string the plain-data budget lets through (bridge.PlainValues: 1,000 items, a string
# counting one per 8 characters): a constant searched by 'in' may be no longer, or the source's own size
# would be the bound ('s + s + ... in "<a megabyte>"')
_LONGEST_SEARCHED_CONSTANT = 8000


def _host_value_or_display(node):
    if type(node) in (ast.Tuple, ast.List, ast.Set, ast.Dict):
        return True  # 'in' compares its items with ==, in linear time; but an item of one is any string
    while type(node) is ast.Subscript:
        node = node.value  # an item of a host value or of a constant is part of it: (t + t,)[0] is not
    if type(node) is ast.Constant:
        return not isinstance(node.value, (str, bytes)) or len(node.value) <= _LONGEST_SEARCHED_CONSTANT
    return type(node) is ast.Name


def free_names(*trees):
    """The names bounded code reads before binding them itself: the host must bind each of them to plain
    data for the code to run on its thread, so that no value can run guest code (a name it does not bind
    would be looked up in the builtins)."""
    free = set()
    for value, bound in _values_in_order(trees):
        free.update(node.id for node in ast.walk(value) if type(node) is ast.Name and node.id not in bound)
    return frozenset(free)


def check(source, filename, options, compile_fn):
    """Parses, checks and rewrites guest source.

    Returns (body_code, last_expression_code_or_None, bounded, free names, rule): when the last statement
    is an expression its value is what the caller gets back, as in an interactive session; bounded is
    is_bounded() of the rewritten code, and the free names those it reads without binding them. rule, for
    bounded source that is one expression (see rule_code), else None.
    """
    with _nesting_guard(), _quiet_warnings():
        try:
            tree = ast.parse(source, filename, 'exec')
        except (ValueError, MemoryError) as err:
            raise SyntaxError(str(err) or type(err).__name__, (filename, 1, 1, None)) from None
        rewriter = _Rewriter(options)
        tree = rewriter.visit(tree)
        ast.fix_missing_locations(tree)
        compile_fn = _from_tree(compile_fn, source)
        last = None
        if options.get('want_value') and tree.body and isinstance(tree.body[-1], ast.Expr):
            last = ast.Expression(body=tree.body.pop().value)
            ast.fix_missing_locations(last)
        bounded = is_bounded(tree, last)
        reads = free_names(tree, last) if bounded else None
        body = compile_fn(tree, filename, 'exec', dont_inherit=True) if tree.body or last is None else None
        value = compile_fn(last, filename, 'eval', dont_inherit=True) if last is not None else None
        rule = rule_code(last, reads, filename, compile_fn) if bounded and body is None and last is not None else None
        return body, value, bounded, reads, rule


def rule_code(last, reads, filename, compile_fn):
    """A rule (one bounded expression, already checked and rewritten) as the code of a module that defines
    one function of the names the expression reads, in sorted order: (code, parameter names). Calling the
    function costs no namespace and no eval of a module. Nothing is added to the checked tree but the
    parameters, which are the tree's own plain names (is_bounded refused dunder names), and the function is
    named <module>, so that tracebacks show the rule's frame as they show a script's (GraalPy 25.0's
    code.replace() would lose the file name)."""
    params = tuple(sorted(reads))
    expression = last.body
    arguments = ast.arguments(posonlyargs=[], args=[ast.arg(arg=name) for name in params], vararg=None,
                              kwonlyargs=[], kw_defaults=[], kwarg=None, defaults=[])
    function = ast.copy_location(ast.FunctionDef(
        name=RULE_FUNCTION, args=arguments, body=[ast.copy_location(ast.Return(value=expression), expression)],
        decorator_list=[], returns=None, type_params=[]), expression)
    module = ast.Module(body=[function], type_ignores=[])
    ast.fix_missing_locations(module)
    return compile_fn(module, filename, 'exec', dont_inherit=True), params


RULE_FUNCTION = '<module>'  # not an identifier: no guest source can define or read this name


def check_expression(source, filename, options, compile_fn, mode):
    """Checks source for the guest's own eval()/exec()/compile()."""
    with _nesting_guard(), _quiet_warnings():
        tree = ast.parse(source, filename, mode)
        rewriter = _Rewriter(options)
        tree = rewriter.visit(tree)
        ast.fix_missing_locations(tree)
        compile_fn = _from_tree(compile_fn, source)
        return compile_fn(tree, filename, mode, dont_inherit=True)


def _from_tree(compile_fn, source):
    """compile() of the checked tree, whose SyntaxErrors (those the compiler finds: 'return' outside a function,
    'import *' in a function, ...) are raised anew from here. GraalPy 25.0 locates the compiler's own error in
    a source made from the tree, which has no characters: the error reaches the guest intact, but when it
    leaves the context, reading that location throws UnsupportedOperationException in place of the error.
    The checked tree keeps the guest's line numbers, so the position and the guest's own line stand."""
    def compile_tree(tree, filename, mode, dont_inherit=True):
        refused = None
        try:
            return compile_fn(tree, filename, mode, dont_inherit=dont_inherit)
        except SyntaxError as error:
            refused = _raised_anew(error, filename, error.lineno, error.offset, _line_of(source, error.lineno))
            # set apart: GraalPy 25.0's SyntaxError() fails on the six-item details tuple (IndexError)
            refused.end_lineno, refused.end_offset = error.end_lineno, error.end_offset
        raise refused
    return compile_tree


def _line_of(source, number):
    if type(source) is not str or type(number) is not int or number < 1:
        return None
    lines = source.splitlines()
    return lines[number - 1] + '\n' if number <= len(lines) else None


def _raised_anew(error, filename, lineno, offset, text):
    """A compile error as the guest may see it: a new one of its type, never its message if that names a
    guard (the name holds the context's token). The caller raises it outside the except block, so it has
    no __context__ holding the original."""
    message = error.msg
    if '__pysandbox_' in str(message):
        message = 'invalid syntax'
    return type(error)(message, (filename, lineno, offset, text))


class _nesting_guard(object):
    """Source nested deeper than the parser, checker or compiler can recurse is a stack bomb, reported as
    the recursion limit it ran into (whichever stage noticed it), not as a syntax error."""

    def __enter__(self):
        return self

    def __exit__(self, kind, error, traceback):
        too_deep = kind is not None and (issubclass(kind, RecursionError) or (
            issubclass(kind, SyntaxError) and 'recursion' in str(getattr(error, 'msg', '') or '')))
        if too_deep:
            raise RecursionError('the source is nested too deeply for the sandbox to check it') from None
        return False


_IGNORE_WARNINGS = ('ignore', None, Warning, None, 0)


class _quiet_warnings(object):
    """The parser's and compiler's warnings (SyntaxWarning for a non-raw '\\d' or 'x is 1') are ignored
    while the sandbox checks source. GraalPy writes them to the context's stderr, which fails the script
    with OSError when stderr is blocked; and an interpreter that adopts shared checked code
    (policy.SharedCheckedCode) parses and compiles nothing, so a warning printed by the checking one would
    tell a tenant whether another tenant ran the same source. The filter goes in front of the list the
    interpreter consults and matches every warning first: no filter of the guest's is looked at."""

    def __enter__(self):
        filters = self._filters()
        filters.insert(0, _IGNORE_WARNINGS)
        _warnings._filters_mutated()
        self._inserted = filters
        return self

    def __exit__(self, kind, error, traceback):
        filters = self._inserted
        for i in range(len(filters)):
            if filters[i] is _IGNORE_WARNINGS:  # identity: comparing guest filters could run guest code
                del filters[i]
                break
        _warnings._filters_mutated()
        return False

    @staticmethod
    def _filters():
        # the warnings module's list once it is imported (catch_warnings() rebinds it), else _warnings' own
        filters = getattr(_sys.modules.get('warnings'), 'filters', None)
        return filters if type(filters) is list else _warnings.filters
