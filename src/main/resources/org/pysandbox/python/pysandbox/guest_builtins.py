"""The guest's builtins: guarded versions of the builtins that reach files, streams, code, namespaces
and attributes by name, installed into the context's real builtins module (GraalPy resolves every
global name through it, whatever __builtins__ a namespace holds), and the read-only builtins view."""

import builtins as _builtins
import posix as _posix
import sys as _sys

from pysandbox import checker as _checker
from pysandbox.classes import build_class as _build_class
from pysandbox.errors import OperationBlocked, violation as _violation
from pysandbox import guards as _guards
from pysandbox.guards import (guest_getattr as _guest_getattr, guest_hasattr as _guest_hasattr,
                              guest_setattr as _guest_setattr, guest_delattr as _guest_delattr,
                              guest_vars as _guest_vars, guest_dir as _guest_dir, guest_globals as _guest_globals,
                              guest_locals as _guest_locals, hide_real_builtins as _hide_real_builtins,
                              exact_str as _exact_str, dict_guard as _dict_guard, enter as _enter,
                              exception_object_guard as _exception_object_guard, format_guard as _format_guard,
                              frame_code_guard as _frame_code_guard, leave as _leave, own as _own,
                              store_guard as _store_guard)
from pysandbox.views import ReadOnlyModule, CheckedCode, made_by_sandbox as _made_by_sandbox, private as _private
from pysandbox.imports import import_hook as _import_hook, guest_import as _guest_import, import_star as _import_star
from pysandbox.state import (STREAM_VIEWS as _STREAM_VIEWS, REAL_STREAMS as _REAL_STREAMS, CONFIG as _CONFIG,
                             BUILTINS_VIEW as _BUILTINS_VIEW, ORIGINAL as _ORIGINAL,
                             ALWAYS_HIDDEN as _ALWAYS_HIDDEN, TRUSTED_NAMESPACES as _TRUSTED_NAMESPACES,
                             orig_getattr as _orig_getattr, orig_compile as _orig_compile, orig_exec as _orig_exec,
                             orig_eval as _orig_eval, orig_open as _orig_open, orig_print as _orig_print,
                             object_setattr as _object_setattr, object_new as _object_new, ModuleType as _ModuleType,
                             FunctionType as _FunctionType, CodeType as _CodeType,
                             MISSING as _MISSING, walkable as _walkable)

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
        stream = _sys.stdout
        # the original print() writes to the real stream behind the view itself (it keeps no reference): the
        # view's write() is a Python call more per write, +15-45% on a print loop interpreter-only
        kwargs['file'] = _REAL_STREAMS['stdout'] if stream is _STREAM_VIEWS['stdout'] else stream
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
    path = _posix.fspath(file)
    if isinstance(path, bytes):
        path = bytes(path).decode('utf-8', 'surrogateescape')
    path = _exact_str(path)
    roots = _CONFIG['paths']
    real = real_path(path) if roots else None
    for root in roots:
        if real == root or real.startswith(root.rstrip('/') + '/'):
            return _orig_open(real, mode, buffering, encoding, errors, newline)
    raise _violation(OperationBlocked, "reading '%s' is blocked by the sandbox" % path, "allowPath('%s')" % path)


def _checked_source_code(source, mode, filename='<string>'):
    if type(source) is CheckedCode:
        return _private(source)
    if isinstance(source, _CodeType):
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
    # code at module level looks names up in the locals first: another mapping's __getitem__ or
    # __missing__ would be asked for each guard by name (see checker.visit_ClassDef)
    if locals_ is not None and type(locals_) is not dict:
        raise _violation(OperationBlocked, 'exec() and eval() with a locals mapping other than a dict are '
                         'blocked by the sandbox')
    if id(globals_) in _TRUSTED_NAMESPACES or (locals_ is not None and id(locals_) in _TRUSTED_NAMESPACES):
        raise _violation(OperationBlocked, 'running code in the namespace of sandbox internals is blocked')
    globals_.setdefault('__builtins__', _BUILTINS_VIEW[0])
    return globals_, locals_


def _trampoline(runner, code, namespace):
    return runner(code, None, namespace)


_TRAMPOLINE = _trampoline.__code__


def run_in(runner, code, globals_, locals_=None):
    """Runs a code object with exec or eval in the guest's namespaces, without the real builtins.

    exec(code, globals) makes GraalPy 25.0.3 store the real builtins dict in globals['__builtins__']
    for the whole run (BuiltinFunctions.CreateEvalExecArgumentsNode), where guest code could take it.
    exec(code, None, locals) stores nothing and runs in the globals of its caller: here a function made
    from _trampoline whose globals are the guest's.
    """
    return _FunctionType(_TRAMPOLINE, globals_)(runner, code, globals_ if locals_ is None else locals_)


def _guest_exec(source, globals=None, locals=None):
    code = _checked_source_code(source, 'exec')
    g, l = _namespace_for_guest(globals, locals, 1)
    _counted_run(_orig_exec, code, g, l)


def _guest_eval(source, globals=None, locals=None):
    if isinstance(source, str):
        source = source.strip(' \t')
    code = _checked_source_code(source, 'eval')
    g, l = _namespace_for_guest(globals, locals, 1)
    return _counted_run(_orig_eval, code, g, l)


def _counted_run(runner, code, globals_, locals_):
    """The guest's exec and eval run a frame of module code, which no def counts: exec('exec(s)') nested
    without limit, and let the script choose the stack depth at which the checker ran (review, 2026-12-05)."""
    _guards.enter()
    try:
        return run_in(runner, code, globals_, locals_)
    finally:
        _guards.leave()


def _guest_compile(source, filename, mode, flags=0, dont_inherit=False, optimize=-1):
    if mode not in ('exec', 'eval', 'single'):
        raise ValueError("compile() mode must be 'exec', 'eval' or 'single'")
    if flags & ~0x3ffff000:
        raise _violation(OperationBlocked, 'compile() flags are blocked by the sandbox')
    return _made_by_sandbox(CheckedCode, _checked_source_code(source, mode, str(filename)))


class BuiltinsView(ReadOnlyModule):
    def __getattr__(self, name):
        # a missing builtin is missing: no allowModule setting opens 'builtins'
        raise AttributeError("module 'builtins' has no attribute '%s'" % name)




def _guest_builtins():
    """The builtins the guest gets in place of the originals, for the current configuration."""
    config = _CONFIG
    guarded = {
        'getattr': _guest_getattr, 'hasattr': _guest_hasattr, 'setattr': _guest_setattr,
        'delattr': _guest_delattr, 'vars': _guest_vars, 'dir': _guest_dir, 'globals': _guest_globals,
        'locals': _guest_locals,
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
    # __loader__ and __spec__ too: the real builtins' loader is BuiltinImporter, whose load_module('sys')
    # is the real sys, one read away from any relay that reads this namespace (typing's reduction did;
    # review, 2026-12-06)
    for name in _ALWAYS_HIDDEN:
        if name not in ('__build_class__', '__import__'):
            namespace.pop(name, None)
    namespace.update(guarded)
    # every class statement of the context, the guest's and trusted modules' alike (see classes.py)
    namespace['__build_class__'] = _build_class
    namespace[_checker.GUARD_STORE] = _store_guard
    namespace[_checker.GUARD_DICT] = _dict_guard
    namespace[_checker.GUARD_FORMAT] = _format_guard
    namespace[_checker.GUARD_OWN] = _own
    namespace[_checker.GUARD_FRAME_CODE] = _frame_code_guard
    namespace[_checker.GUARD_EXCEPTION_OBJECT] = _exception_object_guard
    namespace[_checker.GUARD_IMPORT] = _guest_import
    namespace[_checker.GUARD_ENTER] = _enter
    namespace[_checker.GUARD_LEAVE] = _leave
    namespace[_checker.GUARD_MATCH] = _guards.match_guard
    namespace[_checker.GUARD_NAMES['none_type']] = type(None)
    namespace[_checker.GUARD_NAMES['bool']] = bool
    namespace[_checker.GUARD_NAMES['slot']] = _guards.slot_guard
    namespace[_checker.GUARD_NAMES['private']] = _guards.private_guard
    namespace[_checker.GUARD_NAMES['method']] = _guards.method_guard
    namespace[_checker.GUARD_NAMES['pure']] = _guards.is_pure_object
    namespace[_checker.GUARD_NAMES['mark_pure']] = _guards.mark_pure
    namespace[_checker.GUARD_NAMES['depth']] = _guards.DEPTH
    namespace[_checker.GUARD_NAMES['too_deep']] = _guards.too_deep
    namespace[_checker.GUARD_NAMES['count_lambda']] = _guards.count_lambda
    namespace[_checker.GUARD_NAMES['count_generator']] = _guards.count_generator
    namespace[_checker.GUARD_NAMES['count_coroutine']] = _guards.count_coroutine
    namespace[_checker.GUARD_NAMES['count_async_generator']] = _guards.count_async_generator
    namespace[_checker.GUARD_NAMES['count_generator_expression']] = _guards.count_generator_expression
    namespace[_checker.GUARD_NAMES['module_name']] = _guards.module_name
    namespace[_checker.GUARD_NAMES['import_star']] = _import_star
    # the store guard's own first test, written at a store site (checker._owned_or_guarded)
    namespace[_checker.GUARD_NAMES['type']] = type
    namespace[_checker.GUARD_NAMES['getattr']] = _orig_getattr

    view = _object_new(BuiltinsView)
    _object_setattr(view, '__name__', 'builtins')
    for name, value in _walkable(namespace).items():
        if name.startswith('__') and name not in ('__import__', '__doc__'):
            continue
        if not isinstance(value, _ModuleType):
            _object_setattr(view, name, value)
    _object_setattr(view, '__import__', _guest_import)
    _BUILTINS_VIEW[0] = view
    namespace[_checker.BUILTINS_VIEW] = view



_PROCESS_FUNCTIONS = ('kill', 'killpg', 'abort', '_exit', 'system', 'fork', 'forkpty', 'execv', 'execve',
                      'posix_spawn', 'posix_spawnp')


def _neutralise_process_functions():
    """Replaces the process functions in posix, and so in every os imported later in this context (os
    copies them from posix). The signal module needs no such step: on a context the floor hands out,
    GraalPy never registered _signal (policy.PlatformAccess), so signal cannot be imported at all."""
    modules = [_posix]
    if 'os' in _sys.modules:
        modules.append(_sys.modules['os'])
    for name in _PROCESS_FUNCTIONS:
        if hasattr(_posix, name):
            blocked = _blocked(name, None)
            for module in modules:
                setattr(module, name, blocked)


def real_path(path):
    """os.path.realpath, imported on first use: the os module costs ~0.15 s of every interpreter's start."""
    import posixpath
    return posixpath.realpath(path)


guest_builtins = _guest_builtins
install_builtins = _install_builtins
neutralise_process_functions = _neutralise_process_functions
