# Evaluated first in every sandbox context, as __main__; it only defines how the policy modules are
# loaded (as real modules of the package 'pysandbox', so that nothing of the policy lives in the guest's
# __main__) and is then removed again by the host.
import sys as _sys
import types as _types


def _pysandbox_load(name, source, filename):
    if 'pysandbox' not in _sys.modules:
        package = _types.ModuleType('pysandbox')
        package.__path__ = []
        _sys.modules['pysandbox'] = package
    module = _types.ModuleType(name)
    module.__file__ = filename
    _sys.modules[name] = module
    exec(compile(source, filename, 'exec'), module.__dict__)
    parent, _, child = name.rpartition('.')
    if parent:
        setattr(_sys.modules[parent], child, module)
    return module


_pysandbox_load
