def danger(x, nested=False):
    """True when x is something guest code must never hold: a frame, code object, cell, real module,
    the real builtins dict (or a dict holding one of these), or a raw signal/trace/process function."""
    try:
        kind = type(x).__name__
    except Exception:
        return False
    if kind in ('frame', 'code', 'cell', 'module'):
        return True
    if kind == 'dict':
        if '__build_class__' in x or 'raise_signal' in x or '_getframe' in x or 'settrace' in x:
            return True
        if not nested:
            for value in list(x.values())[:2000]:
                if danger(value, True):
                    return True
        return False
    if kind in ('builtin_function_or_method', 'function', 'method', 'builtin_function'):
        try:
            name = getattr(x, '__name__', None)
        except Exception:
            return False
        return name in ('raise_signal', 'alarm', 'setitimer', 'pthread_kill', 'settrace', 'setprofile', 'system',
                        'get_objects', 'get_referrers', 'kill', 'fork', 'execv', '_exit', 'start_new_thread')
    return False
