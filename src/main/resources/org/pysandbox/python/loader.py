# Evaluated first in every sandbox context, as __main__; it only defines how the policy modules are
# loaded (as real modules, so that nothing of the policy lives in the guest's __main__) and is then
# removed again by the host.
import sys as _sys
import types as _types


def _pysandbox_load(name, source, filename):
    module = _types.ModuleType(name)
    module.__file__ = filename
    _sys.modules[name] = module
    exec(compile(source, filename, 'exec'), module.__dict__)
    return module


_pysandbox_load
