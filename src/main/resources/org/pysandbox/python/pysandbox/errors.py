"""The exceptions the sandbox raises. Each refusal is a SandboxViolation subclass that also is the
ordinary Python exception a script expects (ImportError, AttributeError, ...), and names the setting
that would allow the action; the host maps it to a SandboxViolationException."""

class SandboxViolation(Exception):
    """Base of every refusal made by the sandbox; the host maps it to a violation exception."""

    def __init__(self, message, setting=None):
        Exception.__init__(self, message)
        self.setting = setting


class ImportBlocked(SandboxViolation, ImportError):
    def __init__(self, message, setting=None):
        SandboxViolation.__init__(self, message, setting)


class AttributeBlocked(SandboxViolation, AttributeError):
    pass


class NameBlocked(SandboxViolation, NameError):
    pass


class OperationBlocked(SandboxViolation, PermissionError):
    pass


class ReadOnlyError(SandboxViolation, TypeError):
    pass


for _cls in (SandboxViolation, ImportBlocked, AttributeBlocked, NameBlocked, OperationBlocked, ReadOnlyError):
    _cls.__module__ = 'sandbox'


def refuse_read_only(what):
    """Raised on behalf of the host's read-only views, so the guest sees a clean Python error."""
    raise _violation(ReadOnlyError, '%s is a read-only view of a host value in the sandbox' % what)


def refuse_missing(message):
    raise AttributeError(message)


def refuse_call(message):
    raise _violation(OperationBlocked, message)


def _violation(cls, message, setting=None):
    return cls(message, setting)


violation = _violation
