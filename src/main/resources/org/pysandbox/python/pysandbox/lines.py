"""What the sandbox's interpreter has instead of the stdlib linecache: the lines of checked guest sources.

The traceback and warnings modules read source lines through linecache. The stdlib one imports tokenize,
and with it re, enum and functools: ~0.6 s of every interpreter's start interpreter-only, for a module
that only tracebacks need. It also reads whatever file its caller names. This one is installed as
sys.modules['linecache'] by set-up, before anything imports linecache: it holds the sources the checker
has seen (runtime.compile_guest fills the cache) and reads no file, so frames of the standard library show no source
line. Guest code cannot import either (linecache is a forbidden module).
"""

# filename -> (size, mtime, lines, filename), the stdlib's entry format (mtime None: not a file)
cache = {}


def getlines(filename, module_globals=None):
    entry = cache.get(filename)
    return entry[2] if entry is not None else []


def getline(filename, lineno, module_globals=None):
    lines = getlines(filename)
    if 1 <= lineno <= len(lines):
        return lines[lineno - 1]
    return ''


def updatecache(filename, module_globals=None):
    return getlines(filename)


def checkcache(filename=None):
    """The entries are sources, not files: none goes out of date."""


def lazycache(filename, module_globals):
    return filename in cache


def clearcache():
    cache.clear()
