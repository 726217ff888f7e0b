"""Entry points the host calls: set-up, checking and running guest source, calling guest functions,
and encoding values and exceptions for the host. The host holds this module's functions only."""

import builtins as _builtins
import _codecs
import _json
import marshal as _marshal
import posix as _posix
import sys as _sys
from polyglot import ForeignException as _ForeignException

from pysandbox import checker as _checker
from pysandbox import lines as _lines
from pysandbox import guards as _guards
from pysandbox import patches as _patches
from pysandbox.errors import (SandboxViolation, OperationBlocked, violation as _violation, refuse_read_only,
                              refuse_missing, refuse_call, ImportBlocked, AttributeBlocked, NameBlocked,
                              ReadOnlyError)
from pysandbox.imports import register_trusted_modules as _register_trusted_modules, \
    TrustedLoaderFinder as _TrustedLoaderFinder
from pysandbox.guest_builtins import run_in as _run_in, guest_builtins as _guest_builtins, install_builtins as _install_builtins, \
    neutralise_process_functions as _neutralise_process_functions, real_path as _real_path
from pysandbox.views import StreamView as _StreamView, made_by_sandbox as _made_by_sandbox
from pysandbox.state import (STREAM_VIEWS as _STREAM_VIEWS, REAL_STREAMS as _REAL_STREAMS, CONFIG as _CONFIG, BUILTINS_VIEW as _BUILTINS_VIEW, ORIGINAL as _ORIGINAL,
                             ALWAYS_HIDDEN as _ALWAYS_HIDDEN, TRUSTED_NAMESPACES as _TRUSTED_NAMESPACES,
                             ORIGINAL_FOR_TRUSTED as _ORIGINAL_FOR_TRUSTED,
                             orig_compile as _orig_compile, orig_exec as _orig_exec, orig_eval as _orig_eval,
                             ModuleType as _ModuleType, MISSING as _MISSING)

# --------------------------------------------------------------------------------------------
# Entry points called by the host.
# --------------------------------------------------------------------------------------------
_CODE_CACHE = {}
_LINECACHE = [None]
_NO_CHANGES = ((), ())
_CODE_CACHE_LIMIT = 256


class _JsonOptions(object):
    """What the builtin JSON scanner asks of its caller: plain JSON, no hooks."""
    strict = True
    object_hook = object_pairs_hook = parse_constant = None
    parse_float = float
    parse_int = int
    memo = {}


def _read_config(text):
    # the builtin scanner, not the json module: json imports re, and every interpreter's start paid for it
    value, end = _json.make_scanner(_JsonOptions())(text, 0)
    if end != len(text) or type(value) is not dict:
        raise ValueError('the sandbox configuration is not one JSON object')
    return value


def setup(config_json):
    config = _read_config(config_json)
    # the guards' names, unknown to the guest (see checker.set_guard_token)
    _checker.set_guard_token(config['token'])
    config['paths'] = [_real_path(p) for p in config['paths']]
    _CONFIG.update(config)
    _guards.set_depth_limit(config['recursion_limit'])
    guarded = _guest_builtins()
    # Trusted modules keep the originals of every builtin the guest sees differently or not at all.
    for name in set(guarded) | set(_ALWAYS_HIDDEN):
        if name in _ORIGINAL and name not in ('__import__', '__build_class__', '__loader__', '__spec__'):
            _ORIGINAL_FOR_TRUSTED[name] = _ORIGINAL[name]
    _TRUSTED_NAMESPACES.add(id(_builtins.__dict__))
    # GraalPy imports the codec registry from Java on the first str.encode/bytes.decode, with the guest's
    # frame on top of the stack; importing it here makes that a lookup of a module that is already trusted.
    import encodings as _encodings  # noqa: F401
    # tracebacks read guest source lines through linecache: the sandbox's own (see lines.py)
    _LINECACHE[0] = _sys.modules['linecache'] = _lines
    _register_trusted_modules()
    _patches.patch_loaded()
    _sys.meta_path.insert(0, _TrustedLoaderFinder())
    _neutralise_process_functions()
    # Hide host paths and the environment from anything that could print them.
    _sys.path_importer_cache.clear()
    # os, imported later, builds os.environ from posix.environ
    _posix.environ.clear()
    if 'os' in _sys.modules:
        _sys.modules['os'].environ.clear()
    _install_builtins(guarded)
    _restore_streams()
    return True


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
    return _remember(key, _check(source, filename, want_value))


def check_to_share(source, filename, want_value):
    """compile_guest for the first script of an interpreter that has run no guest code yet, whose checker
    the host can therefore trust: also hands back the checked code, marshalled (one char per byte), for the
    host to share with other interpreters of its configuration (policy.SharedCheckedCode). None when the
    code was already here (the warm-up's own sources)."""
    key = (source, filename, bool(want_value))
    if key in _CODE_CACHE:
        return None
    checked = _check(source, filename, want_value)
    _remember(key, checked)
    return _codecs.latin_1_decode(_marshal.dumps(checked))[0]


def adopt_checked(source, filename, want_value, shared):
    """Takes checked code that another interpreter made from this very source under this configuration
    (check_to_share), with this context's guard names already in it (the host substituted them), instead
    of checking the source again: a check is 5-15 ms of a fresh sandbox's first script interpreter-only."""
    _remember((source, filename, bool(want_value)), _marshal.loads(_codecs.latin_1_encode(shared)[0]))


def _check(source, filename, want_value):
    """The checker's verdict on guest source: (body code, last expression code, bounded, free names,
    (rule code, parameter names) or None), all of it marshallable; raises the violation it found."""
    options = dict(_CONFIG)
    options['want_value'] = want_value
    try:
        return _checker.check(source, filename, options, _orig_compile)
    except _checker.Violation as v:
        refusal = _violation(OperationBlocked, v.message, v.setting)
        # no guest frame ran: where in the source the checker refused is the refusal's location
        refusal.checked_line = v.lineno
        raise refusal from None


def _remember(key, checked):
    """Caches checked code for its source; a rule's code becomes the rule's function here."""
    source, filename = key[0], key[1]
    code = checked if checked[4] is None else checked[:4] + (_rule_function(*checked[4]),)
    if len(_CODE_CACHE) >= _CODE_CACHE_LIMIT:
        _CODE_CACHE.clear()
    _CODE_CACHE[key] = code
    _LINECACHE[0].cache[filename] = (len(source), None, source.splitlines(True), filename)
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
    body, last, _, _, _ = compile_guest(source, filename, want_value)
    if globals_ is None:
        globals_ = new_namespace()
    else:
        globals_.setdefault('__builtins__', _BUILTINS_VIEW[0])
    if locals_ is None:
        locals_ = globals_
    return _confined(_run_code, body, last, globals_, locals_)


def _run_code(body, last, globals_, locals_):
    if body is not None:
        _run_in(_orig_exec, body, globals_, locals_)
    if last is not None:
        return _run_in(_orig_eval, last, globals_, locals_)
    return None


def call(function, *args):
    """Calls a guest function on behalf of the host, under the same confinement as a run."""
    return _confined(function, *args)


class ScriptFailed(Exception):
    """What leaves a run whose script raised: the script's exception (error) and its message, taken inside
    the run, under the policy's class. The polyglot layer takes the str() of whatever leaves the context, the
    moment it leaves: the script's own __str__ (or its args' __repr__) ran there, after the run had ended,
    outside its depth count and state. The host reads the script's exception through exception_info."""

    def __init__(self, error, message):
        Exception.__init__(self, '%s: %s' % (_type_name(error), message))
        self.error = error
        self.message = message


# The interpreter's own streams, which GraalPy made over the host's writers and reader, are never bound in the
# real sys: trusted code stores what sys holds (pprint's PrettyPrinter()._stream, shlex's instream, fileinput's
# _file), and the script read the real TextIOWrapper there, closed, detached or reconfigured it for every
# later run, and reached _io.FileIO through .buffer.raw (review 26, 2026-12-06). sys holds the views the
# guest gets from 'from sys import stdout' (text I/O only); the real ones are held here.
_STDIN = _REAL_STREAMS['stdin'] = _sys.stdin
_STDOUT = _REAL_STREAMS['stdout'] = _sys.stdout
_STDERR = _REAL_STREAMS['stderr'] = _sys.stderr
_STDIN_VIEW = _STREAM_VIEWS['stdin'] = _made_by_sandbox(_StreamView, (_STDIN, 'stdin'))
_STDOUT_VIEW = _STREAM_VIEWS['stdout'] = _made_by_sandbox(_StreamView, (_STDOUT, 'stdout'))
_STDERR_VIEW = _STREAM_VIEWS['stderr'] = _made_by_sandbox(_StreamView, (_STDERR, 'stderr'))


def _restore_streams():
    """Binds the views in the real sys again. Trusted code can rebind those names to an object the script chose
    (fileinput's nextfile() restores a _savestdout a script's subclass set; cgi.test() sets sys.stderr =
    sys.stdout), and every later run printed to it, its flush() called after each run (review 25): each run
    starts and ends with the views bound."""
    if _sys.stdout is not _STDOUT_VIEW:
        _sys.stdout = _STDOUT_VIEW
    if _sys.stderr is not _STDERR_VIEW:
        _sys.stderr = _STDERR_VIEW
    if _sys.stdin is not _STDIN_VIEW:
        _sys.stdin = _STDIN_VIEW
    if _sys.__stdout__ is not _STDOUT_VIEW:
        _sys.__stdout__ = _STDOUT_VIEW
    if _sys.__stderr__ is not _STDERR_VIEW:
        _sys.__stderr__ = _STDERR_VIEW
    if _sys.__stdin__ is not _STDIN_VIEW:
        _sys.__stdin__ = _STDIN_VIEW


def _confined(function, *args):
    # also before: a run stopped by an interrupt may not have reached its finally
    _restore_streams()
    saved = _guards.begin_run()
    try:
        try:
            return Outcome(function(*args), False, None)
        except SystemExit as exit_:
            if not _CONFIG['exit']:
                # an error like any other: without the feature, a SystemExit (which trusted code such as
                # json.tool raises) reached GraalPy's own exit path, and its __str__ ran after the run (review 24)
                failed = exit_
            else:
                return Outcome(None, True, _exit_status(_real_exit_code(exit_)))
        except BaseException as error:
            if type(error) is _ForeignException:
                # the host's own exception from host code the script called: the host reads it as its own
                # (its class, its cause, a resource limit), and no script code is in it (review 24)
                raise
            failed = error
        # outside the except clause (the carrier has no __context__ for the polyglot layer to read), still
        # inside the run: the script's __str__ runs under its depth count, as the exit status's does
        raise ScriptFailed(failed, _message(failed))
    finally:
        _guards.end_run(saved)
        _restore_streams()
        # everything the call printed is in the host's writers before the host is answered
        flush_streams()


def evaluate(source, filename, want_value, names, values, track, local_names, local_values):
    """One host evaluation in one guest entry: fill the namespaces, run, and encode for the host the
    value, the exit status and the names the script bound, so a small rule costs one crossing.

    names/values (and local_names/local_values, or None for no separate locals) are parallel host
    arrays; track says whether the host wants the globals' changes back (locals' always come back).
    Returns (exited, exit status, encoded value, globals' changes or None, locals' changes or None,
    bounded, rule): bounded tells the host that this source runs in bounded time (see the checker's
    is_bounded); rule, when the source is a rule over the names given and no separate locals, is
    (function, parameter names) for the host's later evaluations through evaluate_rule.
    """
    body, last, bounded, reads, rule = compile_guest(source, filename, want_value)
    # a single bounded expression (a rule) binds and deletes no name: no changes to look for
    binds_nothing = bounded and body is None
    if bounded:
        # only over names the host bound (to plain data, which the host checks): nothing else is read
        given = {names[i] for i in range(len(names))}
        if local_names is not None:
            given.update(local_names[i] for i in range(len(local_names)))
        bounded = reads <= given
    if not (binds_nothing and bounded and local_names is None):
        rule = None
    globals_ = new_namespace()
    _fill(globals_, names, values)
    before = dict(globals_) if track and not binds_nothing else None
    if local_names is None:
        locals_ = globals_
        local_changes = False
    else:
        locals_ = {}
        _fill(locals_, local_names, local_values)
        local_before = None if binds_nothing else dict(locals_)
        local_changes = True
    outcome = _confined(_run_code, body, last, globals_, locals_)
    exited, status = outcome_exit(outcome)
    return (exited, status, None if exited else export(outcome.value),
            (_NO_CHANGES if binds_nothing else _encoded_changes(globals_, before)) if track else None,
            (_NO_CHANGES if binds_nothing else _encoded_changes(locals_, local_before))
            if local_changes else None, bounded, rule)


def _rule_function(code, params):
    """The function a rule's code (checker.rule_code) defines; its globals hold only the builtins view (a
    rule reads nothing but its parameters)."""
    namespace = new_namespace()
    _run_in(_orig_exec, code, namespace)
    return namespace.pop(_checker.RULE_FUNCTION), params


def evaluate_rule(function, *values):
    """Evaluates a rule (see evaluate) with the host's values for its parameters, in their order: all plain
    data (bridge.PlainValues), so no guest code runs: nothing can print, exit, recurse or keep a value, and
    the run's bookkeeping (depth, flushing, Outcome, the namespaces and their changes) is left out.
    A bool, a rule's usual answer, is returned as itself, anything else encoded by export."""
    value = function(*values)
    # identity with the two bool singletons: exactly a bool, without looking up type or bool per call
    return value if value is True or value is False else export(value)


def _fill(namespace, names, values):
    for i in range(len(names)):
        namespace[names[i]] = values[i]


def _encoded_changes(namespace, before):
    changed, deleted = changed_names(namespace, before)
    if not changed:
        return changed, deleted
    return [(name, export(value)) for name, value in changed], deleted


def outcome_value(outcome):
    return outcome.value


def outcome_exit(outcome):
    return (outcome.exited, outcome.exit_status)


# SystemExit's own code field: a subclass can put a property under 'code', whose getter is the script's code and
# whose SystemExit left the exit handling (review 23)
_real_exit_code = SystemExit.__dict__['code'].__get__


def _exit_status(status):
    """What the host reads as an exit status: None, an int or an exact str. Taken in _confined, inside the
    run: the str() of any other status is the script's own __str__, which runs under the run's depth count,
    and what it raises is an error of the run (review 22: it ran after the run, and a SystemExit it raised
    left the exit handling). Exact types only: isinstance() took an object whose __class__ said int, and
    the host got a handle where it reads a status (review, 2026-12-06)."""
    kind = type(status)
    if status is None or kind is int or kind is str:
        return status
    if _guards.is_subclass(int, kind):
        return int.__index__(status)
    if _guards.is_subclass(str, kind):
        return _guards.exact_str(status)
    try:
        return _guards.exact_str(str(status))
    except SystemExit:
        raise RuntimeError('the exit status could not be read: its __str__ raised SystemExit') from None


# --------------------------------------------------------------------------------------------
# Values going to the host: exact builtin types become data, the rest an opaque handle.
# --------------------------------------------------------------------------------------------
_LONG_MIN = -2 ** 63
_LONG_MAX = 2 ** 63 - 1


def export(value, _depth=0):
    """Encodes a guest value as (kind, payload) for the host, never running guest code."""
    t = type(value)
    if value is None:
        return ('none', None)
    if t is bool:
        return ('bool', value)
    if t is int:
        # itself when it fits a Java long; beyond, as decimal text the guest makes within its limits, so the
        # host never pays more to print it than the guest paid to send it (review 63: handed over as itself, a
        # 2-MiB int cost the guest nothing and a host's String.valueOf 7 s after the call)
        return ('int', value) if _LONG_MIN <= value <= _LONG_MAX else ('int', _int_text(value))
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


def _int_text(value):
    """The decimal text of an int of any size: the host's BigInteger is not limited to 4,300 digits."""
    try:
        return str(value)
    except ValueError:
        limit = _sys.get_int_max_str_digits()
        _sys.set_int_max_str_digits(0)
        try:
            return str(value)
        finally:
            _sys.set_int_max_str_digits(limit)


def changed_names(namespace, before):
    """Names the guest bound or rebound at top level, as (name, value) pairs, and deleted names.

    Runs after the run, in the policy's frame, so no key of the script's is hashed or compared: a key of a
    str subclass chooses its hash, and its __eq__ runs wherever it meets another key with that hash. The walk
    is over list(namespace.items()), which compares nothing (a dict() copy compares colliding keys); only
    exact str keys are looked up, in before (which holds exact str keys only) and in the set of this walk's
    exact str keys, not in the namespace."""
    items = list(namespace.items())
    changed = []
    kept = 0
    missing = _MISSING
    for key, value in items:
        if type(key) is not str:
            continue
        old = before.get(key, missing)
        if old is not missing:
            kept += 1
            if old is value:
                continue
        if key != '__builtins__':
            changed.append((key, value))
    # every name of before is still there unless the count says otherwise: the scan for deleted names,
    # a comprehension over every binding, is the dearest step of a small rule interpreter-only
    if kept == len(before):
        return changed, []
    present = {key for key, _ in items if type(key) is str}
    return changed, [key for key in before if key not in present]


# What an exception really is and where it was raised, read past its class: a class made with three-argument
# type() can put a '__class__' property (isinstance() then answers True for the class it names) or a
# '__traceback__' into its namespace, which the class-body name rules only refuse in class statements. The
# same for every field read here: a subclass's property (or a metaclass's '__name__') would run the script's
# code after its run, and a value of another type made the host's read fail and the tenant count as lost
_is_subclass = type.__subclasscheck__
_real_traceback = BaseException.__dict__['__traceback__'].__get__
_real_instance_dict = BaseException.__dict__['__dict__'].__get__
_real_type_name = type.__dict__['__name__'].__get__
_real_type_flags = type.__dict__['__flags__'].__get__
_HEAP_TYPE = 1 << 9
_POLICY_ERRORS = (SandboxViolation, ImportBlocked, AttributeBlocked, NameBlocked, OperationBlocked, ReadOnlyError)
_syntax_filename = SyntaxError.__dict__['filename'].__get__
_syntax_lineno = SyntaxError.__dict__['lineno'].__get__
_syntax_offset = SyntaxError.__dict__['offset'].__get__
_syntax_msg = SyntaxError.__dict__['msg'].__get__


def _type_name(exc):
    return _exact_text(_real_type_name(type(exc)), '<unnamed>')


def _message(exc):
    """str() of an exception: the one field that is the script's to say (its __str__ runs)."""
    try:
        return _exact_text(str(exc), '')
    except BaseException:
        # a __str__ that raises SystemExit or KeyboardInterrupt too: the error is still read (review 23)
        return '<unprintable %s>' % _type_name(exc)


def _message_is_trusted(kind):
    """A class the interpreter made (not a heap type, read from type's own __flags__; a class body can set any
    __module__) or one of the policy's refusals: its __str__ is not a script's."""
    if not _real_type_flags(kind) & _HEAP_TYPE:
        return True
    for policy_class in _POLICY_ERRORS:
        if kind is policy_class:
            return True
    return False


def _own_field(exc, name):
    """What the sandbox stored on an exception under name (errors.SandboxViolation's setting, _check's
    checked_line), read from the instance's own dict: no property answers, and no key of the script's is
    hashed or compared (a str subclass chooses its hash and __eq__, see changed_names)."""
    fields = _real_instance_dict(exc)
    if not _is_subclass(dict, type(fields)):
        return None
    for key, value in list(dict.items(fields)):
        if type(key) is str and key == name:
            return value
    return None


def _exact_text(value, default):
    return _guards.exact_str(value) if _is_subclass(str, type(value)) else default


def _java_int(value):
    """A line or column as the host reads it (a Java int), or -1 when there is none."""
    return value if type(value) is int and -2147483648 <= value <= 2147483647 else -1


_MAX_TRACEBACK_ENTRIES = 10000


def _traceback_entries(exc):
    """(file, line, function name) of each entry of the exception's real traceback, outermost first: the host
    keeps the script's own (a class's '__traceback__' property handed the host a traceback the script made,
    with frames it named, and ran the script's code after its run)."""
    entries = []
    tb = _real_traceback(exc)
    while tb is not None:
        code = tb.tb_frame.f_code
        entries.append((_exact_text(code.co_filename, ''), _java_int(tb.tb_lineno), _exact_text(code.co_name, '')))
        tb = tb.tb_next
    return entries


def exception_info(exc, filename):
    """(type name, message, is violation, setting, is recursion, file, line, column, traceback entries) of a
    guest exception; the innermost entries as _traceback_entries gives them.

    exc is what left the context: a ScriptFailed carries the script's exception (see _confined). The location
    is the innermost frame of the guest's own source, not of the sandbox or the stdlib. Only the
    message is the script's to say (its __str__ ran inside the run, or runs here for an error raised outside
    one: a check's refusal, a rule's error); every other field is read from the exception's
    own storage and has the type the host reads (a str, or a line that fits a Java int), else its default.
    """
    if type(exc) is ScriptFailed:
        message = exc.message
        exc = exc.error
    else:
        # raised outside a run (a check's refusal, a rule's or the policy's own error): a builtin class's
        # message; a class of the script's would only come here by a gap in _confined, and is not asked
        message = _message(exc) if _message_is_trusted(type(exc)) else '<%s raised outside the run>' % _type_name(exc)
    kind = type(exc)
    name = _type_name(exc)
    is_violation = _is_subclass(SandboxViolation, kind)
    setting = _exact_text(_own_field(exc, 'setting'), None) if is_violation else None
    file, line, column = filename, -1, -1
    entries = _traceback_entries(exc)
    if _is_subclass(SyntaxError, kind):
        file = _exact_text(_syntax_filename(exc), '') or filename
        line = _java_int(_syntax_lineno(exc))
        column = _java_int(_syntax_offset(exc))
        message = _exact_text(_syntax_msg(exc), message)
    else:
        for entry_file, entry_line, _ in entries:
            if entry_file == filename:
                line = entry_line
        if line == -1 and is_violation:
            line = _java_int(_own_field(exc, 'checked_line'))
    return (name, message, is_violation, setting, _is_subclass(RecursionError, kind), file, line, column,
            entries[-_MAX_TRACEBACK_ENTRIES:])


def flush_streams():
    """Flushes stdout and stderr; False when one failed (a run's end goes on, an emptying reports it)."""
    flushed = True
    for stream in (_STDOUT, _STDERR):
        try:
            stream.flush()
        except Exception:
            flushed = False
    return flushed


def streams_usable():
    """Whether the interpreter's standard streams still work. GraalPy reads and writes them through java.nio
    channels, which close for good when their thread is interrupted during an operation: after a call that
    a timeout stopped inside a print, every later print of the sandbox failed with BrokenPipeError (review
    29). An empty read or write reaches the channel without moving any data."""
    for fd in (0, 1, 2):
        try:
            if fd == 0:
                _posix.read(0, 0)
            else:
                _posix.write(fd, b'')
        except BrokenPipeError:
            return False
        except OSError:
            pass  # a stream the configuration disables
    return True


def discard_leftovers(output, input_):
    """Empties the interpreter's stream buffers of what an earlier call left in them; the host has bound the
    streams to nothing. Output: a run stopped by a timeout skips its finally, and what it printed without a
    newline was flushed into the next call's writers. Input: the stdin TextIOWrapper reads a chunk for one
    input(), and the rest was the next call's input, whoever's reader that call had. False when a stream failed:
    what it held may still be there (review 30: a read on an interrupted thread closed stdin's channel, and the
    old reader's decoded text stayed for the next call)."""
    emptied = flush_streams() if output else True
    if input_:
        try:
            _STDIN.read()
        except Exception:
            emptied = False
    return emptied


