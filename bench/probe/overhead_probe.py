"""A/B variants of the sandbox's source rewrite, run in a plain GraalPy context (no confinement), to
find where the sandbox's overhead on the kernels comes from. Used by org.pysandbox.bench.OverheadProbe.

The policy modules are the real ones (pysandbox_checker.py and pysandbox_runtime.py, loaded without
setup()); the real guards are installed into builtins under the names the rewrite calls. Each variant
then changes one thing: where the code runs, or which part of the rewrite or guards is active.
"""
import ast
import builtins
import sys
import types

VARIANTS = {
    'module': 'no rewrite, kernel is a module (as the raw GraalPy row)',
    'exec-dict': 'no rewrite, exec in a plain dict namespace (as the sandbox runs guest code)',
    'sandbox': 'checker rewrite + real guards, exec in a dict (what pysandbox runs)',
    'no-depth': 'rewrite without the per-call recursion counting (enter/leave + try/finally)',
    'no-store-guard': 'rewrite with the attribute-store guard replaced by identity',
    'neither': 'rewrite without recursion counting and with an identity store guard',
    'cheap-depth': 'recursion counting with enter/leave that read the limit from a local constant',
    'leaf-exempt': 'recursion counting only in functions whose body contains a call',
    'cached-store': 'store guard that caches the verdict per type in a dict keyed by the type',
    'flat-store': 'store guard with the owned-class test inlined first (one call, no nested calls), full guard after',
    'exec-module-ns': 'no rewrite, exec in the __dict__ of a fresh module object',
    'sandbox-module-ns': 'checker rewrite + real guards, exec in the __dict__ of a fresh module object',
    'leaf-module-ns': 'leaf-exempt and cheap-depth counting, exec in the __dict__ of a fresh module object',
    'combined': 'leaf-exempt + cheap-depth counting, flat-store guard, module namespace (all suggestions)',
}


def _fresh_namespace(variant):
    if variant.endswith('module-ns') or variant == 'combined':
        return types.ModuleType('__guest__').__dict__
    return {}


def _load(name, source):
    module = types.ModuleType(name)
    module.__file__ = '<%s>' % name
    sys.modules[name] = module
    exec(compile(source, module.__file__, 'exec'), module.__dict__)
    return module


def _has_call(function):
    for node in ast.walk(function):
        if isinstance(node, ast.Call) and node is not function:
            return True
    return False


def prepare(checker_source, runtime_source, kernel_source, variant):
    """Loads the kernel for one variant and returns its bench function."""
    if variant not in VARIANTS:
        raise ValueError('unknown variant %s; known: %s' % (variant, ', '.join(VARIANTS)))
    if variant == 'module':
        module = _load('kernel', kernel_source)
        return module.bench
    if variant in ('exec-dict', 'exec-module-ns'):
        namespace = _fresh_namespace(variant)
        exec(compile(kernel_source, '<kernel>', 'exec'), namespace)
        return namespace['bench']

    checker = _load('pysandbox_checker', checker_source)
    runtime = _load('pysandbox_runtime', runtime_source)
    runtime._CONFIG.update({'recursion_limit': 1000, 'frame_code': False, 'future': False})
    guards = {
        checker.GUARD_STORE: runtime._store_guard,
        checker.GUARD_DICT: runtime._dict_guard,
        checker.GUARD_FORMAT: runtime._format_guard,
        checker.GUARD_OWN: runtime._own,
        checker.GUARD_FRAME_CODE: runtime._frame_code_guard,
        checker.GUARD_ENTER: runtime._enter,
        checker.GUARD_LEAVE: runtime._leave,
    }
    if variant in ('no-depth', 'neither'):
        checker._count_depth = lambda body, node: body
    if variant in ('no-store-guard', 'neither'):
        guards[checker.GUARD_STORE] = lambda obj, name: obj
    if variant in ('cheap-depth', 'leaf-module-ns', 'combined'):
        depth = runtime._DEPTH
        limit = 1000

        def enter():
            d = depth[0] + 1
            if d > limit:
                raise RecursionError('maximum recursion depth exceeded')
            depth[0] = d

        def leave():
            depth[0] -= 1

        guards[checker.GUARD_ENTER] = enter
        guards[checker.GUARD_LEAVE] = leave
    if variant in ('leaf-exempt', 'leaf-module-ns', 'combined'):
        original = checker._count_depth
        # _count_depth gets the function node; leave functions that call nothing uncounted.
        checker._count_depth = lambda body, node: original(body, node) if _has_call(node) else body
    if variant == 'cached-store':
        verdicts = {}
        may_change = runtime._may_change
        store_guard = runtime._store_guard
        type_ = type

        def cached_store(obj, name):
            t = type_(obj)
            if verdicts.get(t) is True:
                return obj
            result = store_guard(obj, name)
            if t is not type_ and not isinstance(obj, types.FunctionType) and may_change(obj):
                verdicts[t] = True
            return result

        guards[checker.GUARD_STORE] = cached_store
    if variant in ('flat-store', 'combined'):
        owned_get = runtime._OWNED.get
        full_guard = runtime._store_guard
        id_ = id
        type_ = type

        def flat_store(obj, name):
            t = type_(obj)
            ref = owned_get(id_(t))
            if ref is not None and ref() is t:
                return obj
            return full_guard(obj, name)

        guards[checker.GUARD_STORE] = flat_store
    builtins.__dict__.update(guards)
    body = checker.check(kernel_source, '<kernel>', {"want_value": False}, compile)[0]
    namespace = _fresh_namespace(variant)
    exec(body, namespace)
    return namespace['bench']
