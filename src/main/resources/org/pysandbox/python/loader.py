# Evaluated first in every sandbox context, as __main__; it only defines how the policy modules are
# loaded (as real modules of the package 'pysandbox', so that nothing of the policy lives in the guest's
# __main__) and is then removed again by the host.
import sys as _sys

_ModuleType = type(_sys)  # types.ModuleType, without importing types at every start


def _pysandbox_code_version():
    """Names the interpreter whose marshalled code this one can load: build-time code made by another
    GraalPy release is compiled again from its source."""
    bootstrap = _sys.modules.get('_frozen_importlib_external')
    magic = getattr(bootstrap, 'MAGIC_NUMBER', b'').hex()  # the bytecode format's own number
    return '%s %s %s' % (_sys.implementation.cache_tag, '.'.join(map(str, _sys.implementation.version[:3])), magic)


def _pysandbox_load(name, source, filename, code=None, code_version=None):
    """code: the module's code as marshalled at build time (policy.PolicyBytecode), one char per byte, made
    by the interpreter code_version names; without it, or from another interpreter, the source is compiled."""
    if 'pysandbox' not in _sys.modules:
        package = _ModuleType('pysandbox')
        package.__path__ = []
        _sys.modules['pysandbox'] = package
    module = _ModuleType(name)
    module.__file__ = filename
    _sys.modules[name] = module
    if code is None or code_version != _pysandbox_code_version():
        code = compile(source, filename, 'exec')
    else:
        import marshal
        import _codecs
        code = marshal.loads(_codecs.latin_1_encode(code)[0])
    exec(code, module.__dict__)
    parent, _, child = name.rpartition('.')
    if parent:
        setattr(_sys.modules[parent], child, module)
    return module


_pysandbox_load
