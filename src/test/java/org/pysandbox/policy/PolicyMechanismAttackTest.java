package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;

/**
 * Attacks written from reading the rebuilt Python policy (issue 10), one group per mechanism, each
 * asserting that the concrete effect did not happen: the real builtins dict never reached, a guard not
 * shadowed, an existing object not changed, a raw attribute not read through a class pattern.
 * All run in one shared sandbox, and after each the builtins and imports are checked intact.
 */
class PolicyMechanismAttackTest {
    private static Sandbox sandbox;
    /** Allows modules whose symbols would hand out raw access if given as they are. */
    private static Sandbox wide;
    /** Allows modules whose trusted objects hold modules in private attributes. */
    private static Sandbox paths;
    /** Allows modules whose trusted classes' methods were called with a foreign self. */
    private static Sandbox typed;

    /**
     * Collects the proto members enum puts in an enum's namespace while it builds it: their __set_name__ did a
     * raw setattr of any name on any class (reviews of 2026-12-05).
     */
    private static final String PROTO_MEMBERS = """
            protos = []
            class E(enum.Enum):
                def __new__(cls, value):
                    if not protos:
                        protos.extend(v for v in vars(cls).values() if type(v).__name__ == '_proto_member')
                    obj = object.__new__(cls)
                    obj._value_ = value
                    return obj
                a = 1
                b = 2
            """;

    /** An exception of the script's, its dict view taken, then a traceback planted in a private attribute. */
    private static final String PLANTED_TRACEBACK = """
            class E(Exception):
                pass
            e = E()
            v = vars(e)
            try:
                1 / 0
            except ZeroDivisionError as x:
                tb = x.__traceback__
            e._tb = tb
            """;

    /**
     * Pure classes of the script's (P, and S with slots, a private one among them) under script classes with
     * FeedParser among their bases, whose __init__ fills the instances' dicts and the private slot.
     */
    private static final String FEEDPARSER_SUBCLASSES = """
            from email.feedparser import FeedParser
            class P:
                pass
            class F(P, FeedParser):
                pass
            f = F()
            class S:
                __slots__ = ('_input', 'x', '__dict__')
            class H(S, FeedParser):
                pass
            h = H()
            """;

    /** A pure dataclass with a private field, and an object that catches what a comparison hands it. */
    private static final String PRIVATE_FIELD_DATACLASS = """
            @dataclasses.dataclass
            class D:
                _os: object
            seen = []
            class Catcher:
                def __eq__(self, other):
                    seen.append(other)
                    return True
            """;

    @BeforeAll
    static void open() {
        // generous timeouts: these check confinement, not speed, on machines that may be loaded
        sandbox = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).enable(Feature.DATETIME)
                .enable(Feature.MATH).timeout(Duration.ofSeconds(120)).build());
        wide = new Sandbox(SandboxConfig.builder().allowModule("operator").allowModule("string")
                .allowModule("sys", "version").allowModule("math", "sqrt").timeout(Duration.ofSeconds(120)).build());
        paths = new Sandbox(SandboxConfig.builder().allowModule("pathlib", "PurePosixPath")
                .allowModule("dbm.dumb", "_Database").allowModule("operator")
                .timeout(Duration.ofSeconds(120)).build());
        typed = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("typing").allowModule("string")
                .allowModule("json").allowModule("collections").allowModule("enum").allowModule("operator")
                .allowModule("calendar").allowModule("calendar", "c").timeout(Duration.ofSeconds(120)).build());
    }

    @AfterAll
    static void close() {
        sandbox.close();
        wide.close();
        paths.close();
        typed.close();
    }

    /** What every attack must leave as it was: the builtins, the module views and the import wall. */
    private static void intact() throws ScriptException {
        assertThat(sandbox.eval("len('abc') == 3 and abs(-1) == 1 and type(__builtins__).__name__ == 'BuiltinsView'"))
                .isEqualTo(true);
        assertThat(sandbox.eval("import re, datetime\n[hasattr(re.Pattern, 'planted'), hasattr(datetime.date, 'planted'),"
                + " hasattr(__builtins__, 'planted'), hasattr(re, 'planted')]"))
                .isEqualTo(List.of(false, false, false, false));
        assertThatThrownBy(() -> sandbox.execute("import os")).isInstanceOf(SandboxViolationException.class);
    }

    // -- real builtins: never in a namespace the guest holds, during exec/eval or the last expression ----
    @ParameterizedTest
    @ValueSource(strings = {
        "type(globals().get('__builtins__')).__name__",
        "g = {}\nexec(\"r = type(globals().get('__builtins__')).__name__\", g)\ng['r']",
        "g = {}\nexec('pass', g)\ntype(g['__builtins__']).__name__",
        "g, l = {}, {}\nexec(\"r = type(globals().get('__builtins__')).__name__\", g, l)\nl['r']",
        "eval(\"type(globals().get('__builtins__')).__name__\", {})",
        "def f():\n    return type(globals().get('__builtins__')).__name__\ng = {'f': f}\neval('f()', g)",
        "exec(\"r2 = type(globals()['__builtins__']).__name__\")\nr2",
        "class C:\n    seen = type(globals().get('__builtins__')).__name__\nC.seen",
        "type(vars().get('__builtins__')).__name__",
    })
    void realBuiltinsDictIsNeverInTheGuestsGlobals(String code) throws ScriptException {
        assertThat(sandbox.eval(code)).as(code).isEqualTo("BuiltinsView");
        intact();
    }

    @Test
    void realBuiltinsCannotBeReachedToPlantForLaterRuns() throws ScriptException {
        for (String attempt : new String[] {
            "g = {}\nexec(\"globals()['__builtins__']['planted'] = 1\", g)",
            "exec(\"__builtins__['planted'] = 1\")",
            "eval(\"globals()['__builtins__'].__setitem__('planted', 1)\", {})",
        }) {
            assertThatThrownBy(() -> sandbox.execute(attempt)).as(attempt).isInstanceOf(ScriptException.class);
            assertThatThrownBy(() -> sandbox.eval("planted")).as(attempt).hasMessageContaining("NameError");
            intact();
        }
    }

    // -- guards: their names are not known to the guest, so shadowing the old fixed names does nothing -----
    @ParameterizedTest
    @ValueSource(strings = {
        "globals()['__pysandbox_store__'] = lambda o, n: o\nimport re\nre.Pattern.planted = 1",
        "g = {'__pysandbox_store__': lambda o, n: o}\nexec('import re\\nre.Pattern.planted = 1', g)",
        "l = {'__pysandbox_store__': lambda o, n: o}\nexec('import re\\nre.Pattern.planted = 1', {}, l)",
        "class M(type):\n    @classmethod\n    def __prepare__(m, name, bases):\n"
            + "        return {'__pysandbox_store__': lambda o, n: o}\n"
            + "import re\nclass X(metaclass=M):\n    re.Pattern.planted = 1",
        "globals()['__pysandbox_dict__'] = lambda o: o\nimport re\nd = re.__dict__\nd['planted'] = 1",
    })
    void shadowingGuardNamesDoesNotDisableThem(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(ScriptException.class);
        intact();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "[k for k in globals() if 'pysandbox' in k]",
        "[k for k in dir() if 'pysandbox' in k]",
        "[k for k in dir(__builtins__) if 'pysandbox' in k]",
        "g = {}\nexec('import re\\nclass A:\\n    x = 1\\nA.x = 2', g)\n[k for k in g if 'pysandbox' in k]",
        "class A:\n    names = [k for k in locals() if 'pysandbox' in k and 'owned' not in k]\nA.names",
        "def f():\n    match 3:\n        case int(x):\n            pass\n    return [k for k in locals() if 'pysandbox' in k]\nf()",
        "class P:\n    __match_args__ = ('a',)\n    a = 1\nmatch P():\n    case P(v):\n        pass\n"
            + "[k for k in globals() if 'pysandbox' in k]",
    })
    void guardNamesAppearInNoNamespaceTheGuestCanRead(String code) throws ScriptException {
        assertThat(sandbox.eval(code)).as(code).isEqualTo(List.of());
    }

    // -- ownership: only what a checked class body made is the script's --------------------------------
    @ParameterizedTest
    @ValueSource(strings = {
        "class X(metaclass=lambda *a: __builtins__): pass\nX.planted = 1",
        "import re\nclass X(metaclass=lambda *a: re.Pattern): pass\nX.planted = 1",
        "import datetime\nclass X(metaclass=lambda *a: datetime.date): pass\nX.planted = 1",
        "import re\nclass X(metaclass=lambda *a: re): pass\nX.planted = 1",
        "import re\nclass X(metaclass=lambda *a: re.compile('x')): pass\nX.planted = 1",
        "import re\ndef deco(c):\n    return re.Pattern\n@deco\nclass X: pass\nX.planted = 1",
        "import re\n@(lambda f: re.Pattern)\ndef f(): pass\nf.planted = 1",
        "import re\nsetattr(re.Pattern, '__pysandbox_owned__', True)",
        "import re\nobject.__setattr__(re.compile('x'), 'planted', 1)",
        "import re\ntype.__setattr__(re.Pattern, 'planted', 1)",
        "object.__setattr__(__builtins__, 'planted', 1)",
        "import re\nre.compile('x').__setattr__('planted', 1)",
        "import re\nobject.__delattr__(re, 'compile')",
        "import datetime\nclass D(datetime.date):\n    pass\nsuper(D, D).__setattr__('planted', 1)",
        "import re\ngetattr(object, '__setattr__')(re.compile('x'), 'planted', 1)",
        "import re\ngetattr(type, '__setattr__')(re.Pattern, 'planted', 1)",
        "import re\ngetattr(re.compile('x'), '__setattr__')('planted', 1)",
        "import re\nobject.__getattribute__(object, '__setattr__')(re.compile('x'), 'planted', 1)",
        "import re\nclass M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ('__setattr__',)\n"
            + "match re.compile('x'):\n    case E(s):\n        s('planted', 1)",
    })
    void existingObjectsNeverBecomeTheScripts(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(ScriptException.class);
        assertThat(sandbox.eval("import re\nre.compile('a').match('a') is not None")).isEqualTo(true);
        intact();
    }

    /**
     * A store to a function's local ({@code o.x = v}) is written as the store guard's own first test at the
     * site, {@code (o if getattr(type(o), MARK, False) is True else guard(o, 'x')).x = v}, which reads
     * {@code o} twice. The test can run guest code (a metaclass's {@code __getattribute__}, which may answer
     * True for the mark); if that code could rebind {@code o} between the two reads, a foreign object would
     * be stored to unchecked. Attacks
     * from reading the rewrite: the rebinding through a global, through a nested scope's nonlocal, and the
     * names the test uses shadowed.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        // a global is not a local: its store keeps the guard call, which reads it once
        "import re\nclass M(type):\n    def __getattribute__(c, n):\n        global o\n        o = re.RegexFlag\n"
            + "        return True\nclass Mine(metaclass=M): pass\no = Mine()\n"
            + "def f():\n    o.planted = 1\nf()\nf()",
        // a local that a nested scope declares nonlocal can be rebound from another frame
        "import re\nclass M(type):\n    def __getattribute__(c, n):\n        hook[0]()\n"
            + "        return True\nclass Mine(metaclass=M): pass\nhook = [None]\n"
            + "def outer():\n    o = Mine()\n    def rebind():\n        nonlocal o\n        o = re.RegexFlag\n"
            + "    hook[0] = rebind\n    o.planted = 1\n    o.planted = 2\nouter()",
        // the same through a class body nested in the function
        "import re\nclass M(type):\n    def __getattribute__(c, n):\n        hook[0]()\n"
            + "        return True\nclass Mine(metaclass=M): pass\nhook = [None]\n"
            + "def outer():\n    o = Mine()\n    def make():\n        class K:\n            nonlocal o\n"
            + "            o = re.RegexFlag\n    hook[0] = make\n    o.planted = 1\n    o.planted = 2\nouter()",
        // a walrus in a nested comprehension, resumed by the metaclass, rebinds the function's local (fourth
        // review); and a 'for o.x in' target inside a comprehension
        "import re\nT = re.RegexFlag\nclass M(type):\n    def __getattribute__(cls, name):\n        next(G[0])\n"
            + "        return True\nclass C(metaclass=M): pass\nG = []\ndef f(o):\n"
            + "    G.append(((o := T) for _ in [1]))\n    o.planted = 1\nf(C())",
        "import re\nT = re.RegexFlag\nH = []\nclass M(type):\n    def __getattribute__(cls, name):\n"
            + "        next(H[0])\n        return True\nclass C(metaclass=M): pass\ndef f(o):\n"
            + "    outer = ((0 for o.planted in [1]) for o in [C(), T])\n    inner = next(outer)\n"
            + "    H.append(outer)\n    list(inner)\nf(None)",
    })
    void aStoreTestedAtItsSiteNeverStoresToAnObjectItDidNotTest(String code) throws ScriptException {
        try {
            sandbox.execute(code);
        } catch (ScriptException refused) {
            // refused is as good as not planted
        }
        // an enum class of a trusted module: Python code, which takes new attributes when nothing checks
        assertThat(sandbox.eval("import re\nhasattr(re.RegexFlag, 'planted')")).as(code).isEqualTo(false);
        intact();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "import re\ndef f(o):\n    o.planted = 1\nf(re.Pattern)",
        "import re\ndef f(o):\n    o.planted = 1\nf(re)",
        "import datetime\ndef f(o):\n    o.planted = 1\nf(datetime.date)",
        "import datetime\ndef f(o):\n    del o.today\nf(datetime.date)",
        "import datetime\ndef f(o):\n    o.planted += 1\nf(datetime.date)",
        "import re\ndef f(o, type=lambda x: f, getattr=lambda *a: True):\n    o.planted = 1\nf(re.Pattern)",
        "import re\ndef f():\n    type = getattr = lambda *a: True\n    o = re.Pattern\n    o.planted = 1\nf()",
        "import re\ndef f(*args, **kw):\n    o = args[0]\n    for p in (o,):\n        p.planted = 1\nf(re.Pattern)",
    })
    void aLocalHoldingAForeignObjectIsStillRefusedAtAStoreTestedAtItsSite(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(ScriptException.class)
                .hasMessageContaining("blocked by the sandbox");
        intact();
    }

    // -- match: class patterns read attributes only through the same rules as getattr ---------------------
    @ParameterizedTest
    @ValueSource(strings = {
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ('__globals__',)\ndef f(): pass\n"
            + "match f:\n    case E(g):\n        result = g",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ('gi_frame',)\ndef gen(): yield 1\n"
            + "match gen():\n    case E(fr):\n        result = fr",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ('__dict__',)\nimport re\n"
            + "match re:\n    case E(d):\n        d['planted'] = 1",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M): pass\ntry:\n    [].nope\nexcept AttributeError as err:\n"
            + "    match err:\n        case E(obj=o):\n            result = o",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ('format',)\n"
            + "match '{0.__globals__}':\n    case E(fmt):\n        result = fmt(lambda: 0)",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "    @property\n    def __match_args__(c):\n        return ('__class__', '__subclasses__')\n"
            + "class E(metaclass=M): pass\nmatch 1:\n    case E(a, b):\n        result = b()",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class S(str):\n    def __eq__(self, o): return True\n    def __hash__(self): return 1\n"
            + "class E(metaclass=M):\n    __match_args__ = (S('__globals__'),)\ndef f(): pass\n"
            + "match f:\n    case E(g):\n        result = g",
        "class M(type):\n    def __instancecheck__(c, o): return True\n"
            + "class E(metaclass=M):\n    __match_args__ = ['f_back']\nmatch 1:\n    case E(g):\n        result = g",
    })
    void classPatternsCannotReadGuardedOrBlockedAttributes(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(ScriptException.class);
        intact();
    }

    // -- allow-lists: what an allowed module hands out applies the same name rules ------------------------
    @ParameterizedTest
    @ValueSource(strings = {
        "import operator\nresult = operator.attrgetter('__globals__')(lambda: 0)",
        "import operator\nresult = operator.attrgetter('a.__class__.__subclasses__')",
        "import operator\nresult = operator.methodcaller('format', lambda: 0)('{0.__globals__}')",
        "import operator\nresult = operator.methodcaller('__getattribute__', '__globals__')(lambda: 0)",
        "import string\nresult = string.Formatter().format('{0.__globals__}', lambda: 0)",
        "import string\nresult = string.Formatter().get_field('0.__globals__', (lambda: 0,), {})",
        "import string\nclass F(string.Formatter): pass\nresult = super(F, F()).get_field('0.__globals__', (lambda: 0,), {})",
        // the checked formatter is Python of the policy's own: a subclass or a patched class that feeds it a
        // walk through its parse, or that calls its _vformat directly, still meets the checked get_field
        "import string\nclass F(string.Formatter):\n    def parse(self, s):\n        return [('', '0.__globals__', '', None)]\n"
                + "result = F().format('{}', lambda: 0)",
        "import string\nstring.Formatter.parse = lambda self, s: [('', '0.__globals__', '', None)]\n"
                + "result = '{0.real}'.format(lambda: 0)",
        "import string\nresult = string.Formatter()._vformat('{0.__globals__}', (lambda: 0,), {}, set(), 99)",
        "import string\nresult = string.Formatter().vformat('{:{0.__globals__}}', (lambda: 0,), {})",
        "import sys\nresult = sys.settrace",
        "from sys import settrace",
        "from sys import modules",
        "import sys\nresult = sys.modules['os']",
    })
    void allowedModulesHandOutNoRawAccess(String code) throws ScriptException {
        assertThatThrownBy(() -> wide.execute(code)).as(code).isInstanceOf(SandboxViolationException.class);
        assertThat(wide.eval("import operator, string\n[operator.attrgetter('real')(3), "
                + "string.Formatter().format('{0.real}', 2)]")).isEqualTo(List.of(3, "2"));
    }

    /**
     * Review attack: a guest's special method that is the builtin locals (or vars) itself, reached through a
     * callable iterator with no guest frame in between, is called from the policy's own frame (here the
     * checked formatter's convert_field) and read that frame's locals.
     */
    @ParameterizedTest
    @ValueSource(strings = {"locals", "vars"})
    void aPolicyFramesLocalsAreNotReadThroughASpecialMethod(String reader) throws ScriptException {
        String payload = "store = []\nclass S:\n    __str__ = staticmethod(map(store.append, iter(" + reader
                + ", None)).__next__)\n";
        assertThatThrownBy(() -> wide.execute(payload + "'{0[0]!s}'.format([S()])"))
                .isInstanceOf(SandboxViolationException.class).hasMessageContaining("sandbox internals");
        assertThat(wide.eval(payload + "try:\n    '{0[0]!s}'.format([S()])\nexcept Exception:\n    pass\n"
                + "[sorted(d) for d in store if isinstance(d, dict)]")).isEqualTo(List.of());
        // locals() and vars() in the guest's own frames still answer
        assertThat(wide.eval("def f(a):\n    return sorted(locals()) + sorted(vars())\nf(1)")).isEqualTo(List.of("a", "a"));
    }

    @Test
    void anUnallowedSymbolNamesTheSetting() {
        assertThatThrownBy(() -> wide.execute("from math import floor"))
                .isInstanceOf(SandboxViolationException.class).hasMessageContaining("allowModule(\"math\", \"floor\")");
    }

    // -- class creation (classes.py): a policy function now runs every class statement ------------------
    // Each class below has a method, which is what sends it through the policy's __build_class__.
    @ParameterizedTest
    @ValueSource(strings = {
        "__build_class__",
        "getattr(__builtins__, '__build_class__')",
        "__builtins__.__build_class__",
        "vars(__builtins__)['__build_class__']",
        "[v for v in vars(__builtins__).values() if getattr(v, '__name__', '') == 'build_class'][0]",
    })
    void theClassBuilderIsNotHandedToTheGuest(String reach) throws ScriptException {
        Object outcome;
        try {
            outcome = sandbox.eval("try:\n    got = " + reach + "\nexcept Exception:\n    got = None\ncallable(got)");
        } catch (SandboxViolationException refusedByTheChecker) {
            outcome = refusedByTheChecker.getMessage();
        }
        assertThat(outcome).as(reach).isNotEqualTo(true);
        intact();
    }

    @ParameterizedTest
    @ValueSource(strings = {"locals", "vars", "globals", "dir", "eval", "exec"})
    void theClassBuildersFrameIsNotReadThroughTheCallsItMakes(String reader) throws ScriptException {
        // the policy frame calls the metaclass, a non-class metaclass's __prepare__ (through the original
        // __build_class__) and __mro_entries__: each wired straight to a frame reader, and to a callable
        // iterator that calls the reader with no arguments. A class body may not bind those two names, but
        // a decorator can put any object under a def's name.
        String zeroArguments = "map(store.append, iter(" + reader + ", None)).__next__";
        String[] slots = {
            "class C(metaclass=" + reader + "):\n    def f(self): pass\n",
            "class C(metaclass=" + zeroArguments + "):\n    def f(self): pass\n",
            "class Meta:\n    @(lambda f: staticmethod(" + reader + "))\n    def __prepare__(): pass\n"
                + "    def __call__(self, *a): return a\nclass C(metaclass=Meta()):\n    def f(self): pass\n",
            "class Meta:\n    @(lambda f: staticmethod(" + zeroArguments + "))\n    def __prepare__(): pass\n"
                + "    def __call__(self, *a): return a\nclass C(metaclass=Meta()):\n    def f(self): pass\n",
            "class Entry:\n    @(lambda f: staticmethod(" + reader + "))\n    def __mro_entries__(): pass\n"
                + "class C(Entry()):\n    def f(self): pass\n",
            "class Entry:\n    @(lambda f: staticmethod(" + zeroArguments + "))\n    def __mro_entries__(): pass\n"
                + "class C(Entry()):\n    def f(self): pass\n",
            // type() calls __init_subclass__ with no arguments, from inside the policy's metaclass call
            // (the review's route: dir() listed that frame's names until it checked the frame too)
            "class Base:\n    __init_subclass__ = staticmethod(" + zeroArguments + ")\n"
                + "class C(Base):\n    def f(self): pass\n",
        };
        for (String slot : slots) {
            Object seen = sandbox.eval("store = []\ntry:\n" + slot.indent(4) + "except Exception as e:\n"
                    + "    store.append(type(e).__name__)\n"
                    + "[sorted(d) if isinstance(d, (dict, list)) else type(d).__name__ for d in store]");
            assertThat(seen.toString()).as(slot).doesNotContain("resolved", "metaclass", "kwds", "func", "chosen",
                    "namespace", "_original_build_class", "_CELL", "function");
        }
        intact();
    }

    // A class body looks names up in its namespace first: a __prepare__ mapping was asked for each guard by
    // name and could answer with anything (review finding, 2026-12-04; a full escape through a class pattern).
    @ParameterizedTest
    @ValueSource(strings = {"", "        def f(self): pass\n"})
    void aClassNamespaceMappingIsNeverAskedForAGuard(String method) throws ScriptException {
        String payload = """
                asked = []
                class Yes(type):
                    def __instancecheck__(cls, obj): return True
                class Fake(metaclass=Yes):
                    __match_args__ = ('__globals__',)
                class NS(dict):
                    def __getitem__(self, key):
                        asked.append(key)
                        if key.startswith('__pysandbox_') and key.endswith('_match__'): return lambda s, *a: s
                        if key.startswith('__pysandbox_') and '_match_' in key: return Fake
                        if key.startswith('__pysandbox_') and key.endswith('_store__'): return lambda o, n: o
                        return dict.__getitem__(self, key)
                    def __missing__(self, key):
                        asked.append(key)
                        raise KeyError(key)
                class M(type):
                    def __prepare__(name, bases): return NS()
                got = []
                try:
                    class C(metaclass=M):
                        ITEM = 1
                %s        try:
                            getattr.planted = 1
                        except Exception:
                            pass
                        match getattr:
                            case Fake(g): got.append(g)
                except Exception:
                    pass
                [len(got), hasattr(getattr, 'planted'), [k for k in asked if k.startswith('__pysandbox_')]]
                """.formatted(method);
        assertThat(sandbox.eval(payload)).isEqualTo(List.of(0, false, List.of()));
        intact();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "exec('getattr.planted = 1', {}, L())",
        "eval('getattr', {}, L())",
        "exec('getattr.planted = 1', {}, Map())",
    })
    void execAndEvalRefuseALocalsMappingThatIsNotADict(String run) throws ScriptException {
        String mappings = """
                class L(dict):
                    def __getitem__(self, key):
                        return (lambda o, n: o) if key.endswith('_store__') else dict.__getitem__(self, key)
                    def __missing__(self, key):
                        raise KeyError(key)
                class Map:
                    def __init__(self): self.d = {}
                    def __getitem__(self, key):
                        return (lambda o, n: o) if key.endswith('_store__') else self.d[key]
                    def __setitem__(self, key, value): self.d[key] = value
                """;
        assertThatThrownBy(() -> wide.execute(mappings + run))
                .isInstanceOf(SandboxViolationException.class).hasMessageContaining("locals mapping other than a dict");
        assertThat(wide.eval("hasattr(getattr, 'planted')")).isEqualTo(false);
        // a dict still works, and so does exec in a class body whose namespace is a dict
        assertThat(wide.eval("l = {}\nexec('x = len([1])', {}, l)\nl['x']")).isEqualTo(1);
        assertThat(wide.eval("class K:\n    exec('y = 2')\nK.y")).isEqualTo(2);
    }

    @Test
    void theRawAsyncGeneratorAndItsAwaitablesStayOutOfReach() throws ScriptException {
        // the async generator's wrapper and each awaitable it hands out hold the raw object in a dunder slot:
        // every way to read that slot, or a frame or code through them, is refused, and a wrapper the script
        // makes itself cannot be pointed at an object of its choice
        Object result = wide.eval("""
                import operator
                async def ag():
                    yield 1
                reached = []
                def attempt(label, action):
                    try:
                        action()
                        reached.append(label)
                    except (AttributeError, TypeError, KeyError, IndexError):
                        pass
                slot = '__pysandbox_' + 'generator__'
                for obj in (ag(), ag().__anext__(), ag().asend(None), ag().athrow(ValueError), ag().aclose()):
                    attempt('getattr', lambda: getattr(obj, slot))
                    for name in ('ag_frame', 'ag_code', 'ag_await', 'gi_frame', 'gi_code', 'cr_frame', 'cr_await'):
                        attempt(name, lambda: getattr(obj, name))
                    attempt('vars', lambda: vars(obj))
                    attempt('class dict', lambda: type(obj).__dict__[slot])
                    attempt('mro', lambda: getattr(type(obj), '__mro__'))
                    attempt('attrgetter', lambda: operator.attrgetter(slot)(obj))
                    attempt('format', lambda: '{0.__pysandbox_generator__}'.format(obj))
                    made = type(obj)()
                    attempt('setattr', lambda: setattr(made, slot, len))
                    attempt('object setattr', lambda: object.__setattr__(made, slot, len))
                    attempt('dir', lambda: [n for n in dir(obj) if 'pysandbox' in n][0])
                reached
                """);
        assertThat(result).isEqualTo(List.of());
        assertThatThrownBy(() -> wide.eval("""
                async def ag():
                    yield 1
                g = ag()
                match g:
                    case object(__pysandbox_generator__=raw):
                        pass
                """)).isInstanceOf(SandboxViolationException.class);
        intact();
    }

    // A parameter's ownership test is taken once per call when nothing rebinds the parameter
    // (checker._hoist_ownership_tests): each way to rebind it, or to change what it names, after the test
    // must leave its store sites testing again, so the module is never written.
    @ParameterizedTest
    @ValueSource(strings = {
        "o = T",
        "o += T",
        "for o in [T]:\n        pass",
        "with Swap() as o:\n        pass",
        "try:\n        raise E\n    except E as o:\n        pass\n    o = T",
        "import re as o\n    o = T",
        "from re import RegexFlag as o",
        "def o():\n        pass\n    o = T",
        "class o:\n        pass\n    o = T",
        "match T:\n        case o:\n            pass",
        "match [T]:\n        case [*o]:\n            o = o[0]",
        "match {'k': T}:\n        case {**o}:\n            o = o['k']",
        "[(o := T) for _ in '1']",
        "(o := T)",
        "del o\n    o = T",
        "def inner():\n        nonlocal o\n        o = T\n    inner()",
        // exec cannot rebind a function's local at all: the stores go to the script's own object
        "exec('o = T', globals(), locals())",
    })
    void aParameterRebindsOnlyWithItsStoresTestedAgain(String rebind) throws ScriptException {
        String script = """
                import re
                T = re.RegexFlag  # a class of the standard library, writable by raw stores: the target
                class E(Exception):
                    pass
                class Swap:
                    def __enter__(self):
                        return T
                    def __exit__(self, *exc):
                        return False
                class Mine:
                    def __iadd__(self, other):
                        return other
                def change(o):
                    o.first = 1
                    %s
                    o.planted = 1
                    o.planted2 = 2
                outcome = []
                try:
                    change(Mine())
                    outcome.append('stored')
                except TypeError as e:
                    outcome.append(type(e).__name__)
                outcome + [hasattr(T, 'planted'), hasattr(T, 'planted2')]
                """.formatted(rebind);
        String expected = rebind.startsWith("exec") ? "stored" : "ReadOnlyError";
        assertThat(sandbox.eval(script)).as(rebind).isEqualTo(List.of(expected, false, false));
        intact();
    }

    // Inside a class the compiler mangles private names: '__p' in a method of C is the variable _C__p. The
    // checker compared spellings, so '__p = T' rebound a parameter spelled _C__p (and the reverse) after its
    // test was taken once, and 'nonlocal __p' in a nested function did it from another frame, past the test
    // at the site (review, 2026-12-05; each wrote onto re.RegexFlag)
    @ParameterizedTest
    @ValueSource(strings = {
        "_C__p|__p = T",
        "__p|_C__p = T",
        "_C__p|for __p in [T]:\n            pass",
        "_C__p|import re as __p\n        __p = T",
        "_C__p|try:\n            raise E\n        except E as __p:\n            pass\n        __p = T",
        "_C__p|match T:\n            case __p:\n                pass",
        "_C__p|def inner():\n            nonlocal __p\n            __p = T\n        inner()",
        "__p|def inner():\n            nonlocal _C__p\n            _C__p = T\n        inner()",
        "_C__p|(__p := T)",
    })
    void aPrivateNameRebindsItsMangledSpellingToo(String parameterAndRebind) throws ScriptException {
        String[] parts = parameterAndRebind.split("\\|", 2);
        String script = """
                import re
                T = re.RegexFlag
                class E(Exception):
                    pass
                class Mine:
                    pass
                class C:
                    def change(self, %1$s):
                        %1$s.first = 1
                        %2$s
                        %1$s.planted = 1
                        %1$s.planted2 = 2
                outcome = []
                try:
                    C().change(Mine())
                    outcome.append('stored')
                except TypeError as e:
                    outcome.append(type(e).__name__)
                outcome + [hasattr(T, 'planted'), hasattr(T, 'planted2')]
                """.formatted(parts[0], parts[1]);
        assertThat(sandbox.eval(script)).as(parameterAndRebind).isEqualTo(List.of("ReadOnlyError", false, false));
        // and through a metaclass that rebinds the parameter from a nested function while the site tests it
        Object planted = sandbox.eval("""
                import re
                class Meta(type):
                    def __getattribute__(cls, name):
                        if name == '__pysandbox_owned__' and HOOK:
                            HOOK.pop()()
                            return True
                        return type.__getattribute__(cls, name)
                class A(metaclass=Meta):
                    pass
                HOOK = []
                class C:
                    def m(self, _C__p):
                        def rebind():
                            nonlocal __p
                            __p = re.RegexFlag
                        HOOK.append(rebind)
                        _C__p.pwned = 3
                C().m(A())
                hasattr(re.RegexFlag, 'pwned')
                """);
        assertThat(planted).isEqualTo(false);
        intact();
    }

    // __a__b in class C and __b in class C__a (or _C__a) are one variable, _C__a__b: a name's private tails
    // must include every __ tail, whatever the name starts with (review, 2026-12-05)
    @ParameterizedTest
    @ValueSource(strings = {
        "class C:\n    def m(self, __a__b):\n        class _C__a:\n            nonlocal __b\n            __b = T\n"
            + "        __a__b.x = 1\n        __a__b.y = 2\nC().m(Mine())",
        "class C__a:\n    def m(self, __b):\n        class C:\n            nonlocal __a__b\n            __a__b = T\n"
            + "        __b.x = 1\n        __b.y = 2\nC__a().m(Mine())",
        "hook = []\nclass Meta(type):\n    def __getattribute__(cls, name):\n        if hook:\n            hook.pop()()\n"
            + "        return True\nclass Own(metaclass=Meta):\n    pass\nclass C:\n    def m(self, __a__b):\n"
            + "        class _C__a:\n            def inner(self):\n                nonlocal __b\n                __b = T\n"
            + "        hook.append(_C__a().inner)\n        __a__b.x = 1\nC().m(Own())",
    })
    void aNameWithPrivatePartsRebindsEverySpellingOfItsVariable(String attack) throws ScriptException {
        Object planted;
        try {
            planted = sandbox.eval("import re\nT = re.RegexFlag\nclass Mine:\n    pass\n" + attack
                    + "\nhasattr(T, 'x') or hasattr(T, 'y')");
        } catch (SandboxViolationException refused) {
            planted = sandbox.eval("import re\nhasattr(re.RegexFlag, 'x') or hasattr(re.RegexFlag, 'y')");
        }
        assertThat(planted).as(attack).isEqualTo(false);
        intact();
    }

    @Test
    void aParametersClassCannotChangeAfterItsOwnershipTest() throws ScriptException {
        // the test taken once on entry stands for the whole call only while type(param) cannot change
        Object result = sandbox.eval("""
                import re
                class Mine:
                    pass
                refused = []
                def change(o, how):
                    o.first = 1
                    try:
                        how(o)
                    except (AttributeError, TypeError) as e:
                        refused.append(type(e).__name__)
                    o.second = 2
                    return type(o).__name__
                kinds = [change(Mine(), lambda o: setattr(o, '__class__', re.RegexFlag)),
                         change(Mine(), lambda o: object.__setattr__(o, '__class__', re.Match)),
                         change(Mine(), lambda o: type(o).__setattr__(o, '__class__', type(re)))]
                [kinds, len(refused)]
                """);
        assertThat(result).isEqualTo(List.of(List.of("Mine", "Mine", "Mine"), 3));
        assertThatThrownBy(() -> sandbox.execute("def f(o):\n    o.x = 1\n    o.__class__ = int\n    o.y = 2\n"))
                .isInstanceOf(SandboxViolationException.class);
        intact();
    }

    @Test
    void theCountingWrappersCannotBeMadeToWriteOntoOtherObjects() throws ScriptException {
        // the generator wrapper's __init__ wrote its slot raw onto any object it was called with:
        // type(coroutine).__init__(re, x) put a name onto the re module, past the ownership rule (review,
        // 2026-12-05; the coroutine wrapper of that day made the class one type() away)
        Object result = sandbox.eval("""
                import re
                async def a():
                    return 1
                def g():
                    yield 1
                async def ag():
                    yield 1
                outcomes = []
                for wrapper in (a(), g(), ag(), ag().__anext__()):
                    for target in (re, re.RegexFlag, len):
                        try:
                            type(wrapper).__init__(target, 'planted')  # object.__init__ now: it writes nothing
                        except TypeError:
                            pass
                        try:
                            type(wrapper)(target)
                            outcomes.append('made')
                        except TypeError:
                            outcomes.append('refused')
                [outcomes, [n for n in dir(re) + dir(re.RegexFlag) + dir(len) if 'pysandbox' in n]]
                """);
        assertThat(result).isEqualTo(List.of(java.util.Collections.nCopies(12, "refused"), List.of()));
        intact();
    }

    /**
     * except* is refused before anything is compiled. GraalPy 25.0 cannot run it, and compiles it only from
     * source text, so the checked tree's text (ast.unparse) was compiled instead: a compile-stage SyntaxError
     * carried that text, guard names and token included (review, 2026-12-05), and ast.unparse wrote an
     * f-string format spec's '{' as '{{', which the compiler read as a nested field: code the checker saw as
     * a string ran unchecked, and reached the real builtins, the token and the real sys (review 15,
     * 2026-12-06; the floor refused files, sockets and host classes). The except* is never run, only there.
     */
    @Test
    void exceptStarIsRefusedBeforeAnyTextIsCompiled() throws ScriptException {
        String injection = """
                class F:
                    def __format__(self, spec): return ''
                x, R = F(), None
                f"{x:\\x7bid(R := ().__class__.__base__.__subclasses__)\\x7d}"
                reached = R
                if 0:
                    try: pass
                    except* ValueError: pass
                """;
        Map<String, Object> globals = new HashMap<>();
        assertThatThrownBy(() -> sandbox.execute(injection, globals))
                .isInstanceOf(SandboxViolationException.class).hasMessageContaining("except*")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("__pysandbox_"));
        assertThat(globals.get("reached")).isNull();
        // the same through the guest's own exec, also with a compile-stage error after it
        Object seen = sandbox.eval("""
                seen = []
                spec = 'class F:\\n def __format__(s, p): return ""\\nf"{F():\\\\x7bid(len)\\\\x7d}"\\n'
                for source in (spec + 'try: pass\\nexcept* ValueError: pass\\n',
                               'try:\\n    pass\\nexcept* ValueError:\\n    pass\\nreturn getattr.__dict__\\n',
                               'def f():\\n    try:\\n        pass\\n    except* ValueError:\\n        return\\n'):
                    try:
                        exec(source)
                        seen.append('ran')
                    except Exception as e:
                        seen.append(type(e).__name__ + ': ' + str(e))
                seen
                """);
        assertThat((List<?>) seen).hasSize(3).allSatisfy(outcome -> assertThat(outcome.toString())
                .startsWith("OperationBlocked").contains("except*").doesNotContain("__pysandbox_"));
        intact();
    }

    @Test
    void tracebackExceptionWithItsCapturedLocalsIsNeverAllowed() {
        // capture_locals=True gives the reprs of every frame's locals, the policy's frames included (a match
        // site's name among them, and with it the token)
        for (String symbol : new String[] {"TracebackException", "StackSummary"}) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule("traceback", symbol))
                    .as(symbol).isInstanceOf(org.pysandbox.config.SandboxConfigurationException.class);
        }
        try (Sandbox traceback = new Sandbox(SandboxConfig.builder().enable(Feature.TRACEBACK).build())) {
            assertThatThrownBy(() -> traceback.execute("from traceback import TracebackException"))
                    .isInstanceOf(SandboxViolationException.class);
            assertThatThrownBy(() -> traceback.execute("import traceback\ntraceback.StackSummary"))
                    .isInstanceOf(ScriptException.class);
        }
    }

    @Test
    void aMetaclassReceivesOnlyTheScriptsOwnObjects() throws ScriptException {
        assertThat(sandbox.eval("""
                got = []
                def meta(name, bases, namespace, **kw):
                    got.append([type(name).__name__, [b.__name__ for b in bases], type(namespace).__name__,
                                sorted(k for k in namespace if k != '__pysandbox_owned__'), kw])
                    return 1
                class B:
                    pass
                class C(B, metaclass=meta, extra=2):
                    def f(self): pass
                got
                """)).isEqualTo(List.of(List.of("str", List.of("B"), "dict",
                        List.of("__module__", "__qualname__", "f"), Map.of("extra", 2))));
        intact();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "class X(metaclass=lambda *a: __builtins__):\n    def f(self): pass\nX.planted = 1",
        "import re\nclass X(metaclass=lambda *a: re.Pattern):\n    def f(self): pass\nX.planted = 1",
        "import re\nclass X(metaclass=lambda *a: re):\n    def f(self): pass\nX.planted = 1",
        "import datetime\nclass M(type):\n    def __new__(m, *a): return datetime.date\n"
            + "class X(metaclass=M):\n    def f(self): pass\nX.planted = 1",
    })
    void aMetaclassReturningAnExistingObjectStillDoesNotMakeItTheScripts(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(ScriptException.class);
        intact();
    }

    @Test
    void classCreationWithoutEndEndsInARecursionError() throws ScriptException {
        // every level adds the policy's frames to the guest's; the count still ends it, and nothing crashes
        assertThatThrownBy(() -> sandbox.execute("""
                class Base:
                    def __init_subclass__(cls, **kw):
                        class Deeper(cls):
                            def f(self): pass
                class Start(Base):
                    def f(self): pass
                """)).isInstanceOf(ScriptException.class).hasMessageContaining("RecursionError");
        assertThat(sandbox.eval("class Fine:\n    def f(self): return 5\nFine().f()")).isEqualTo(5);
        intact();
    }

    // -- module views: the originals a trusted module is given are not its symbols ------------------------
    /**
     * The policy puts the original builtins (exec, eval, getattr, open, ...) into the namespace of every
     * trusted module, so its code resolves them by name. A module without {@code __all__} lists them in its
     * dir(), so a view of all its public symbols handed them out: {@code math.exec} ran unchecked source
     * and reached {@code object.__subclasses__()} (found 2026-12-05 while fixing star imports).
     */
    @ParameterizedTest
    @ValueSource(strings = {"math", "itertools", "time", "unicodedata", "datetime", "re", "random", "hashlib", "codecs"})
    void aModuleViewHandsOutNoOriginalTheSandboxGaveTheModule(String module) throws ScriptException {
        try (Sandbox all = new Sandbox(SandboxConfig.builder().enable(Feature.MATH, Feature.ITERTOOLS, Feature.TIME,
                Feature.UNICODEDATA, Feature.DATETIME, Feature.REGEX, Feature.RANDOM, Feature.HASHLIB, Feature.CODECS)
                .timeout(Duration.ofSeconds(120)).build())) {
            // (re.compile is re's own)
            String names = "['exec', 'eval', " + (module.equals("re") ? "" : "'compile', ") + "'getattr', 'setattr', "
                    + "'delattr', 'globals', 'locals', 'vars', 'dir', 'input', 'breakpoint', 'print', 'SystemExit', "
                    + "'BaseException', 'KeyboardInterrupt']";
            assertThat(all.eval("import " + module + " as m\n[n for n in " + names + " if hasattr(m, n)]"))
                    .as(module).isEqualTo(List.of());
            assertThat(all.eval("import " + module + " as m\n[n for n in " + names + " if n in dir(m)]"))
                    .as(module).isEqualTo(List.of());
            // the escape itself: unchecked source through the module's exec, and the subclasses list it reached
            assertThatThrownBy(() -> all.execute("import " + module + "\nns = {}\n" + module
                    + ".exec('y = (1).__class__.__base__.__subclasses__()', ns)")).as(module)
                    .isInstanceOf(ScriptException.class).hasMessageContaining("no attribute 'exec'");
            assertThatThrownBy(() -> all.execute("from " + module + " import exec")).as(module)
                    .isInstanceOf(ScriptException.class).hasMessageContaining("cannot import name 'exec'")
                    .hasMessageNotContaining("allowModule");
            // and through a star import, which binds every name of the view in the guest's namespace
            assertThatThrownBy(() -> all.execute("from " + module + " import *\nexec('y = (1).__class__.__base__.__subclasses__()')"))
                    .as(module).isInstanceOf(SandboxViolationException.class).hasMessageContaining("__subclasses__");
        }
    }

    @Test
    void namingAnOriginalInTheConfigurationDoesNotHandItOut() throws ScriptException {
        // allowModule("math", "exec") asks for a symbol math does not have: the view has no such name
        try (Sandbox named = new Sandbox(SandboxConfig.builder().allowModule("math", "sqrt", "exec", "open", "getattr")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThat(named.eval("import math\n[math.sqrt(4), hasattr(math, 'exec'), hasattr(math, 'open'), "
                    + "hasattr(math, 'getattr')]")).isEqualTo(List.of(2.0, false, false, false));
            assertThatThrownBy(() -> named.execute("from math import exec")).isInstanceOf(ScriptException.class)
                    .hasMessageContaining("cannot import name 'exec'");
        }
    }

    /** The star import's guard writes into the importing frame's namespace: attacks from reading it. */
    @Test
    void aStarImportWritesOnlyTheViewsPublicNamesIntoTheGuestsOwnNamespace() throws ScriptException {
        try (Sandbox own = new Sandbox(SandboxConfig.builder().enable(Feature.MATH, Feature.REGEX)
                .timeout(Duration.ofSeconds(120)).build())) {
            // no underscored name: a guard's name (which starts with '__pysandbox_') is never written over
            assertThat(own.eval("before = set(globals())\nfrom math import *\n"
                    + "sorted(n for n in set(globals()) - before if n.startswith('_'))")).isEqualTo(List.of());
            // not from a function or a class body: the compiler refuses the statement there
            for (String code : new String[] {"def f():\n    from re import *\nf()", "class C:\n    from re import *",
                "async def f():\n    from re import *"}) {
                assertThatThrownBy(() -> own.execute(code)).as(code).isInstanceOf(ScriptException.class)
                        .hasMessageContaining("only allowed at module level");
            }
            // a view bound to another name cannot stand in for the import: the module is imported by name
            // through the allow-list, whatever the guest binds
            assertThatThrownBy(() -> own.execute("import re\nos = re\nfrom os import *"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("'os'");
            // the names are the view's: no raw module, no private name
            assertThat(own.eval("from re import *\n[type(compile('a')).__name__, 'Pattern' in globals(), "
                    + "'_compile' in globals()]")).isEqualTo(List.of("Pattern", true, false));
            // the guest's exec still checks what it runs after a star import bound names in its globals
            assertThatThrownBy(() -> own.execute("from math import *\nexec('y = (1).__class__.__base__.__subclasses__()')"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("__subclasses__");
        }
    }

    // -- the third review of 2026-12-05: trusted module code that reads a namespace or sets attributes raw ----
    /** {@code EnumType._convert_} reads (and with {@code source=} writes) the namespace of any module by name. */
    @ParameterizedTest
    @ValueSource(strings = {
        "import re\nseen = []\nre.RegexFlag._convert_('T1', 'builtins', lambda n: seen.append(n))",
        "import re\nclass E(metaclass=type(re.RegexFlag)): pass\n"
            + "Z = E._convert_('T2', 'pysandbox.state', lambda n: n == 'orig_exec')",
        "import re\nclass E(metaclass=type(re.RegexFlag)): pass\nclass Src: pass\ns = Src()\ns._check_name = 1\n"
            + "E._convert_('T3', 'pysandbox.guards', lambda n: True, source=s)",
        "import re\nc = getattr(re.RegexFlag, '_convert_')",
        "import re\nc = getattr(type(re.RegexFlag), '_convert_')",
    })
    void enumConversionReachesNoModuleNamespace(String code) throws ScriptException {
        assertThatThrownBy(() -> sandbox.execute(code)).as(code).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("_convert_");
        // the policy's own functions are the policy's: a dunder chain is still refused
        assertThatThrownBy(() -> sandbox.execute("x = getattr(getattr((), '__class__'), '__base__')"
                + ".__subclasses__()")).isInstanceOf(SandboxViolationException.class);
        intact();
    }

    @Test
    void typingForwardReferencesAreNotEvaluatedUnchecked() throws ScriptException {
        try (Sandbox typed = new Sandbox(SandboxConfig.builder().allowModule("typing", "*")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> typed.execute("import typing\n"
                    + "fr = typing.get_args(typing.List[\"d.__setitem__('x', ().__class__.__base__.__subclasses__())"
                    + " or int\"])[0]\nd = {}\nd['d'] = d\nfr._evaluate(d, d, frozenset())"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("_evaluate");
            assertThat(typed.eval("import typing\ntyping.get_args(typing.List[int])[0] is int")).isEqualTo(true);
        }
    }

    @Test
    void functoolsWrapsCopiesOnlyItsOwnNamesOntoTheScriptsObjects() throws ScriptException {
        try (Sandbox wrapping = new Sandbox(SandboxConfig.builder().allowModule("functools", "*")
                .enable(Feature.REGEX).timeout(Duration.ofSeconds(60)).build())) {
            // the review's escape: a trusted function's __globals__, the originals among them
            assertThatThrownBy(() -> wrapping.execute("import functools, re\nclass Box: pass\nb = Box()\n"
                    + "functools.update_wrapper(b, re.compile, assigned=('__globals__',), updated=())"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("__globals__");
            assertThatThrownBy(() -> wrapping.execute("import functools, re\n"
                    + "@functools.wraps(re.compile, assigned=('__code__',))\ndef f(): pass"))
                    .isInstanceOf(SandboxViolationException.class);
            // onto an object the script did not make
            assertThatThrownBy(() -> wrapping.execute("import functools, re\n"
                    + "functools.update_wrapper(re.Pattern, len)")).isInstanceOf(ScriptException.class)
                    .hasMessageContaining("blocked by the sandbox");
            // the ordinary decorator keeps working
            assertThat(wrapping.eval("import functools\ndef deco(f):\n    @functools.wraps(f)\n"
                    + "    def inner(*a):\n        return f(*a) + 1\n    return inner\n"
                    + "@deco\ndef add(a, b):\n    \"adds\"\n    return a + b\n"
                    + "[add(1, 2), add.__name__, add.__doc__, add.__wrapped__(1, 2)]"))
                    .isEqualTo(List.of(4, "add", "adds", 3));
        }
    }

    @Test
    void aDataclassFieldNameFollowsTheAttributeRules() throws ScriptException {
        try (Sandbox data = new Sandbox(SandboxConfig.builder().allowModule("dataclasses", "dataclass", "field")
                .timeout(Duration.ofSeconds(60)).build())) {
            for (String field : new String[] {"__globals__", "f_globals", "__dict__", "format", "obj"}) {
                assertThatThrownBy(() -> data.execute("import dataclasses\nclass D:\n    __annotations__ = {'"
                        + field + "': int}\nD = dataclasses.dataclass(D)\nD.__repr__(getattr)"))
                        .as(field).isInstanceOf(SandboxViolationException.class)
                        .hasMessageContaining(field);
            }
            assertThat(data.eval("import dataclasses\n@dataclasses.dataclass\nclass P:\n    x: int\n    y: int = 2\n"
                    + "repr(P(1))")).isEqualTo("P(x=1, y=2)");
        }
    }

    @Test
    void copyCanNoLongerBeAllowed() {
        // copy.copy set __defaults__ of the policy's getattr through a script's __reduce_ex__; deepcopy's memo
        // handed out a module view's real __dict__
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("copy", "copy", "deepcopy").build())
                .hasMessageContaining("copy");
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("enum", "global_enum").build())
                .hasMessageContaining("global_enum");
    }

    @Test
    void aModulesOwnAliasOfAnOriginalIsNotHandedOut() throws ScriptException {
        // tarfile.bltn_open was the original open (the floor held: PermissionError); tarfile can no longer be
        // allowed at all, and tokenize has the same alias
        try (Sandbox tokens = new Sandbox(SandboxConfig.builder().allowModule("tokenize", "_builtin_open",
                "generate_tokens").timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> tokens.execute("from tokenize import _builtin_open"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("_builtin_open");
            assertThat(tokens.eval("import tokenize\n[hasattr(tokenize, 'generate_tokens'), "
                    + "hasattr(tokenize, '_builtin_open')]")).isEqualTo(List.of(true, false));
        }
    }

    // -- the fourth review of 2026-12-05: trusted code doing raw attribute work for the script ---------------
    /** enum.property's __get__ did getattr(self._cls_type, self.name) raw; the class is reached with -f regex. */
    @ParameterizedTest
    @ValueSource(strings = {
        "p = P()\np._attr_type = 'attr'\np._cls_type = getattr\np.name = '__glob' + 'als__'\np.__get__(1)",
        "class Q(P):\n    _attr_type = 'attr'\n    _cls_type = getattr\nq = Q()\nq.name = '__glob' + 'als__'\nq.__get__(1)",
        "class Q(P):\n    _attr_type = 'desc'\nclass V: pass\nv = V()\nv._value_ = getattr\nq = Q()\n"
            + "q.name = '__glob' + 'als__'\nq.__get__(v)",
        "class Q(P):\n    _attr_type = 'attr'\n    _cls_type = type(re.RegexFlag)\nq = Q()\nq.name = '_con' + 'vert_'\n"
            + "q.__get__(1)",
    })
    void anEnumPropertyReadsOnlyWhatGetattrWould(String attack) {
        String prelude = "import re\nclass E0(metaclass=type(re.RegexFlag)): pass\nclass B:\n    def foo(self): pass\n"
                + "class E(B, E0):\n    foo = 1\nclass P(type(vars(E)['foo'])): pass\n";
        assertThatThrownBy(() -> sandbox.execute(prelude + attack)).as(attack)
                .isInstanceOf(SandboxViolationException.class);
    }

    @Test
    void checkedOperatorGettersHandOutNoRawClass() throws ScriptException {
        try (Sandbox ops = new Sandbox(SandboxConfig.builder().allowModule("operator", "*")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> ops.execute("import operator\nA = type(operator.attrgetter('real'))\n"
                    + "g = A('__glob' + 'als__')(getattr)")).isInstanceOf(ScriptException.class);
            assertThatThrownBy(() -> ops.execute("import operator\nA = type(operator.methodcaller('real'))\n"
                    + "g = A('__glob' + 'als__')")).isInstanceOf(ScriptException.class);
            assertThat(ops.eval("import operator\n[operator.attrgetter('real')(3), "
                    + "operator.methodcaller('upper')('a'), sorted([(2, 'b'), (1, 'a')], key=operator.itemgetter(1))]"))
                    .isEqualTo(List.of(3, "A", List.of(List.of(1, "a"), List.of(2, "b"))));
        }
    }

    @Test
    void cachedPropertyCanNoLongerBeAllowed() {
        // __set_name__ takes any name, __get__ reads instance.__dict__[name] raw: EnumType's _convert_
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("functools", "cached_property").build())
                .hasMessageContaining("cached_property");
    }

    /** copy is forbidden, but collections.UserDict.copy calls it from trusted code (dataclasses.asdict did too). */
    @ParameterizedTest
    @ValueSource(strings = {
        "import collections\nclass R(collections.UserDict):\n    __copy__ = None\n"
            + "    def __getattribute__(self, name):\n        if name == '__reduce_ex__':\n"
            + "            return lambda proto: (lambda: target, (), (None, {'planted': 1}))\n"
            + "        return object.__getattribute__(self, name)\nR().copy()",
    })
    void copyReachedThroughTrustedCodeChangesOnlyTheScriptsObjects(String attack) throws ScriptException {
        try (Sandbox trusted = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX)
                .allowModule("collections", "UserDict").timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> trusted.execute("import re\ntarget = re.RegexFlag\n" + attack)).as(attack)
                    .isInstanceOf(SandboxViolationException.class);
            assertThat(trusted.eval("import re\nhasattr(re.RegexFlag, 'planted')")).isEqualTo(false);
            // ordinary copies through the same path keep working
            assertThat(trusted.eval("import collections\nclass U(collections.UserDict): pass\n"
                    + "u = U(a=1)\nu.extra = 2\nc = u.copy()\n[dict(c), c.extra]"))
                    .isEqualTo(List.of(Map.of("a", 1), 2));
        }
    }

    // dataclasses.replace, asdict and astuple read every attribute named in __dataclass_fields__: a dict the
    // script can reach on any dataclass and fill, or a class attribute it defines, with fields named
    // __setattr__ and __getattribute__; replace handed the raw slot wrappers back, which wrote onto
    // re.RegexFlag and read the raw generator out of its wrapper, its frame and the real builtins (review,
    // 2026-12-05). They are never available.
    // A review of 2026-12-05 found trusted code that reads or writes any attribute a script names, on any
    // object, in three modules a host could allow: logging.config's BaseConfigurator.resolve('builtins.type.
    // __setattr__') gave the raw slot wrapper and resolve('sys.modules') the real modules, argparse's
    // Namespace.__init__(re.RegexFlag, pwned=1) wrote raw and _get_kwargs(type) read type's raw __dict__,
    // optparse.Values.__init__ wrote raw too. They can never be allowed, and the script is told so.
    @ParameterizedTest
    // A review of the same day ran source past the checker through rlcompleter (Completer(ns).complete() evals
    // in the script's dict, where the real builtins then lay) and profile's and cProfile's runctx(), and
    // _pydecimal.localcontext wrote onto re.RegexFlag, as decimal's did before its check. A static audit found
    // raw getattr(obj, name) and obj.__dict__ reads for what the caller passes, handed back: lib2to3's
    // attr_chain, urllib.request's _call_chain, idlelib.rpc's localcall, mailbox's _become_message, each
    // giving a trusted function's __globals__ and the original eval. A review of 2026-12-06: modulefinder's
    // load_module() compiled a script's file object's text and handed the code to a subclass's scan_opcodes().
    // Another: unittest.mock's patch() resolves a script's dotted name to raw module attributes; it failed only
    // because GraalPy here has no _signal. Review 24: json.tool's main() closed the interpreter's real stdin
    // and stdout, and every later run of that sandbox failed at its first print().
    @ValueSource(strings = {"logging", "logging.config", "argparse", "optparse", "warnings", "configparser",
        "xml.dom.minicompat", "tarfile", "gettext", "rlcompleter", "profile", "cProfile", "pstats", "_pydecimal",
        "_pyio", "lib2to3", "lib2to3.fixer_util", "idlelib.rpc", "mailbox", "urllib.request", "cmd", "modulefinder",
        "unittest", "unittest.mock", "json.tool"})
    void modulesWhoseTrustedCodeSetsOrReadsAnyNamedAttributeAreNeverAllowed(String module) {
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule(module).build())
                .isInstanceOf(org.pysandbox.config.SandboxConfigurationException.class)
                .hasMessageContaining("can never be allowed");
        assertThatThrownBy(() -> sandbox.execute("import " + module))
                .isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("import of module '" + module + "' is never allowed in the sandbox");
    }

    // A review of 2026-12-05: the class-body name rules covered '=' only, so a def or class statement could
    // bind any dunder name. '@property def __class__' made isinstance(obj, type) True for a script's object,
    // '__traceback__' shadowed an exception's real one (its error then reached the host unreadable), and
    // type parameters and module-level defs bound names such as '__classdict__' and '__builtins__'.
    @ParameterizedTest
    @ValueSource(strings = {
        "class F:\n    @property\n    def __class__(self):\n        return type\nisinstance(F(), type)",
        "class E(Exception):\n    @property\n    def __traceback__(self):\n        return 42\nE().__traceback__",
        "class H:\n    def __dict__(self):\n        return {}\nvars(H())",
        "class C:\n    class __class__:\n        pass\nC().__class__",
        "class C:\n    async def __cause__(self):\n        pass\nC",
        "def __builtins__():\n    pass\n__builtins__",
        "class __import__:\n    pass\n1",
        "def f[__classdict__]():\n    pass\nf",
        "class K[__builtins__]:\n    pass\nK",
        "def f():\n    def __class__():\n        pass\n    return __class__\nf()",
    })
    void defAndClassNamesFollowTheRulesOfEveryOtherBinding(String attack) {
        assertThatThrownBy(() -> sandbox.eval(attack)).as(attack).isInstanceOf(SandboxViolationException.class)
                .hasMessageMatching("(?s).*(binding the name|the type parameter name) '__\\w+__' is blocked.*");
    }

    @Test
    void theDataModelsOwnMethodsCanStillBeDefinedInAClass() throws ScriptException {
        assertThat(sandbox.eval("""
                class Field:
                    def __set_name__(self, owner, name):
                        self.name = '_' + name
                    def __get__(self, obj, owner=None):
                        return self if obj is None else getattr(obj, self.name, 0)
                    def __set__(self, obj, value):
                        setattr(obj, self.name, value * 2)
                    def __delete__(self, obj):
                        setattr(obj, self.name, -1)
                class Meta(type):
                    @classmethod
                    def __prepare__(mcs, name, bases, **kwargs):
                        return {'prepared': True}
                class Record(metaclass=Meta):
                    size = Field()
                    def __reduce__(self):
                        return (Record, ())
                    def __getstate__(self):
                        return {}
                    def __setstate__(self, state):
                        pass
                    def __bool__(self):
                        return True
                    __nonzero__ = __bool__
                    class __Hidden:
                        pass
                r = Record()
                r.size = 4
                first = r.size
                del r.size
                [first, r.size, Record.prepared, bool(r)]
                """)).isEqualTo(List.of(8, -1, true, true));
        intact();
    }

    // The class-body name rules do not see a namespace made as a dict (three-argument type(), a metaclass
    // adding keys): there, '__class__' and '__traceback__' stay possible. The sandbox's own reading of a
    // failed script's exception must not believe them: its kind, message and line come from the real class
    // and the real traceback (a '__traceback__' property turned the error into "could not be read", a
    // '__class__' claiming SyntaxError replaced the message with the script's 'msg').
    @ParameterizedTest
    @ValueSource(strings = {
        "E = type('E', (Exception,), {'__traceback__': property(lambda s: 42)})",
        "E = type('E', (Exception,), {'__class__': property(lambda s: SyntaxError), 'msg': 'fake', 'lineno': 9,"
                + " 'offset': 1, 'filename': 'host.py'})",
        "E = type('E', (Exception,), {'__class__': property(lambda s: RecursionError)})",
        "try:\n    import os\nexcept Exception as refused:\n    V = type(refused)\n"
                + "E = type('E', (Exception,), {'__class__': property(lambda s: V), 'setting': 'none'})",
    })
    void aFailedScriptsErrorIsReadPastWhatItsClassClaims(String made) {
        assertThatThrownBy(() -> sandbox.execute(made + "\nraise E('boom')"))
                .isInstanceOfSatisfying(org.pysandbox.error.PythonScriptException.class, error -> {
                    assertThat(error).isNotInstanceOf(SandboxViolationException.class);
                    assertThat(error.getPythonType()).isEqualTo("E");
                    assertThat(error.getPythonMessage()).isEqualTo("boom");
                    assertThat(error.getLineNumber()).isEqualTo((int) made.lines().count() + 1);
                });
    }

    // A review of 2026-12-05: trusted objects hold real modules in private attributes. pathlib's
    // PurePath._flavour was the real posixpath, whose os.sys gave sys.modules['pysandbox.state'].orig_eval;
    // warnings.catch_warnings()._module did the same. pathlib's now holds a namespace of path functions (below);
    // dbm.dumb._Database keeps the real os and _io as class attributes, and stands for any such holder here.
    // Every way of reading a private attribute refuses a module or an unchecked builtin as its value.
    @ParameterizedTest
    @ValueSource(strings = {
        "f = H._os",
        "f = object.__new__(H)._os",
        "f = getattr(H, '_os')",
        "f = getattr(H, '_os', None)",
        "f = object.__getattribute__(object.__new__(H), '_os')",
        "f = type.__getattribute__(H, '_os')",
        "f = operator.attrgetter('_os')(H)",
        "f = operator.attrgetter('__doc__', '_os.sys')(H)[1]",
        "f = '{0._os.sys}'.format(H)",
        "class P(H):\n    pass\nf = super(P, object.__new__(P))._os",
        "match object.__new__(H):\n    case H(_os=f):\n        pass",
        "class _Database:\n    def read(self, other):\n        return other._os\nf = _Database().read(object.__new__(H))",
        // a local's private read skips the guard only when every class of the object is the script's own
        // (checker._private_read): a subclass of a trusted class, and a mark copied into a type() namespace
        "class P(H):\n    pass\ndef read(p):\n    return p._os\nf = read(object.__new__(P))",
        "class P(H):\n    def held(self):\n        return self._os\nf = object.__new__(P).held()",
        "class P(H):\n    def held(self):\n        for i in range(2):\n            f = self._os\n"
                + "        return f\nf = object.__new__(P).held()",
        "class Own:\n    pass\nX = type('X', (H,), {'__pysandbox_owned__': True,"
                + " '__pysandbox_pure__': Own})\ndef read(p):\n    return p._os\n"
                + "f = read(object.__new__(X))",
        "X = type('X', (H,), {'__pysandbox_owned__': True, '__pysandbox_pure__': True})\n"
                + "def read(p):\n    return p._os\nf = read(object.__new__(X))",
        // a metaclass that answers the mark's lookup with the class itself
        "M = type('M', (type(H),), {'__pysandbox_pure__': property(lambda c: c)})\n"
                + "X = M('X', (H,), {'__pysandbox_owned__': True})\n"
                + "def read(p):\n    return p._os\nf = read(object.__new__(X))",
        "class M(type(H)):\n    def __getattribute__(cls, name):\n"
                + "        return cls if name == '__pysandbox_pure__' else type.__getattribute__(cls, name)\n"
                + "class X(H, metaclass=M):\n    pass\n"
                + "def read(p):\n    return p._os\nf = read(object.__new__(X))",
        // a descriptor under the mark's name in a type() namespace answers getattr() with the class
        "class D:\n    def __get__(self, inst, owner=None):\n        return owner\n"
                + "B = type('B', (H,), {'__pysandbox_pure__': D()})\nf = object.__new__(B)._os",
        "class D:\n    def __get__(self, inst, owner=None):\n        return owner\n"
                + "B = type('B', (H,), {'__pysandbox_pure__': D()})\n"
                + "def read(p):\n    for i in range(2):\n        f = p._os\n    return f\nf = read(object.__new__(B))",
        // the same where the test is written out once per call (a parameter read in a loop)
        "class M(type(H)):\n    def __getattribute__(cls, name):\n"
                + "        return cls if name == '__pysandbox_pure__' else type.__getattribute__(cls, name)\n"
                + "class X(H, metaclass=M):\n    pass\n"
                + "def read(p):\n    for i in range(2):\n        f = p._os\n    return f\nf = read(object.__new__(X))",
    })
    void privateAttributesOfTrustedObjectsHandOutNoModule(String read) throws ScriptException {
        {
            assertThatThrownBy(() -> paths.execute("import dbm.dumb, operator\nH = dbm.dumb._Database\n" + read
                    + "\nst = f.sys.modules['pysandbox.state']\nreached = st.orig_eval('1')"))
                    .as(read).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("'_os'")
                    .hasMessageMatching("(?s).*(it holds the module 'os'|private attributes of other classes"
                            + "|whose class is not entirely the script's).*");
            assertThat(paths.eval("'reached' in dir() or 'f' in dir()")).isEqualTo(false);
            // the script's own private attributes, mangled or not, read as before
            assertThat(paths.eval("""
                    import pathlib
                    class Account:
                        def __init__(self):
                            self.__balance = 5
                            self._owner = 'me'
                        def balance(self):
                            return self.__balance
                    a = Account()
                    [a.balance(), a._owner, a._Account__balance, getattr(a, '_owner'), pathlib.PurePosixPath('x/y')._tail]
                    """)).isEqualTo(List.of(5, "me", 5, "me", List.of("x", "y")));
        }
    }

    // pathlib's flavour was the one trusted class attribute of a commonly allowed module found to hold a module:
    // a single raw read of it (cmd's onecmd, a dataclass comparison, a class pattern) reached sys. It is now a
    // namespace of the module's public path functions, which pathlib's own identity checks still recognise.
    @Test
    void pathlibsFlavourHoldsPathFunctionsAndNoModule() throws ScriptException {
        try (Sandbox both = new Sandbox(SandboxConfig.builder().allowModule("pathlib", "PurePath", "PurePosixPath",
                "PureWindowsPath").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(both.eval("""
                    import pathlib
                    f = pathlib.PurePosixPath._flavour
                    [f.__name__, pathlib.PureWindowsPath._flavour.__name__,
                     pathlib.PurePath._flavour is f,
                     sorted({type(getattr(f, n)).__name__ for n in dir(f) if not n.startswith('_')}), f.join('a', 'b')]
                    """)).isEqualTo(List.of("posixpath_flavour", "ntpath_flavour", true,
                            List.of("NoneType", "bool", "function", "str"), "a/b"));
            assertThatThrownBy(() -> both.execute("import pathlib\npathlib.PurePosixPath._flavour.join = len"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("only objects created");
            // what pathlib decides by the flavour's identity: absoluteness, equality and case
            assertThat(both.eval("""
                    import pathlib
                    P, W = pathlib.PurePosixPath, pathlib.PureWindowsPath
                    [P('/a').is_absolute(), P('a').is_absolute(), W('C:/a').is_absolute(), W('/a').is_absolute(),
                     W('C:/A') == W('c:/a'), P('A') == P('a'), P('a/b.txt').match('*.TXT'), W('a/b.txt').match('*.TXT'),
                     str(P('/a/b').relative_to('/a')), W('a/b').as_posix(), P('x') == W('x')]
                    """)).isEqualTo(List.of(true, false, true, false, true, false, false, true, "b", "a/b", false));
        }
    }

    // The same review: a trusted class's Python __init__ sets its fixed attributes raw on whatever it is given
    // as self. NewType.__init__(re.RegexFlag, 'Evil', int) renamed a trusted class (and so made a class of the
    // script's pass for trusted in the copy patch), string.Template, json.JSONEncoder, collections.UserDict and
    // more wrote onto it. typing's _GenericAlias.__setattr__, read off its class, set any plain name on what a
    // script's __getattr__ named. An enum made with the functional API took re.RegexFlag as its member.
    @ParameterizedTest
    @ValueSource(strings = {
        "typing.NewType.__init__(re.RegexFlag, 'Evil', int)",
        "string.Template.__init__(re.RegexFlag, 'pwned')",
        "json.JSONEncoder.__init__(re.RegexFlag, default=len)",
        "collections.UserDict.__init__(re.RegexFlag)",
        "getattr(string.Template, '__init__')(re.RegexFlag, 'pwned')",
        "type.__getattribute__(string.Template, '__init__')(re.RegexFlag, 'pwned')",
        "operator.methodcaller('__init__', re.RegexFlag, 'pwned')(string.Template)",
        "string.Template.__init__.__get__(re.RegexFlag)('pwned')",
        "class M:\n    def __getattr__(self, name):\n        return re.RegexFlag\n"
                + "type(typing.List[int]).__setattr__(M(), 'pwned', 1)",
        "enum.Enum('E', [('pwned', 1)], type=type('Mix', (), {'__new__': lambda cls, *a: re.RegexFlag}))",
        "enum.property.__set_name__(re.RegexFlag, re.RegexFlag, 'pwned')",
        "getattr(enum.property, '__set_name__')(re.RegexFlag, re.RegexFlag, 'pwned')",
    })
    void trustedMethodsReadOffAClassTakeOnlyItsOwnInstances(String attack) throws ScriptException {
        {
            assertThatThrownBy(() -> typed.execute("import typing, string, json, collections, enum, operator, re\n"
                    + attack)).as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(needs a '\\w+' object|only objects created by the script).*");
            assertThat(typed.eval("import re\n[re.RegexFlag.__qualname__, re.RegexFlag.__module__,"
                    + " sorted(k for k in ('pwned', 'template', 'default', 'data', '_name_', 'clsname')"
                    + " if hasattr(re.RegexFlag, k))]"))
                    .isEqualTo(List.of("RegexFlag", "re", List.of()));
            // subclasses still call their trusted base's __init__, unbound or through super()
            assertThat(typed.eval("""
                    import string, collections
                    class Greeting(string.Template):
                        def __init__(self, text):
                            string.Template.__init__(self, text)
                    class Store(collections.UserDict):
                        def __init__(self):
                            super().__init__(a=1)
                    [Greeting('hi $who').substitute(who='you'), dict(Store())]
                    """)).isEqualTo(List.of("hi you", Map.of("a", 1)));
        }
    }

    // A trusted object's own __init__, read off the object, re-ran on an object the script did not make:
    // calendar.month_name.__init__('%b') changed every month name the tenant's calendar prints. Read off its
    // class, the check above let it through too, since month_name is an instance of its own class.
    @ParameterizedTest
    @ValueSource(strings = {
        "calendar.month_name.__init__('%b')",
        "getattr(calendar.month_name, '__init__')('%b')",
        "operator.methodcaller('__init__', '%b')(calendar.month_name)",
        "object.__getattribute__(calendar.month_name, '__init__')('%b')",
        "type(calendar.month_name).__init__(calendar.month_name, '%b')",
        "calendar.c.__init__(3)",
        "super(calendar.TextCalendar, calendar.c).__init__(3)",
        "t = string.Template('$x')\nt.__init__('changed')",
    })
    void aTrustedObjectIsNotSetUpAgain(String attack) throws ScriptException {
        assertThatThrownBy(() -> typed.execute("import calendar, string, operator\n" + attack))
                .as(attack).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("ReadOnlyError").hasMessageContaining("calling '__init__' on a '");
        assertThat(typed.eval("import calendar\n[calendar.month_name[1], calendar.firstweekday()]"))
                .isEqualTo(List.of("January", 0));
        // the script's own subclasses still set themselves up through their trusted base
        assertThat(typed.eval("""
                import string
                class Greeting(string.Template):
                    def __init__(self, text):
                        string.Template.__init__(self, text)
                        super().__init__(text)
                        self.__init__ if False else None
                Greeting('hi $who').substitute(who='you')
                """)).isEqualTo("hi you");
    }

    // Reviews of 2026-12-05 through modules not read before. Trusted code formats with the interpreter's own
    // str.format, which walks attributes unchecked: UserString.format, and zipfile.Path.__repr__ on a template
    // a subclass supplies, printed the real builtins, whose keys carry the guard token (with it, a script
    // shadowed the match guard in its globals and read __globals__ raw). Morsel.copy with enum.Enum as self
    // copied Enum's namespace onto a Morsel, and with it the enum.property every member's .name runs; the
    // enum's own proto members, read off vars() while an enum is built, set the pure mark on a subclass of
    // PurePosixPath (now dbm.dumb._Database, whose _os is the real os) through __set_name__ (the real posixpath followed); pprint read a dataclass's private
    // field raw and handed PurePosixPath._flavour (then the real posixpath) to a PrettyPrinter subclass's format().
    @ParameterizedTest
    @ValueSource(strings = {
        "got = collections.UserString('{0.__init__.__globals__[__builtins__]!r}').format(collections.UserString)",
        "got = collections.UserString('{c.__init__.__globals__}').format_map({'c': collections.UserString})",
        "class R:\n    filename = 'f'\nclass S(zipfile.Path):\n    root = R()\n    at = 'a'\n"
                + "    _Path__repr = '{self.__repr__.__func__.__globals__[__builtins__]!r}'\n"
                + "got = repr(S.__new__(S))\nassert got == \"S('f', 'a')\", got\nraise ValueError('held')",
        "m = Morsel.copy(enum.Enum)",
        PROTO_MEMBERS + """
                class X(H):
                    _member_type_ = object; _use_args_ = False; _member_names_ = []; _value2member_map_ = {}
                    _member_map_ = {}
                    def __init__(*args):
                        pass
                X._new_member_ = staticmethod(lambda cls: cls)
                protos[0].__set_name__(X, '__pysandbox_pure__')
                got = X()._os
                """,
        """
                @dataclasses.dataclass
                class S(H):
                    _os: object = dataclasses.field(init=False)
                seen = []
                class P(pprint.PrettyPrinter):
                    def format(self, object, context, maxlevels, level):
                        seen.append(object)
                        return super().format(object, context, maxlevels, level)
                P(width=1).pformat(S())
                got = seen[-1]
                """,
        """
                seen = []
                class PP(pprint.PrettyPrinter):
                    def format(self, obj, context, maxlevels, level):
                        seen.append(obj)
                        return ('x', True, False)
                class W:
                    def write(self, s):
                        pass
                pprint.PrettyPrinter._pprint_simplenamespace(PP(), object, W(), 0, 0, {}, 0)
                got = [v for v in seen if 'getattribute' in repr(v)][0]
                """,
        """
                kept = {}
                class P(email.policy.Compat32):
                    def clone(self, **kw):
                        kept.update(kw)
                        return self
                P() + object
                got = kept['__getattribute__']
                """,
    })
    void trustedCodeFormatsCopiesAndPrintsOnlyWhatTheScriptMayRead(String attack) throws ScriptException {
        try (Sandbox modules = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("collections")
                .allowModule("zipfile").allowModule("http.cookies", "Morsel").allowModule("enum")
                .allowModule("pprint").allowModule("dataclasses").allowModule("pathlib", "PurePosixPath")
                .allowModule("dbm.dumb", "_Database").allowModule("email.policy").timeout(Duration.ofSeconds(60))
                .build())) {
            assertThatThrownBy(() -> modules.execute("""
                    import collections, zipfile, enum, re, pprint, dataclasses, pathlib, email.policy, dbm.dumb
                    from http.cookies import Morsel
                    H = dbm.dumb._Database
                    """ + attack.stripIndent() + "\nraise ValueError('got ' + repr(got)[:300])"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(blocked by the sandbox|needs a 'Morsel' object|needs a SimpleNamespace"
                            + "|unsupported operand type|held).*")
                    .hasMessageNotContaining("__pysandbox_").hasMessageNotContaining("posixpath")
                    .hasMessageNotContaining("<module");
            assertThat(modules.eval("import re, pathlib, dbm.dumb\n[re.IGNORECASE.name, hasattr(pathlib.PurePosixPath, "
                    + "'__pysandbox_pure__'), hasattr(dbm.dumb._Database, '__pysandbox_pure__')]"))
                    .isEqualTo(List.of("IGNORECASE", false, false));
            // what stays: the same calls on what the script may use
            assertThat(modules.eval("""
                    import collections, pprint, dataclasses
                    from http.cookies import Morsel
                    m = Morsel()
                    m.set('k', 'v', 'v')
                    @dataclasses.dataclass
                    class Point:
                        x: int
                        _y: int = 2
                    import email.policy
                    [collections.UserString('{0}-{n}').format(1, n=2), m.copy().value,
                     pprint.pformat(Point(1), width=1), (email.policy.default + email.policy.SMTP).linesep]
                    """)).isEqualTo(List.of("1-2", "v", "Point(x=1,\n      _y=2)", "\r\n"));
        }
    }

    // A review of the fixes above and two audits the same day, each case a full escape of the Python layer or a
    // change of a trusted class: email's Policy.clone and UserDict.__copy__ wrote onto what a lying
    // __class__'s __new__ returned (the ownership mark onto PurePath, re.I renamed); an enum proto member
    // under the pure mark's name in a type() namespace set the mark; a dataclass subclass added a trusted
    // base under a private field; property.__init__ re-set a trusted getter; update_wrapper assigned
    // '__dict__'; codecs' and typing's relays handed out str.format raw; a generic alias subclass wrote
    // onto its origin; Charset._get_encoder returned a module; saxutils reached urllib's opener.
    @ParameterizedTest
    @ValueSource(strings = {
        """
                from email.policy import Policy
                class Maker:
                    def __new__(cls, *a):
                        return pathlib.PurePath
                class Spoof:
                    def __getattribute__(self, name):
                        if name == '__class__':
                            return Maker
                        if name == '__dict__':
                            return {'__pysandbox_owned__': True}
                        raise AttributeError(name)
                Policy.clone(Spoof())
                got = pathlib.PurePath('x')
                """,
        """
                class K:
                    def __new__(cls):
                        return re.IGNORECASE
                class S(collections.UserDict):
                    def __getattribute__(self, n):
                        if n == '__class__':
                            return K
                        if n == '__dict__':
                            return {'data': {}, '_name_': 'HACKED'}
                        return object.__getattribute__(self, n)
                got = collections.UserDict.__copy__(S())
                assert type(got) is S, got
                raise ValueError('held')
                """,
        """
                class S(collections.UserDict):
                    def __new__(cls, *a):
                        return re.IGNORECASE
                s = object.__new__(S)
                s.data = {}
                s._name_ = 'HACKED'
                got = s.__copy__()
                """,
        PROTO_MEMBERS + """
                def init(*args):
                    pass
                ns = {'_member_type_': object, '_use_args_': False, '_member_names_': [], '_value2member_map_': {},
                      '_member_map_': {}, '__init__': init, '_new_member_': staticmethod(lambda cls: cls),
                      '__pysandbox_pure__': protos[0], '__pysandbox_owned__': True}
                X = type('X', (H,), ns)
                got = X()._os
                """,
        """
                @dataclasses.dataclass
                class D:
                    _os: object
                class E(D, H):
                    def __init__(self):
                        pass
                seen = []
                class Probe:
                    def __eq__(self, other):
                        seen.append(other)
                        return True
                    __hash__ = None
                b = E()
                b._os = Probe()
                E() == b
                got = seen[0]
                """,
        "property.__init__(pathlib.PurePath.name, lambda self: 'EVIL')\ngot = pathlib.PurePath('a/b').name",
        "pathlib.PurePath.name.__init__(lambda self: 'EVIL')\ngot = pathlib.PurePath('a/b').name",
        """
                seen = []
                class W:
                    def __setattr__(self, name, value):
                        seen.append(value)
                functools.update_wrapper(W(), object, assigned=('__dict__',), updated=())
                got = seen[0]['__getattribute__']
                """,
        "r = codecs.StreamReader('{0.__globals__[sys].modules[posix]}')\ngot = r.format(codecs.getreader)",
        "class T(str):\n    pass\na = type(typing.List[int])(T('{0.__globals__[__builtins__]}'), (int,))\n"
                + "got = a.format(codecs.getreader)",
        "class S(type(typing.List[int]), _root=True):\n    pass\ns = S(re.RegexFlag, (int,))\n"
                + "s._numeric_repr_ = lambda v: 'pwned'\ngot = repr(re.I)",
        "import email.charset\ngot = email.charset.Charset('iso-8859-1')._get_encoder(b'x')",
        """
                import xml.sax.saxutils as su
                hashes = [0]
                class Proto(str):
                    def __add__(self, other):
                        return '__reduce_ex__'
                    def __hash__(self):
                        hashes[0] += 1
                        return str.__hash__(self) if hashes[0] == 2 else 12345
                class Req:
                    def __index__(self):
                        return 2
                req = Req()
                req.type = Proto('http')
                req.full_url = 'http://x/'
                req.data = None
                req.headers = {}
                req.get_method = lambda: 'GET'
                seen = []
                class Src:
                    n = 0
                    def getCharacterStream(self):
                        return None
                    def getByteStream(self):
                        return None
                    def getSystemId(self):
                        Src.n += 1
                        return 'zz' if Src.n == 1 else req
                    def setSystemId(self, s):
                        pass
                    def setByteStream(self, f):
                        seen.append(f)
                su.prepare_input_source(Src())
                got = seen[0][2]['parent']._call_chain({1: [su.escape]}, 1, '__getattribute__', '__globals__')
                """,
        // a review of the fixes above and a third audit
        "import email.charset as ec\ngot = ec.Charset._get_encoder(ec.Charset('utf-8'), b'abc')",
        "class P(property):\n    pass\nsuper(P, P).__init__(pathlib.PurePath.name, lambda self: 'EVIL')\n"
                + "got = pathlib.PurePath('a/b').name",
        PRIVATE_FIELD_DATACLASS + """
                class F(D, H):
                    __dataclass_fields__ = {}
                    def __init__(self):
                        pass
                b = F()
                b._os = Catcher()
                F() == b
                got = seen[0]
                """,
        PRIVATE_FIELD_DATACLASS + """
                class E(D, H):
                    def __init__(self):
                        pass
                a = E()
                b = E()
                b._os = Catcher()
                a.__eq__.__wrapped__(a, b)
                got = seen[0]
                """,
        "got = typing.Annotated[str, 0].format('{0.__globals__[__builtins__]}', typing.cast)",
        """
                import hmac
                on = [False]
                class Inner:
                    def copy(self):
                        return 'EVIL'
                class H(hmac.HMAC):
                    def __new__(cls, *a, **k):
                        return re.RegexFlag if on[0] else object.__new__(cls)
                    def __init__(self):
                        self.digest_size = 7
                        self._hmac = Inner()
                h = H()
                on[0] = True
                got = (h.copy(), re.RegexFlag._hmac)
                """,
        """
                import contextlib
                made = []
                class S(contextlib.ExitStack):
                    def __new__(cls, *a):
                        if made:
                            return re.RegexFlag
                        made.append(1)
                        return super().__new__(cls)
                s = S()
                s._exit_callbacks = 'EVIL'
                got = (s.pop_all(), re.RegexFlag._exit_callbacks)
                """,
        "import decimal\nmark = decimal.Context._set_integer_check\n"
                + "mark(pathlib.PurePath, '__pysandbox_owned__', True, 0, 1)\n"
                + "mark(H, '__pysandbox_owned__', True, 0, 1)\n"
                + "class X(H):\n    pass\ngot = object.__new__(X)._os",
        // a review of those fixes: class patterns read what a source read hands out wrapped, the dataclass check
        // trusted type(other), a relay hid the defining class, and a callable object was taken for trusted
        "import email.charset as ec\nmatch ec.Charset('utf-8'):\n    case ec.Charset(_get_encoder=f):\n"
                + "        got = f(b'x')",
        "import decimal\nmatch decimal.Context:\n    case type(_set_integer_check=f):\n"
                + "        f(pathlib.PurePath, '__pysandbox_owned__', True, 0, 1)\ngot = pathlib.PurePath",
        "match pathlib.PurePath.name:\n    case object(__init__=g):\n        g(lambda self: 'EVIL')\n"
                + "got = pathlib.PurePath('a/b').name",
        "match typing.Annotated[str, 0]:\n    case object(format=f):\n"
                + "        got = f('{0.__globals__[__builtins__]}', typing.cast)",
        PRIVATE_FIELD_DATACLASS + """
                class E(D, H):
                    pass
                class P(D):
                    def __getattribute__(self, n):
                        if n == '__class__':
                            return E
                        if n == '_os':
                            return catch
                        raise AttributeError(n)
                catch = Catcher()
                D.__eq__(object.__new__(P), object.__new__(E))
                assert not seen, seen
                raise ValueError('held')
                """,
        "import decimal\nf = typing.Annotated[decimal.Context, 0]._set_integer_check\n"
                + "f(pathlib.PurePath, '__pysandbox_owned__', True, 0, 1)\ngot = pathlib.PurePath",
        """
                import hmac
                class N:
                    n = 0
                    def __call__(self, cls, *a, **k):
                        N.n += 1
                        return object.__new__(cls) if N.n == 1 else re.RegexFlag
                class H(hmac.HMAC):
                    __new__ = N()
                got = (H(b'k', b'msg', digestmod='md5').copy(), re.RegexFlag.digest_size)
                """,
        // the last review: a descriptor that steps aside after the checked read, a dataclass comparison with
        // an object of another class, and a trusted function that returns what the script's object answers
        """
                from email.charset import Charset
                class Once:
                    def __get__(self, obj, cls=None):
                        del C._get_encoder
                        return None
                class C(Charset):
                    _get_encoder = Once()
                    __match_args__ = ('_get_encoder',)
                match C('utf-8'):
                    case C(g):
                        got = g(b'x')
                """,
        """
                from email.charset import Charset
                seen = []
                class Catcher:
                    def __eq__(self, other):
                        seen.append(other)
                        return True
                class E(Charset):
                    pass
                @dataclasses.dataclass
                class D2:
                    _get_encoder: object
                    def __getattribute__(self, n):
                        if n == '__class__':
                            return E
                        if n == '_get_encoder':
                            return Catcher()
                        return super().__getattribute__(n)
                D2(1) == E('utf-8')
                assert not seen, seen
                raise ValueError('held')
                """,
        """
                import contextlib, email.utils
                class S(contextlib.ExitStack):
                    __new__ = staticmethod(email.utils.localtime)
                    @staticmethod
                    def astimezone():
                        return pathlib.PurePath
                s = object.__new__(S)
                S.__init__(s)
                got = (s.pop_all(), pathlib.PurePath._exit_callbacks)
                """,
    })
    void trustedCodeTakesNoObjectThatLiesAndHandsOutNoModule(String attack) throws ScriptException {
        try (Sandbox modules = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("collections")
                .allowModule("email.policy").allowModule("email.charset").allowModule("enum")
                .allowModule("pathlib", "PurePath", "PurePosixPath").allowModule("dataclasses")
                .allowModule("functools").allowModule("codecs").allowModule("typing")
                .allowModule("xml.sax.saxutils").allowModule("hmac").allowModule("contextlib").allowModule("decimal")
                .allowModule("email.utils", "localtime").allowModule("dbm.dumb", "_Database")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> modules.execute("""
                    import collections, enum, re, dataclasses, pathlib, functools, codecs, typing, dbm.dumb
                    H = dbm.dumb._Database
                    """ + attack.stripIndent() + "\nraise ValueError('got ' + repr(got)[:300])"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(blocked by the sandbox|needs a policy|not a new instance|"
                            + "cannot be made|urlopen\\(\\) in the sandbox|held|needs a 'Context' object"
                            + "|takes 0 positional arguments|a class pattern reading).*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("EVIL")
                    .hasMessageNotContaining("pwned").hasMessageNotContaining("slot wrapper");
            assertThat(modules.eval("import re, pathlib\n[re.IGNORECASE.name, repr(re.I), pathlib.PurePath('a/b').name]"))
                    .isEqualTo(List.of("IGNORECASE", "re.IGNORECASE", "b"));
            assertThatThrownBy(() -> modules.execute("import pathlib\npathlib.PurePath.x = 1"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("only objects created");
        }
    }

    // Stop 33: a review of the last fixes and an audit of the modules no audit had read. The class pattern's
    // and the dataclass readers' check of a private value came before their raw read, and code in between
    // (an earlier keyword's property, a descriptor that stepped aside, a trusted relay) changed what that read
    // gave; makers were judged by name (a trusted closure named __new__, typing's alias __call__) and
    // hmac's copy() by type(self) while it used self.__class__; a mangled private method had no class to
    // check its first argument against; attrgetter walked the names a str subclass's split() gave; reprlib's
    // repr1 took Repr itself as self and a name '+' built; symbols forbidden or checked by name were handed
    // out raw under another module's name; decimal.setcontext took any object, which localcontext() copied.
    @ParameterizedTest
    @ValueSource(strings = {
        """
                class Any:
                    def copy(self):
                        return 'EVIL'
                class K:
                    def __new__(cls, *a):
                        return re.RegexFlag
                class H(hmac.HMAC):
                    def __init__(self):
                        pass
                    def __getattribute__(self, n):
                        return K if n == '__class__' else 'EVIL' if n == 'digest_size' else Any()
                got = hmac.HMAC.copy(H())
                """,
        """
                class C(Charset):
                    @property
                    def a(self):
                        del self._get_encoder
                        return 1
                c = C('utf-8')
                c._get_encoder = 0
                match c:
                    case C(a=x, _get_encoder=f):
                        got = f(b'x')
                """,
        """
                @dataclasses.dataclass
                class D:
                    a: object
                    _get_encoder: object
                seen = []
                class Catcher:
                    def __eq__(self, other):
                        seen.append(other)
                        return True
                class E(D, Charset):
                    @property
                    def a(self):
                        if self is y:
                            del self._get_encoder
                        return 1
                    def __init__(self):
                        Charset.__init__(self, 'utf-8')
                x, y = E(), E()
                x._get_encoder = Catcher()
                y._get_encoder = 0
                x == y
                got = seen[0](b'x')
                """,
        """
                class C(Charset):
                    pass
                class Once:
                    def __get__(self, obj, cls=None):
                        del X._get_encoder
                        return None
                X = type('X', (C,), {'_get_encoder': Once(), '__match_args__': ('_get_encoder',)})
                match X('utf-8'):
                    case X(f):
                        got = f(b'x')
                """,
        """
                class Once:
                    def __get__(self, obj, cls=None):
                        del C._get_encoder
                        return None
                class C(Charset):
                    _get_encoder = Once()
                match C:
                    case type(_get_encoder=f):
                        got = f(Charset('utf-8'), b'x')
                """,
        """
                class Once:
                    def __get__(self, obj, cls=None):
                        del C._get_encoder
                        return None
                class C(Charset):
                    _get_encoder = Once()
                match typing.Annotated[C, 0]:
                    case object(_get_encoder=f):
                        got = f(Charset('utf-8'), b'x')
                """,
        "datetime.date._date__setstate(re.RegexFlag, [1, 2, 'EVIL', 'EVIL'])\ngot = re.RegexFlag._month",
        """
                n = [0]
                def mk(cls):
                    n[0] += 1
                    return object.__new__(cls) if n[0] == 1 else re.RegexFlag
                mk.__name__ = '__new__'
                class S(contextlib.ExitStack):
                    __new__ = reprlib.recursive_repr()(mk)
                got = (S().pop_all(), re.RegexFlag._exit_callbacks)
                """,
        """
                n = [0]
                def maker(*args, **kwargs):
                    n[0] += 1
                    return object.__new__(S) if n[0] == 1 else re.RegexFlag
                class M(type(typing.List[int]), type, _root=True):
                    def __init__(cls, *a, **k):
                        pass
                    def __getattr__(cls, name):
                        if name == '__origin__':
                            return maker
                        raise AttributeError(name)
                    def __hash__(cls):
                        return id(cls)
                    def __eq__(cls, other):
                        return cls is other
                class S(MIMEPart, metaclass=M):
                    _inst = True
                s = S()
                MIMEPart.__init__(s)
                s['Content-Type'] = 'text/plain'
                s.make_mixed()
                got = re.RegexFlag._headers
                """,
        """
                class W(str):
                    def split(self, *a):
                        return ['__globals__']
                g = operator.attrgetter(W('real'))
                got = g(g)['eval']('().__class__.__base__')
                """,
        """
                class W(str):
                    def __contains__(self, o):
                        return False
                    def __radd__(self, other):
                        return '__getattribute__'
                M = type('M', (type,), {'__name__': property(lambda c: W('Pn'))})
                P = M('P', (email.charset.Charset,), {})
                got = reprlib.Repr.repr1(reprlib.Repr, P('utf-8'), '_get_encoder')(b'x')
                """,
        """
                from contextlib import wraps
                seen = []
                class C:
                    def __setattr__(self, n, v):
                        seen.append(v)
                wraps(re.compile, assigned=('__globals__',), updated=())(C())
                got = seen[0]['eval']('().__class__.__base__')
                """,
        "from calendar import global_enum\nclass E(enum.IntEnum):\n    copy_context = 1\n"
                + "E.__module__ = 'contextvars'\nglobal_enum(E)\nimport contextvars\ngot = contextvars.copy_context",
        "from email.generator import deepcopy\nmemo = {}\ndeepcopy(re, memo)\ngot = memo[id(memo)][0]",
        "got = dataclasses.FunctionType",
        "class Fake:\n    def copy(self):\n        return re.RegexFlag\ndecimal.setcontext(Fake())\n"
                + "decimal.localcontext(prec=77)\ngot = re.RegexFlag.prec",
        "import contextvars\nclass Fake:\n    def copy(self):\n        return re.RegexFlag\ndecimal.getcontext()\n"
                + "[v for v in contextvars.copy_context()][-1].set(Fake())\n"
                + "decimal.localcontext(prec=77)\ngot = re.RegexFlag.prec",
    })
    void checksThatDecideOnceAndSymbolsJudgedByWhatTheyAre(String attack) throws ScriptException {
        try (Sandbox modules = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("email.charset")
                .allowModule("email.message", "MIMEPart").allowModule("dataclasses")
                .allowModule("dataclasses", "FunctionType").allowModule("decimal").allowModule("hmac")
                .allowModule("datetime").allowModule("contextlib").allowModule("contextlib", "wraps")
                .allowModule("reprlib").allowModule("typing").allowModule("operator").allowModule("enum")
                .allowModule("calendar", "global_enum").allowModule("email.generator", "deepcopy")
                .allowModule("contextvars").timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> modules.execute("""
                    import re, hmac, dataclasses, datetime, contextlib, reprlib, typing, operator, enum, decimal
                    import email.charset
                    from email.charset import Charset
                    from email.message import MIMEPart
                    """ + attack.stripIndent() + "\nraise ValueError('got ' + repr(got)[:300])"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(blocked by the sandbox|needs a 'date' object|needs a 'Repr' object"
                            + "|needs a decimal.Context|never available in the sandbox"
                            + "|'function' object has no attribute 'real').*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("class 'object'")
                    .hasMessageNotContaining("EVIL");
            assertThat(modules.eval("import re\n[n for n in ('digest_size', '_month', '_exit_callbacks', '_headers', "
                    + "'prec', '_inner') if hasattr(re.RegexFlag, n)] + [re.escape('.'), re.IGNORECASE.name]"))
                    .isEqualTo(List.of("\\.", "IGNORECASE"));
            // what stays: the same machinery on what the script may use
            assertThat(modules.eval("""
                    import hmac, contextlib, reprlib, operator, decimal, dataclasses
                    from email.message import MIMEPart
                    class Stack(contextlib.ExitStack):
                        pass
                    class Mac(hmac.HMAC):
                        pass
                    @dataclasses.dataclass
                    class P:
                        x: int
                        _y: int = 0
                    class Q(P):
                        pass
                    class Named(str):
                        pass
                    class R(reprlib.Repr):
                        def repr_P(self, x, level):
                            return 'P!'
                    match Q(1, 2):
                        case Q(x=a, _y=b):
                            matched = (a, b)
                    part = MIMEPart()
                    part['Content-Type'] = 'text/plain'
                    part.make_mixed()
                    decimal.setcontext(decimal.Context(prec=5))
                    with decimal.localcontext(prec=3):
                        third = str(decimal.Decimal(1) / 3)
                    [type(Stack().pop_all()).__name__, Mac(b'k', b'm', 'md5').copy().hexdigest()[:6],
                     P(1, 2) == P(1, 2), repr(Q(1)), matched, R().repr(P(1)),
                     operator.attrgetter(Named('x'))(P(5)), part.get_content_type(), third,
                     str(decimal.Decimal(2) / 3)]
                    """)).isEqualTo(List.of("Stack", "ed7e72", true, "Q(x=1, _y=0)", List.of(1, 2), "P!", 5,
                            "multipart/mixed", "0.333", "0.66667"));
        }
    }

    // A second review and a second audit of the same stop: email's _PolicyBase.__init__(**kw) set __class__
    // with object.__setattr__, so the script's object became a Charset in the middle of a call whose purity
    // test of it had run, and its private attribute was read raw (a full escape); decimal's private setters
    // wrote any name ('copy' on a real Context, which localcontext() then called; any name on the shared
    // DefaultContext) and its context manager set what the script's copy() returned as the current
    // context; a builtin __init__ set up again a trusted SimpleNamespace (pathlib's flavour, then).
    @ParameterizedTest
    @ValueSource(strings = {
        """
                from email.policy import EmailPolicy
                class P(EmailPolicy):
                    pass
                class A:
                    def __getattribute__(self, name):
                        return P if name == '__class__' else object.__getattribute__(self, name)
                p = P()
                m = p.__init__
                EmailPolicy.__init__(p, __class__=A)
                p.header_encoding = 1
                def f(p, m):
                    m(__class__=Charset)
                    g = p._get_encoder
                    h = p._get_encoder
                    return g
                got = f(p, m)(b'x')
                """,
        "decimal.DefaultContext._set_integer_check('anything', 3, 0, 10)\ngot = decimal.DefaultContext.anything",
        """
                class I(int):
                    def __call__(self):
                        return re.RegexFlag
                c = decimal.Context()
                c._set_integer_check('copy', I(5), 0, 10)
                decimal.localcontext(c, prec=7)
                got = re.RegexFlag.prec
                """,
        """
                class Evil:
                    def copy(self):
                        return re.RegexFlag
                type(decimal.localcontext())(Evil()).__enter__()
                got = decimal.getcontext()
                """,
        """
                f = pathlib.PurePath._flavour
                for set_up_again in (lambda: f.__init__(sep='!'), lambda: type(f).__init__(f, sep='!')):
                    try:
                        set_up_again()
                    except TypeError:
                        pass
                assert f.sep == '/' and str(pathlib.PurePath('a', 'b')) == 'a/b', f.sep
                raise ValueError('held')
                """,
        "collections.OrderedDict.__init__(collections.OrderedDict(), pwned=1)\ngot = 'set up again'",
        // a third review: zipfile's CompleteDirs.make sets source.__class__ = cls after an isinstance() that a
        // script object's __class__ answers. Run red without both changes (the escape), and blocked by each
        // alone: the patched make() refuses, and the class compared at the read site refuses the read
        """
                import zipfile
                class A:
                    def __getattribute__(self, name):
                        return zipfile.ZipFile if name == '__class__' else object.__getattribute__(self, name)
                p0 = A()
                p0.mode = 'r'
                zipfile.Path(p0)
                class Z(type(p0), Charset):
                    pass
                p = A()
                p.mode = 'r'
                p.header_encoding = 1
                def f(p):
                    Z.make(p)
                    g = p._get_encoder
                    h = p._get_encoder
                    return g
                got = f(p)(b'x')
                """,
        "class M(type(decimal.localcontext())):\n    pass\nm = M(decimal.Context())\nm.new_context = re.RegexFlag\n"
                + "m.__enter__()\ngot = decimal.getcontext()",
        "class M(type(decimal.localcontext())):\n    pass\nm = M(decimal.Context())\n"
                + "m.saved_context = pathlib.PurePath\nm.__exit__(None, None, None)\ngot = decimal.getcontext()",
        // a last review: the __init__ dataclass() writes for a class of the script's, read out of vars(C) past
        // the method guard, wrote its fields onto any object (object.__setattr__ when frozen: a module view)
        "import dataclasses\n@dataclasses.dataclass\nclass C:\n    prec: object\n"
                + "vars(C)['__init__'](re.RegexFlag, 'EVIL')\ngot = re.RegexFlag.prec",
        "import dataclasses\n@dataclasses.dataclass(frozen=True)\nclass F:\n    compile: object\n"
                + "vars(F)['__init__'](re, 'EVIL')\ngot = __import__('re').compile",
    })
    void trustedSettersTakeOnlyTheirOwnNames(String attack) throws ScriptException {
        try (Sandbox modules = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("email.policy")
                .allowModule("email.charset").allowModule("decimal").allowModule("pathlib")
                .allowModule("collections").allowModule("zipfile").allowModule("dataclasses")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> modules.execute("""
                    import re, decimal, pathlib, collections
                    from email.charset import Charset
                    """ + attack.stripIndent() + "\nraise ValueError('got ' + repr(got)[:300])"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(blocked by the sandbox|needs a decimal.Context|held"
                            + "|must be a decimal.Context|has no attribute 'seek'|needs a '[CF]' object).*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("EVIL");
            assertThat(modules.eval("""
                    import re, decimal, pathlib
                    [hasattr(re.RegexFlag, 'prec'), hasattr(decimal.DefaultContext, 'anything'),
                     type(decimal.getcontext()).__name__, str(pathlib.PurePath('a', 'b')), callable(re.compile)]
                    """)).isEqualTo(List.of(false, false, "Context", "a/b", true));
            // what stays: the same setters and constructors as they are meant to be used
            assertThat(modules.eval("""
                    import collections, decimal
                    from email.policy import EmailPolicy
                    class Ordered(collections.OrderedDict):
                        def __init__(self):
                            super().__init__(b=2)
                    p = EmailPolicy(max_line_length=40)
                    with decimal.localcontext(decimal.Context(prec=4), Emax=99) as local:
                        third = str(decimal.Decimal(1) / 3)
                    [p.max_line_length, p.clone(utf8=True).utf8, list(Ordered()),
                     list(collections.OrderedDict(a=1)), third, local.Emax]
                    """)).isEqualTo(List.of(40, true, List.of("b"), List.of("a"), "0.3333", 99));
        }
    }

    // A review of the fixes above, and a hunt through the modules not yet read (2026-12-05): a class pattern
    // whose class is the script's own read a trusted object's private attribute raw; 'obj._x += v' read it
    // raw for the script's own __radd__; super(Y, Y).__init__ was the trusted function unbound; and in
    // allowable modules, DOMBuilder.getFeature read any attribute of the script's '_options',
    // decimal.localcontext set its keywords on what the script's copy() returned, functools.total_ordering
    // added methods to any class, contextlib's redirect_stdout read any attribute of the real sys
    // ('modules'), and traceback's suggestions imported the module an ImportError names.
    @ParameterizedTest
    @ValueSource(strings = {
        "class M(type):\n    def __instancecheck__(cls, x):\n        return True\nclass Q(metaclass=M):\n"
                + "    __match_args__ = ('_os',)\nmatch H:\n    case Q(f):\n        pass",
        "class P(H):\n    __match_args__ = ('_os',)\nmatch object.__new__(P):\n    case P(f):\n        pass",
        "got = []\nclass Grab:\n    def __radd__(self, other):\n        got.append(other)\n        return 0\n"
                + "class P(H):\n    pass\np = object.__new__(P)\np._os += Grab()\nf = got[0]",
        "got = []\nclass Grab:\n    def __radd__(self, other):\n        got.append(other)\n        return 0\n"
                + "class P(H):\n    pass\nbox = [object.__new__(P)]\nbox[0]._os += Grab()\nf = got[0]",
    })
    void privateAttributesReadByPatternsAndAugmentedAssignmentsHandOutNoModule(String read) throws ScriptException {
        assertThatThrownBy(() -> paths.execute("import dbm.dumb\nH = dbm.dumb._Database\n" + read
                + "\nst = f.sys.modules['pysandbox.state']\nreached = st.orig_eval('1')"))
                .as(read).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("'_os'")
                .hasMessageMatching("(?s).*(it holds the module 'os'|whose class is not entirely the script's).*");
        // augmented assignments of private attributes keep Python's order and in-place operations
        assertThat(paths.eval("""
                log = []
                class Counter:
                    def __init__(self):
                        self._n = 0
                        self.__items = []
                    def bump(self):
                        self._n += self.step()
                        self.__items += [self._n]
                        return self.__items
                    def step(self):
                        log.append(self._n)
                        self._n = 100
                        return 1
                c = Counter()
                alias = c._Counter__items
                holder = [c]
                holder[0]._n += 1
                [c.bump(), log, alias is c._Counter__items, c._n]
                """)).isEqualTo(List.of(List.of(2), List.of(1), true, 2));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "class Y(string.Template):\n    pass\nsuper(Y, Y).__init__(re.RegexFlag, 'pwned')",
        "from xml.dom.xmlbuilder import DOMBuilder\nclass B(DOMBuilder):\n    pass\nb = B()\nb._options = re.compile\n"
                + "st = b.getFeature('__globals__')['enum'].sys.modules['pysandbox.state']\n"
                + "st.orig_setattr(re.RegexFlag, 'pwned', 1)",
        "from xml.dom import xmlbuilder\nclass P:\n    def __init__(self):\n        self._options = re.RegexFlag\n"
                + "        self._settings = {('f', 1): [('pwned', 42)]}\n    def supportsFeature(self, name):\n"
                + "        return True\nxmlbuilder.DOMBuilder.setFeature(P(), 'f', True)",
        "class C:\n    def copy(self):\n        return re.RegexFlag\ndecimal.localcontext(C(), prec=5)",
        "functools.total_ordering(numbers.Real)",
        "import contextlib\ncontextlib.redirect_stdout",
        "from contextlib import redirect_stderr",
    })
    void gadgetsOfAllowableModulesChangeAndHandOutNothing(String attack) throws ScriptException {
        try (Sandbox modules = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("string")
                .allowModule("xml.dom.xmlbuilder").allowModule("decimal").allowModule("functools")
                .allowModule("numbers").allowModule("contextlib").timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> modules.execute("import re, string, decimal, functools, numbers\n" + attack))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(needs a 'Y' object|blocked by the sandbox|never available).*");
            assertThat(modules.eval("import re, numbers\n[sorted(k for k in ('pwned', 'prec', 'template') "
                    + "if hasattr(re.RegexFlag, k)), numbers.Real.__gt__ is object.__gt__]"))
                    .isEqualTo(List.of(List.of(), true));
            // what stays: the checked symbols work on the script's own objects
            assertThat(modules.eval("""
                    import decimal, functools
                    @functools.total_ordering
                    class V:
                        def __init__(self, v):
                            self.v = v
                        def __eq__(self, o):
                            return self.v == o.v
                        def __lt__(self, o):
                            return self.v < o.v
                    with decimal.localcontext(prec=3) as ctx:
                        third = str(decimal.Decimal(1) / 3)
                    [V(2) >= V(1), third]
                    """)).isEqualTo(List.of(true, "0.333"));
        }
    }

    // The chain a review built from two open findings (2026-12-05): a trusted method with a foreign self
    // (email's Message.set_unixfrom) put a type()-made class at re.RegexFlag._unixfrom, whose __module__ and
    // __qualname__ named that path, so the copy patch took its reduction for trusted code. UserDict.copy then
    // set the ownership mark raw on the counting wrappers' class, after which the raw generator was the
    // script's to read. A reduction defined by a script's function (a def, or a lambda, which the policy's
    // counting wrapper makes a policy function) is now never trusted, whatever path names its class.
    @ParameterizedTest
    @ValueSource(strings = {
        "def reduce(self, p):\n    return (make, (), (None, {'__pysandbox_owned__': True}))",
        "reduce = lambda self, p: (make, (), (None, {'__pysandbox_owned__': True}))",
        // a builtin type's method in a type() namespace: the reduction is an item of the script's list
        "reduce = list.__getitem__\nBASE = (list,)\n"
                + "ITEMS = [0, 0, 0, 0, (make, (), (None, {'__pysandbox_owned__': True}))]",
    })
    void aClassPlacedAtATrustedPathKeepsTheScriptsReduction(String reduce) throws ScriptException {
        try (Sandbox mail = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("collections")
                .allowModule("email.message", "Message").timeout(Duration.ofSeconds(120)).build())) {
            assertThatThrownBy(() -> mail.execute("""
                    import re, collections, email.message
                    def gen():
                        yield 1
                    R = type(gen()).mro()[1]
                    def make():
                        return R
                    """ + reduce + """

                    X = type('X', globals().get('BASE', ()), {'__module__': 're', '__qualname__': 'RegexFlag._unixfrom',
                                                              'data': {}, '__reduce_ex__': reduce})
                    email.message.Message.set_unixfrom(re.RegexFlag, X)
                    collections.UserDict.copy(X(globals().get('ITEMS', ())) if 'ITEMS' in globals() else X())
                    """)).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("'__pysandbox_owned__' is blocked");
            assertThatThrownBy(() -> mail.execute("def gen():\n    yield 1\nvars(type(gen()).mro()[1])"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("reading '__dict__'");
        }
    }

    @Test
    void tracebackSuggestionsImportNothingAndSearchNoBuiltins() throws ScriptException {
        try (Sandbox traced = new Sandbox(SandboxConfig.builder().allowModule("traceback").timeout(Duration.ofSeconds(60))
                .build())) {
            assertThat(traced.eval("""
                    import traceback
                    e = ImportError('x', name='string')
                    e.name_from = 'ascii_letter'
                    traceback.format_exception(e)[-1]
                    """)).isEqualTo("ImportError: x\n");
        }
    }

    @Test
    void dataclassHelpersThatReadFieldNamesAreNeverAvailable() throws ScriptException {
        try (Sandbox data = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("dataclasses")
                .timeout(Duration.ofSeconds(60)).build())) {
            for (String helper : new String[] {"replace", "asdict", "astuple"}) {
                assertThatThrownBy(() -> data.execute("import dataclasses\ndataclasses." + helper)).as(helper)
                        .isInstanceOf(SandboxViolationException.class).hasMessageContaining(helper);
                assertThatThrownBy(() -> data.execute("from dataclasses import " + helper)).as(helper)
                        .isInstanceOf(SandboxViolationException.class);
            }
            assertThatThrownBy(() -> data.execute("""
                    import dataclasses, re
                    @dataclasses.dataclass
                    class D:
                        q: int = 0
                    FIELD = dataclasses.fields(D)[0]._field_type
                    class F:
                        def __init__(self, name):
                            self.name = name; self._field_type = FIELD; self.init = True
                    got = {}
                    def grab(**kw):
                        got.update(kw)
                    class MM(type):
                        __dataclass_fields__ = {'s': F('__setattr__')}
                        @property
                        def __class__(cls):
                            return grab
                    class T(type, metaclass=MM):
                        pass
                    dataclasses.replace(T)
                    got['__setattr__'](re.RegexFlag, 'pwned', 42)
                    """)).isInstanceOf(SandboxViolationException.class);
            assertThat(data.eval("import re\nhasattr(re.RegexFlag, 'pwned')")).isEqualTo(false);
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule("dataclasses", "dataclass", "asdict").build())
                    .hasMessageContaining("asdict");
            // the rest of dataclasses works
            assertThat(data.eval("import dataclasses\n@dataclasses.dataclass\nclass P:\n    x: int\n    y: int = 2\n"
                    + "[repr(P(1)), [f.name for f in dataclasses.fields(P)], dataclasses.is_dataclass(P)]"))
                    .isEqualTo(List.of("P(x=1, y=2)", List.of("x", "y"), true));
        }
    }

    @Test
    void aDataclassDocstringIsWrittenWithoutInspect() throws ScriptException {
        // the real dataclass evals a faked __text_signature__ in the module __module__ names (the token leaked)
        try (Sandbox data = new Sandbox(SandboxConfig.builder().allowModule("dataclasses", "dataclass")
                .timeout(Duration.ofSeconds(60)).build())) {
            Object doc = data.eval("import dataclasses\nclass Sig:\n    __module__ = 'pysandbox.checker'\n"
                    + "    def __get__(self, obj, cls=None): return self\n    def __call__(self, *a): pass\n"
                    + "    def __getattr__(self, name):\n        if name == '__text_signature__':\n"
                    + "            return '(self, x=GUARD_MATCH)'\n        raise AttributeError(name)\n"
                    + "@dataclasses.dataclass\nclass C:\n    __init__ = Sig()\nC.__doc__");
            assertThat(String.valueOf(doc)).doesNotContain("__pysandbox_").isEqualTo("C()");
            assertThat(data.eval("import dataclasses\n@dataclasses.dataclass\nclass P:\n    x: int\n    y: int = 2\n"
                    + "P.__doc__")).isEqualTo("P(x: int, y: int = 2)");
        }
    }

    // -- the fifth review of 2026-12-05: the fixes above attacked again -------------------------------------
    /** The first enum.property fix checked the fields and called the original, which read them again. */
    @ParameterizedTest
    @ValueSource(strings = {
        "class Q(P):\n    _attr_type = 'attr'\n    _cls_type = getattr\n    @property\n    def name(self):\n"
            + "        n[0] += 1\n        return '__name__' if n[0] == 1 else '__glob' + 'als__'\n"
            + "    @name.setter\n    def name(self, v): pass\n",
        "class Q(P):\n    _attr_type = 'attr'\n    _cls_type = getattr\n    name = '__glob' + 'als__'\n"
            + "    @property\n    def fget(self):\n        n[0] += 1\n        return print if n[0] == 1 else None\n"
            + "    @fget.setter\n    def fget(self, v): pass\n",
    })
    void anEnumPropertyReadsEachFieldOnce(String subclass) {
        String prelude = "import re\nclass E0(metaclass=type(re.RegexFlag)): pass\nclass B:\n    def foo(self): pass\n"
                + "class E(B, E0):\n    foo = 1\nP = type(vars(E)['foo'])\nn = [0]\n";
        Object got;
        try {
            got = sandbox.eval(prelude + subclass + "type(Q().__get__(1)).__name__");
        } catch (ScriptException refused) {
            got = "refused";
        }
        assertThat(got).as(subclass).isIn("refused", "str", "NoneType");
    }

    @Test
    void theFixesOfTheReviewsHoldAgainstTheirOwnBypasses() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX, Feature.ENCODINGS, Feature.CODECS)
                .allowModule("functools", "update_wrapper", "wraps").allowModule("collections", "UserDict")
                .allowModule("dataclasses", "dataclass").timeout(Duration.ofSeconds(120)).build())) {
            // update_wrapper copied a trusted class's raw __dict__ (StreamWriter.__getattr__, whose default is
            // the original getattr) onto the script's function
            assertThat(s.eval("import functools\nimport encodings.utf_8 as u8\ndef w(): pass\n"
                    + "functools.update_wrapper(w, u8.StreamWriter.mro()[1])\n'__getattr__' in vars(w)"))
                    .isEqualTo(false);
            // copy's check trusted only marked classes: three-argument type() makes an unmarked one
            assertThatThrownBy(() -> s.execute("import collections, re\ntarget = re.RegexFlag\n"
                    + "R = type('R', (collections.UserDict,), {'__copy__': None, '__reduce_ex__': lambda self, p: "
                    + "(lambda: target, (), (None, {'planted': 1}))})\nR().copy()"))
                    .isInstanceOf(SandboxViolationException.class);
            assertThatThrownBy(() -> s.execute("import dataclasses, re\ntarget = re.RegexFlag\n"
                    + "R = type('R', (), {'__reduce_ex__': lambda self, p: (lambda: target, (), (None, {'planted': 1}))})\n"
                    + "@dataclasses.dataclass\nclass D:\n    a: object\ndataclasses.asdict(D(R()))"))
                    .isInstanceOf(SandboxViolationException.class);
            assertThat(s.eval("import re\nhasattr(re.RegexFlag, 'planted')")).isEqualTo(false);
            // dataclass() changed any class: the module views' (every view unhashable), a trusted codec class
            for (String target : new String[] {"type(re)", "codecs.IncrementalEncoder", "re.RegexFlag"}) {
                assertThatThrownBy(() -> s.execute("import dataclasses, re, codecs\ndataclasses.dataclass(" + target
                        + ")")).as(target).isInstanceOf(SandboxViolationException.class);
            }
            assertThat(s.eval("import re, codecs\n[hash(re) == hash(re), codecs.IncrementalEncoder('strict').errors]"))
                    .isEqualTo(List.of(true, "strict"));
        }
    }

    /** The fourth review: copy's reduction read from the object's own __dict__, and EnumType's member builder. */
    @Test
    void reductionsAndEnumMembersChangeOnlyTheScriptsObjects() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("collections", "UserDict")
                .allowModule("enum", "Enum", "IntEnum", "auto").timeout(Duration.ofSeconds(120)).build())) {
            // an exception's __dict__ is the script's: a __reduce_ex__ there wins over the trusted class's
            assertThatThrownBy(() -> s.execute("import re\nfrom collections import UserDict\ne = ValueError('x')\n"
                    + "e.data = {}\ne.__dict__['__reduce_ex__'] = lambda p: (lambda: re.RegexFlag, (), "
                    + "(None, {'planted': 1}))\nUserDict.copy(e)")).isInstanceOf(SandboxViolationException.class);
            // EnumType sets _name_/_value_ raw on whatever a member's __new__ returns (feature regex alone)
            for (String target : new String[] {"re.RegexFlag", "getattr", "re.I"}) {
                assertThatThrownBy(() -> s.execute("import re\nclass E(metaclass=type(re.RegexFlag)):\n"
                        + "    def __new__(cls, *a):\n        return " + target + "\n    planted = 7\n"))
                        .as(target).isInstanceOf(SandboxViolationException.class);
            }
            assertThat(s.eval("import re\n[hasattr(re.RegexFlag, 'planted'), re.RegexFlag._name_ if "
                    + "hasattr(re.RegexFlag, '_name_') else None, re.I.name]")).isEqualTo(java.util.Arrays.asList(false, null, "IGNORECASE"));
            // the script's own enums keep working, with a __new__ of their own too
            assertThat(s.eval("import enum\nclass C(enum.Enum):\n    RED = 1\n    GREEN = enum.auto()\n"
                    + "class N(enum.IntEnum):\n    A = 1\nclass P(enum.Enum):\n    def __new__(cls, v):\n"
                    + "        o = object.__new__(cls)\n        o._value_ = v * 10\n        return o\n    Q = 1\n"
                    + "[C(1).name, C.GREEN.value, N.A + 1, P.Q.value]")).isEqualTo(List.of("RED", 2, 2, 10));
        }
    }

    /**
     * vars(C) and C.__dict__ of a class of the script's handed out what trusted code had put into its namespace
     * raw (the __init__ dataclass() writes, read out of vars(C), wrote fields onto re.RegexFlag; review,
     * 2026-12-05), and a class pattern read __dict__ off a class raw. Each value is now judged as reading it as
     * an attribute judges it: a trusted method under a dunder name takes only an instance of the class.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "@dataclasses.dataclass\nclass D:\n    x: int\ngot = vars(D)['__eq__'](re.RegexFlag, re.RegexFlag)",
        "@dataclasses.dataclass\nclass D:\n    x: int\ngot = D.__dict__['__init__'](re.RegexFlag, 1)",
        "@dataclasses.dataclass\nclass D:\n    x: int\ngot = dict(vars(D))['__repr__'](re.RegexFlag)",
        "@dataclasses.dataclass\nclass D:\n    x: int\ngot = [v for k, v in vars(D).items() if k == '__eq__'][0]"
                + "(re.RegexFlag, re.RegexFlag)",
        "class P(typing.Protocol):\n    pass\ngot = {**vars(P)}['__init__'](re.RegexFlag)",
        "@functools.total_ordering\nclass T:\n    def __eq__(self, o):\n        return True\n"
                + "    def __lt__(self, o):\n        return True\ngot = vars(T)['__gt__'](re.RegexFlag, 1)",
        "class C(str):\n    format = str.format\ngot = vars(C)['format']('{0.__globals__}', len)",
        "@dataclasses.dataclass\nclass D:\n    x: int\nmatch D:\n    case type(__dict__=got):\n        pass",
        // the frozen dataclass's __setattr__ out of the namespace set __class__ of the script's objects
        "@dataclasses.dataclass(frozen=True)\nclass F:\n    pass\nclass P(F):\n    pass\np = P()\n"
                + "vars(F)['__setattr__'](p, '__class__', Charset)\ngot = type(p)",
        // __getstate__ read any field name, __code__ of the script's function: a code object
        "@dataclasses.dataclass(frozen=True, slots=True)\nclass S:\n    a: int = 0\n"
                + "class MyField(dataclasses.Field):\n    pass\nmf = MyField(0, dataclasses.MISSING, True, True, "
                + "None, True, None, False)\nmf.name = '__code__'\ndef g():\n    return 1\n"
                + "vars(g)['__dataclass_fields__'] = {'x': mf}\ngot = vars(S)['__getstate__'](g)",
        // the full escape: __setstate__ wrote the pure mark onto a class with Charset among its bases, whose
        // _get_encoder() then was read raw and handed out email.quoprimime
        "@dataclasses.dataclass(frozen=True, slots=True)\nclass S:\n    a: int = 0\n"
                + "setstate = dict(vars(S).items())['__setstate__']\n"
                + "@dataclasses.dataclass\nclass D:\n    b: int = 0\nclass MyField(dataclasses.Field):\n    pass\n"
                + "mf = MyField(0, dataclasses.MISSING, True, True, None, True, None, False)\n"
                + "mf.name = '__pysandbox_pure__'\nmf._field_type = D.__dataclass_fields__['b']._field_type\n"
                + "D.__dataclass_fields__.clear()\nD.__dataclass_fields__['x'] = mf\n"
                + "class T(Charset, D):\n    pass\nsetstate(T, (T,))\nt = T('utf-8')\nt.header_encoding = 1\n"
                + "got = t._get_encoder(b'x')",
    })
    void classNamespacesHandOutWhatAttributeReadsWould(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("dataclasses")
                .allowModule("functools").allowModule("typing").allowModule("email.charset")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("import re, dataclasses, functools, typing\n"
                    + "from email.charset import Charset\n" + attack + "\nraise ValueError('got ' + repr(got)[:200])"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(needs a '[DPT]' object|read vars\\(\\) of the class"
                            + "|reading the attribute '__[gs]etstate__' is blocked"
                            + "|changing the attribute '__class__' is blocked|reading the attribute '__globals__'"
                            + "|KeyError: '__setstate__').*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("<code");
            // what stays: a class's namespace read as the mapping it is, its methods called on its instances
            assertThat(s.eval("""
                    import dataclasses, typing
                    @dataclasses.dataclass
                    class D:
                        x: int
                        y: int = 2
                        def twice(self):
                            return self.x * 2
                    ns = vars(D)
                    d = D(1)
                    ns['__init__'](d, 4)
                    [ns['twice'](d), 'y' in ns, ns.get('nothing', 5), dict(ns)['y'], {**D.__dict__}['y'],
                     sorted(k for k in ns.keys() if not k.startswith('_')), len(ns) == len(list(ns)),
                     repr(ns).startswith('mappingproxy('), ns == vars(D), ns['__eq__'](d, D(4)), str(d),
                     isinstance(ns, typing.Mapping)]
                    """)).isEqualTo(List.of(8, true, 5, 2, 2, List.of("twice", "y"), true, true, true, true,
                    "D(x=4, y=2)", true));
        }
    }

    /**
     * The first form of the view above could be subclassed, and read its class with an ordinary attribute
     * lookup: a subclass's __getattr__ answered 'type' for the empty slot, type's '__dict__' descriptor came
     * out raw, and with it the raw namespace of any class: Charset._get_encoder, email.quoprimime, the
     * original eval (review, 2026-12-05).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "class Sub(NS):\n    def __getattr__(self, n):\n        return type\nd = Sub()['__dict__']",
        "Sub = type('Sub', (NS,), {'__getattr__': lambda self, n: type})\nd = Sub()['__dict__']",
        "class Fake:\n    def __getattr__(self, n):\n        return type\nd = NS.__getitem__(Fake(), '__dict__')",
        "class Fake:\n    def __getattr__(self, n):\n        return type\nd = dict(NS.items(Fake()))['__dict__']",
        "d = object.__new__(NS)['__dict__']",
        "class M(type):\n    pass\nclass K(metaclass=M):\n    pass\nd = vars(M)['__dict__']",
    })
    void aClassNamespaceViewReadsOnlyItsOwnClass(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("email.charset")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("import email.charset\nclass C:\n    pass\nNS = type(vars(C))\n"
                    + attack + "\nraw = d.__get__(email.charset.Charset)\n"
                    + "got = raw['_get_encoder'](email.charset.Charset('iso-8859-1'), b'x')\n"
                    + "raise ValueError('got ' + repr(got.eval('().__class__.__base__')))"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(cannot be subclassed|namespace view is needed"
                            + "|needs a '_ClassNamespace' object|__pysandbox_owner__|KeyError).*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("<class 'object'>");
        }
    }

    /**
     * A third review of the view: a key of the script's with str's hash and an __eq__ that says yes found
     * '__setstate__' past every name check; dataclasses' __setstate__, fed a field named '__bases__', put
     * Charset into the MRO of a class marked pure, whose _get_encoder() was then read raw (a full escape;
     * review, 2026-12-05). Keys are plain strings, and the state methods take only their class's instances
     * and plain field names.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "setstate = vars(P)[K('__setstate__')]",
        "setstate = vars(P).get(K('__setstate__'))",
        "setstate = [v for k, v in vars(P).items() if k == '__setstate__'][0]",
        "setstate = dict(vars(P))[K('__setstate__')]",
    })
    void namespaceKeysArePlainStringsAndStateMethodsPlainNames(String read) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("dataclasses").allowModule("email.charset")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("""
                    import dataclasses
                    from email.charset import Charset
                    @dataclasses.dataclass(frozen=True, slots=True)
                    class P:
                        x: int = 1
                    @dataclasses.dataclass
                    class Q:
                        y: int = 0
                    class K:
                        def __init__(self, s):
                            self.s = s
                        def __hash__(self):
                            return hash(self.s)
                        def __eq__(self, other):
                            return True
                    """ + read + """

                    class MyF(dataclasses.Field):
                        pass
                    mf = object.__new__(MyF)
                    mf.name = '__bases__'
                    mf._field_type = dataclasses.fields(Q)[0]._field_type
                    class Base:
                        pass
                    class T(Base):
                        __dataclass_fields__ = {'b': mf}
                    setstate(T, ((Charset,),))
                    got = T('iso-8859-1')._get_encoder(b'x')
                    raise ValueError('got ' + repr(got))
                    """)).as(read).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(KeyError|IndexError|'NoneType' object is not callable).*")
                    .hasMessageNotContaining("<module");
            // the state methods keep working on their own instances, with plain field names only
            assertThat(s.eval("""
                    import dataclasses
                    @dataclasses.dataclass(frozen=True, slots=True)
                    class P:
                        x: int = 1
                    p = P(5)
                    [p.x, p == P(5), hash(p) == hash(P(5))]
                    """)).isEqualTo(List.of(5, true, true));
        }
    }

    /**
     * A fourth review: copy's default reduction of a script's object reads its slots' names with getattr,
     * which found a trusted base's class attribute under a slot named '_os' (dbm.dumb._Database's real os)
     * or '_get_encoder'; the copy held it in its own __dict__, which vars() handed out (a full escape through
     * collections.UserDict.copy; the floor held). And a trusted staticmethod out of a class's namespace had
     * the raw function as its __wrapped__ (review, 2026-12-05).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "class S:\n    __slots__ = ('_os',)\nclass D(_Database, S, UserDict):\n    __copy__ = None\n"
                + "    def __init__(self):\n        self.data = {}\nc = D().copy()\ngot = vars(c)['_os']",
        "class S:\n    __slots__ = ('_get_encoder',)\nclass D(Charset, S, UserDict):\n    __copy__ = None\n"
                + "    def __init__(self):\n        Charset.__init__(self, 'iso-8859-1')\n        self.data = {}\n"
                + "c = D().copy()\ngot = vars(c)['_get_encoder'](b'x')",
        "class E(enum.Enum):\n    A = 1\ng = vars(E)['_generate_next_value_']\n"
                + "got = g.__wrapped__ if hasattr(g, '__wrapped__') else None\n"
                + "assert got is None or got.__qualname__ != 'Enum._generate_next_value_', 'raw'\nraise KeyError('held')",
    })
    void copiesAndMethodWrappersHandOutWhatReadsWould(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("dbm.dumb", "_Database")
                .allowModule("collections").allowModule("email.charset").allowModule("enum")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("from dbm.dumb import _Database\nfrom collections import UserDict\n"
                    + "from email.charset import Charset\nimport enum\n" + attack
                    + "\nraise ValueError('got ' + repr(got))"))
                    .as(attack).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(holds the module 'os'|holds a trusted method|KeyError: 'held').*")
                    .hasMessageNotContaining("<module").hasMessageNotContaining("raw");
            // copies of the script's objects with slots keep their state
            assertThat(s.eval("""
                    from collections import UserDict
                    class S:
                        __slots__ = ('_n',)
                    class D(S, UserDict):
                        __copy__ = None
                        def __init__(self):
                            self.data = {'a': 1}
                            self._n = 3
                    c = D().copy()
                    [c._n, dict(c), vars(c)['data']]
                    """)).isEqualTo(List.of(3, java.util.Map.of("a", 1), java.util.Map.of("a", 1)));
        }
    }

    /**
     * A fifth review: tempfile's _TemporaryFileWrapper.__getattr__ reads any attribute of the object it wraps,
     * which a script's subclass picks, and caches it raw in the instance's __dict__; the private guard refused
     * 'w._os' after the value was cached, and vars(w) handed out dbm.dumb._Database's real os (a full escape;
     * the floor held). The symbol can never be allowed; vars() of an instance stays its own dict.
     */
    @Test
    void aWrapperThatCachesRawReadsCanNeverBeAllowed() {
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("tempfile", "_TemporaryFileWrapper").build())
                .isInstanceOf(org.pysandbox.config.SandboxConfigurationException.class)
                .hasMessageContaining("_TemporaryFileWrapper")
                .hasMessageContaining("vars()");
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("tempfile").allowModule("dbm.dumb", "_Database")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("import tempfile\nfrom dbm.dumb import _Database\n"
                    + "class W(tempfile._TemporaryFileWrapper):\n    def close(self):\n        pass\n"
                    + "w = W(_Database.__new__(_Database), 'n', delete=False)\ntry:\n    w._os\nexcept Exception:\n"
                    + "    pass\nraise ValueError('got ' + repr(vars(w)['_os']))"))
                    .isInstanceOf(javax.script.ScriptException.class).hasMessageNotContaining("<module");
        }
    }

    /**
     * vars() of an instance whose class has a trusted base was its raw dict, where trusted writers put what
     * reading the attribute refuses: copy's slot state and tempfile's caching __getattr__ put dbm.dumb's real
     * os there (reviews, 2026-12-05; each closed on its own). The view vars() gives now judges every value it
     * hands out as obj._name does. No trusted writer of a module is left to plant with, so the script plants
     * what it holds itself and obj._name refuses or wraps (a traceback, a trusted function), after the view
     * was made, and reads it back through each of the view's reads.
     */
    @ParameterizedTest
    @ValueSource(strings = {"v['_tb']", "v.get('_tb')", "v.values()", "v.items()", "v.copy()", "dict(v)", "{**v}",
        "v.pop('_tb')", "v | {}", "{} | v", "repr(v)", "v == {}", "v.setdefault('_tb')", "e.__dict__['_tb']",
        "[vars(e)[k] for k in vars(e)]", "object.__getattribute__(e, '__dict__')['_tb']",
        "getattr(e, '__dict__')['_tb']", "vars(e)"})
    void anObjectWithATrustedClassHandsOutAJudgedDict(String read) throws ScriptException {
        String script = PLANTED_TRACEBACK + "got = " + read
                + "\nraise ValueError('leaked' if tb in list(got.values() if hasattr(got, 'values') else got) else 'no')";
        assertThatThrownBy(() -> sandbox.execute(script)).as(read).isInstanceOf(SandboxViolationException.class)
                .hasMessageContaining("it holds a traceback object");
        // what the view is made of, read past its methods, is the judged copy: never the planted value
        assertThat(sandbox.eval("""
                class E(Exception):
                    pass
                e = E()
                e.a = 1
                v = vars(e)
                try:
                    1 / 0
                except ZeroDivisionError as x:
                    e._tb = x.__traceback__
                [dict.get(v, '_tb'), dict.get(v, 'a'), len(dict.keys(v))]
                """)).isEqualTo(java.util.Arrays.asList(null, 1, 1));
    }

    /**
     * A review of the view (stop 35): the '__dict__' descriptor out of a pure class's namespace reads the dict of
     * every subclass's instance, and gave the raw dict of an object with FeedParser among its bases, past the
     * judged view (reads unjudged, writes of any name); a private slot's descriptor, read off the class, reads
     * that slot of a subclass's instance the same way. Neither comes out of a class any more.
     */
    @ParameterizedTest
    @ValueSource(strings = {"vars(P)['__dict__'].__get__(f)", "P.__dict__['__dict__'].__get__(f)",
        "vars(P).get('__dict__').__get__(f)", "[v for k, v in vars(P).items() if k == '__dict__'][0].__get__(f)",
        "S._input.__get__(h)", "vars(S)['_input'].__get__(h)", "getattr(S, '_input').__get__(h)",
        "[v for k, v in vars(S).items() if k == '_input'][0].__get__(h)", "vars(S).copy()['_input'].__get__(h)"})
    void aClassesDescriptorsReadNoObjectPastItsGuards(String read) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("email.feedparser").timeout(Duration.ofSeconds(60))
                .build())) {
            String setup = FEEDPARSER_SUBCLASSES;
            assertThatThrownBy(() -> s.execute(setup + "got = " + read + "\nraise ValueError('got ' + repr(got))"))
                    .as(read).isInstanceOf(ScriptException.class).hasMessageNotContaining("got ");
            // what stays: the namespace lists, copies and reads every other name
            assertThat(s.eval(setup + "[sorted(k for k in dict(vars(S)) if not k.startswith('__')), "
                    + "'__dict__' in vars(P), type(vars(S)['x']).__name__, type(vars(f)).__name__ != 'dict']"))
                    .isEqualTo(List.of(List.of("x"), false, "getset_descriptor", true));
        }
    }

    /**
     * A third review (stop 35): the checked update_wrapper copied the raw __dict__ of what it wrapped into the
     * script's function, whose own dict vars() hands out: a class's '__dict__' and private slot descriptors (the
     * raw dict and slots of a subclass's instance with FeedParser among its bases), an object's raw dict, and
     * what trusted code put into a script's class (enum's raw _generate_next_value_). It copies what vars() of
     * each gives now.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "functools.update_wrapper(g, P)\ngot = vars(g)['__dict__'].__get__(f)",
        "functools.update_wrapper(g, S)\ngot = vars(g)['_input'].__get__(h)",
        "functools.update_wrapper(g, E)\ngot = vars(g)['_generate_next_value_'].__wrapped__",
        "functools.update_wrapper(f, g)\ngot = 1 if '__x__' in dir(f) else None",
        "functools.wraps(g)(f)\ngot = 1 if '__x__' in dir(f) else None",
    })
    void updateWrapperCopiesWhatVarsGives(String relay) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("functools").allowModule("enum")
                .allowModule("email.feedparser").timeout(Duration.ofSeconds(60)).build())) {
            String setup = FEEDPARSER_SUBCLASSES + """
                    import functools, enum
                    class E(enum.Flag):
                        A = enum.auto()
                    def g():
                        pass
                    vars(g)['__x__'] = 1
                    """;
            assertThatThrownBy(() -> s.execute(setup + relay + "\nraise ValueError('got ' + repr(got))"))
                    .as(relay).isInstanceOf(ScriptException.class)
                    .hasMessageNotContaining("got {").hasMessageNotContaining("BufferedSubFile")
                    .hasMessageNotContaining("got <function").hasMessageNotContaining("got 1");
            // what stays: a wrapper takes the wrapped object's attributes, as vars() shows them
            assertThat(s.eval(setup + "functools.update_wrapper(g, f)\n"
                    + "[g.__wrapped__ is f, type(vars(g)['_input']).__name__, 'policy' in vars(g)]"))
                    .isEqualTo(List.of(true, "BufferedSubFile", true));
        }
    }

    /** A trusted function in a private attribute comes out of vars() as obj._name gives it: checked, not raw. */
    @Test
    void aTrustedFunctionOutOfAnObjectsDictIsWhatTheReadGives() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("json").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(s.eval("""
                    import json
                    class E(Exception):
                        pass
                    e = E()
                    e._f = json.dumps
                    [vars(e)['_f'] is json.dumps, e._f is json.dumps, vars(e)['_f']([1]), vars(e)['_f'].__name__]
                    """)).isEqualTo(List.of(false, false, "[1]", "_f"));
        }
    }

    /** The view's own integrity: designed from reading guards._InstanceNamespace. */
    @ParameterizedTest
    @ValueSource(strings = {
        // a key of the script's with str's hash and an __eq__ that says yes (the class view's third review)
        "class K(str):\n    def __hash__(self):\n        return hash('_tb')\n    def __eq__(self, o):\n"
                + "        return True\ngot = v[K('zz')]",
        "class K:\n    def __hash__(self):\n        return hash('_tb')\n    def __eq__(self, o):\n"
                + "        return True\ngot = v[K()]",
        // a subclass that answers the empty owner slot from __getattr__
        "class W(type(v)):\n    def __getattr__(self, n):\n        return e\ngot = W()['_tb']",
        // a view made without vars(), its methods on a foreign dict, the slot's name
        "got = type(v).__new__(type(v))['_tb']",
        "got = type(v).__getitem__({'_tb': tb}, '_tb')",
        "got = type(v).get({'_tb': tb}, '_tb')",
        "got = v.__pysandbox_owner__",
        "got = getattr(v, '__pysandbox_' + 'owner__')",
        // a class pattern reads __dict__ raw: refused off an object with a trusted class
        "match e:\n    case E(__dict__=d):\n        got = d['_tb']",
        // dict's own methods read the copy made with the view, before the plant
        "got = dict.__getitem__(v, '_tb')",
    })
    void anObjectsDictViewCannotBeTurned(String attack) {
        String script = PLANTED_TRACEBACK + attack + "\nraise ValueError('leaked' if got is tb else 'no')";
        assertThatThrownBy(() -> sandbox.execute(script)).as(attack).isInstanceOf(ScriptException.class)
                .hasMessageNotContaining("leaked").hasMessageNotContaining("ValueError: no");
    }

    /**
     * The pure mark's value is a seal the script must never hold: update_wrapper(w, C, updated=('__dict__',))
     * copied a pure class's namespace, mark included, into a function's own __dict__, where vars() hands it
     * out; planted in a type() namespace over a trusted base, it would let private reads skip the guard.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "functools.update_wrapper(w, P, updated=('__dict__',))\nseal = vars(w).get('__pysandbox_pure__')",
        "functools.wraps(P, updated=('__dict__',))(w)\nseal = w.__dict__.get('__pysandbox_pure__')",
        "functools.update_wrapper(w, P, updated=('__dict__',))\n"
                + "seal = [v for k, v in vars(w).items() if k.startswith('__pysandbox_pu')][0]",
    })
    void thePureMarksSealIsNeverCopiedOut(String copy) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("functools").allowModule("dbm.dumb", "_Database")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("import functools\nfrom dbm.dumb import _Database\nclass P:\n"
                    + "    pass\ndef w():\n    pass\n" + copy
                    + "\nX = type('X', (_Database,), {'__pysandbox_pure__': seal})\n"
                    + "raise ValueError('got ' + repr(object.__new__(X)._os))"))
                    .as(copy).isInstanceOf(javax.script.ScriptException.class)
                    .hasMessageMatching("(?s).*(it holds the module 'os'|IndexError).*")
                    .hasMessageNotContaining("<module");
            // the seal never reaches the script, under its name or any other
            assertThat(s.eval("import functools\nclass P:\n    pass\ndef w():\n    pass\ndef u():\n    pass\n"
                    + "functools.update_wrapper(w, P, updated=('__dict__',))\nfunctools.wraps(P, updated=('__dict__',))(u)\n"
                    + "[k for f in (w, u) for k, v in vars(f).items() if k.startswith('__pysandbox_pu') or type(v) is object]"))
                    .isEqualTo(List.of());
            // what stays: the rest of the class's namespace is copied, and __wrapped__ names the class
            assertThat(s.eval("import functools\nclass P:\n    x = 1\ndef w():\n    pass\n"
                    + "functools.update_wrapper(w, P, updated=('__dict__',))\n[vars(w)['x'], w.__wrapped__ is P]"))
                    .isEqualTo(List.of(1, true));
        }
    }

    /**
     * A review of the seal (stop 35, a full escape): contextlib.contextmanager(P) ran the real update_wrapper,
     * which copied P's namespace, marks included, into a trusted closure; the ownership mark made that closure
     * the script's, vars() handed out its dict and the seal; a metaclass function put the seal into the
     * namespace of a class over email.charset.Charset, whose _get_encoder() was then read raw and gave
     * email.quoprimime, sys, os and the original eval. Three layers now: update_wrapper copies none of the
     * policy's names for anyone, a trusted function is never the script's, and a seal names the one class it
     * was made for.
     */
    @ParameterizedTest
    @ValueSource(strings = {"contextlib.contextmanager(P)", "contextlib.asynccontextmanager(P)",
        "functools.lru_cache(P)", "functools.lru_cache(maxsize=2)(P)", "functools.cache(P)"})
    void aTrustedWrapperNeverCarriesTheSealOut(String wrap) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("contextlib").allowModule("functools")
                .allowModule("email.charset").timeout(Duration.ofSeconds(60)).build())) {
            String steal = """
                    import contextlib, functools
                    from email.charset import Charset
                    class P:
                        pass
                    helper = %s
                    seal = vars(helper)['__pysandbox_pure__']
                    def meta(name, bases, ns):
                        ns['__pysandbox_pure__'] = seal
                        return type(name, bases, ns)
                    class C(Charset, metaclass=meta):
                        pass
                    raise ValueError('got ' + repr(C('utf-8')._get_encoder(b'abc')))
                    """.formatted(wrap);
            assertThatThrownBy(() -> s.execute(steal)).as(wrap).isInstanceOf(ScriptException.class)
                    .hasMessageNotContaining("<module").hasMessageNotContaining("got ");
            // the wrappers still work, and name what they wrap
            assertThat(s.eval("import contextlib, functools\nclass P:\n    pass\nhelper = " + wrap
                    + "\n[helper.__wrapped__ is P, [k for k in dir(helper) if 'pysandbox' in k]]"))
                    .isEqualTo(List.of(true, List.of()));
        }
    }

    /**
     * typing's final, override, no_type_check and dataclass_transform set their marks raw on whatever they are
     * given, trusted classes and functions included (review, stop 35); no_type_check also on the functions of a
     * trusted class whose name and module a script's class takes. They mark only the script's own objects now.
     */
    @ParameterizedTest
    @ValueSource(strings = {"typing.final(json.dumps)", "typing.override(re.sub)",
        "typing.no_type_check(pathlib.PurePath)", "typing.no_type_check(json.dumps)",
        "class Charset(email.charset.Charset):\n    __module__ = 'email.charset'\n"
                + "    __qualname__ = 'Charset'\ntyping.no_type_check(Charset)",
        "typing.dataclass_transform(field_specifiers=(1,), anything='mine')(pathlib.PurePath)"})
    void typingsMarksGoOnlyOntoTheScriptsObjects(String mark) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("typing").allowModule("json")
                .allowModule("pathlib").allowModule("email.charset").timeout(Duration.ofSeconds(60)).build())) {
            String check = """
                    import typing, json, re, pathlib, email.charset
                    def marks():
                        return [n for o in (json.dumps, re.sub, pathlib.PurePath, email.charset.Charset,
                                            email.charset.Charset.get_output_charset)
                                for n in dir(o) if n in ('__final__', '__override__', '__no_type_check__',
                                                         '__dataclass_transform__')]
                    """;
            try {
                s.execute(check + mark);
            } catch (ScriptException refused) {
                assertThat(refused).as(mark).isInstanceOf(SandboxViolationException.class)
                        .hasMessageContaining("only objects created by the script can be changed");
            }
            assertThat(s.eval(check + "marks()")).as(mark).isEqualTo(List.of());
            // the script's own objects take them
            assertThat(s.eval("""
                    import typing
                    @typing.final
                    class C:
                        @typing.override
                        def m(self):
                            pass
                    @typing.no_type_check
                    def f(x: 'nothing') -> None:
                        pass
                    @typing.dataclass_transform()
                    class Base:
                        pass
                    [n for o in (C, C.m, f, Base) for n in dir(o) if n in ('__final__', '__override__',
                                                                          '__no_type_check__', '__dataclass_transform__')]
                    """)).isEqualTo(List.of("__final__", "__override__", "__no_type_check__", "__dataclass_transform__"));
        }
    }

    /**
     * dataclasses' Field.__set_name__ relays to its default's __set_name__ with the owner and name it is given:
     * a proto member read while the script's enum was built, so relayed, replaced re.RegexFlag._numeric_repr_
     * with a new member and enum.Flag._missing_ with one (audit, 2026-12-05).
     */
    @ParameterizedTest
    @ValueSource(strings = {"re.RegexFlag, '_numeric_repr_'", "enum.Flag, '_missing_'", "E, 'a'", "E, 'c'"})
    void enumMembersAreMadeOnlyWhileTheirEnumIsBuilt(String target) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("dataclasses")
                .allowModule("enum").timeout(Duration.ofSeconds(60)).build())) {
            String grab = """
                    import re, enum, dataclasses
                    got = []
                    class Grab:
                        def __get__(self, o, t=None):
                            return self
                        def __set_name__(self, owner, name):
                            got.extend(v for v in vars(owner).values() if type(v).__name__ == '_proto_member')
                    class E(enum.Enum):
                        g = Grab()
                        a = 1 << 20
                    class F(dataclasses.Field):
                        __slots__ = ()
                    f = F(got[0], dataclasses.MISSING, True, True, None, True, None, False)
                    """;
            assertThatThrownBy(() -> s.execute(grab + "F.__set_name__(f, " + target + ")"))
                    .as(target).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("an enum member cannot be made for");
            assertThat(s.eval("""
                    import re, enum
                    [re.RegexFlag._numeric_repr_ is hex, len(list(re.RegexFlag)), enum.Flag._missing_.__name__,
                     repr(re.I | re.M)]
                    """)).isEqualTo(List.of(true, 9, "_missing_", "re.IGNORECASE|re.MULTILINE"));
        }
    }

    private static SandboxConfig.Builder copying() {
        return SandboxConfig.builder().enable(Feature.REGEX).allowModule("collections").allowModule("http.cookiejar")
                .allowModule("codecs")
                .allowModule("email.policy").allowModule("email.message").allowModule("email.charset")
                .timeout(Duration.ofSeconds(120));
    }

    /**
     * copy's default reduction hands on the object's own dict as its state: the script's __setstate__ got the
     * raw dict of its UserDict subclass, and of its exception through http.cookiejar.Cookie(rest=...), and wrote
     * any name into it, the ownership mark and non-str keys included (review, 2026-12-06). It gets a copy.
     */
    @ParameterizedTest
    @ValueSource(strings = {"""
            from collections import UserDict
            class C(UserDict):
                __copy__ = None
                def __setstate__(self, state):
                    got.append(state)
                    self.data = {}
            c = C(a=1)
            c.foo = 'bar'
            c.copy()
            """, """
            from http.cookiejar import Cookie
            class C(Exception):
                def __setstate__(self, state):
                    got.append(state)
            c = C('x')
            c.foo = 'bar'
            Cookie(0, 'n', 'v', None, False, 'd', False, False, '/', False, False, None, False, None, None, c)
            """})
    void aCopysStateReachesTheScriptAsACopy(String copied) throws ScriptException {
        try (Sandbox s = new Sandbox(copying().build())) {
            assertThat(s.eval("got = []\n" + copied + """
                    state = got[0]
                    state['zz'] = 5
                    state['__pysandbox_owned__'] = True
                    state[42] = 'key'
                    [state['foo'], hasattr(c, 'zz'), sorted(k for k in vars(c) if type(k) is str)]
                    """)).asString().startsWith("[bar, false, ").doesNotContain("zz").doesNotContain("pysandbox");
        }
    }

    /**
     * deepcopy's memo holds every object copied so far and, in its keep-alive list, their raw state dicts:
     * http.cookiejar's FileCookieJar.revert deep-copies what a subclass puts in _cookies, and a script's
     * __deepcopy__ read the memo, wrote into email.policy.SMTP's dict and a module view's, and planted a
     * substitute for EmailPolicy whose __new__ returned re.I for the trusted reduction to fill, or the guest's
     * getattr, into whose dict the ownership mark then went (review, 2026-12-06). A review of the fix had the
     * memo handed on by codecs.StreamReaderWriter's __getattr__ (a trusted class) to the script's stream, and
     * wrote __bases__ of a sealed pure class with it (a full escape through dbm.dumb._Database._os).
     */
    @Test
    void deepcopysMemoNeverReachesTheScript() throws ScriptException {
        try (Sandbox s = new Sandbox(copying().build())) {
            String revert = """
                    from http.cookiejar import FileCookieJar
                    from email.policy import SMTP, EmailPolicy
                    import re
                    memos = []
                    class J(FileCookieJar):
                        def load(self, *args, **kwargs):
                            pass
                    def deepcopy_of(*items):
                        j = J()
                        j._cookies = list(items)
                        j.revert('nofile')
                    """;
            assertThat(s.eval(revert + """
                    class Spy:
                        def __deepcopy__(self, memo):
                            memos.append(memo)
                            return self
                    deepcopy_of(SMTP, Spy())
                    # a trusted class whose __getattr__ hands on to the script's object (a third review)
                    import codecs
                    deepcopy_of(SMTP, codecs.StreamReaderWriter(Spy(), lambda s, e: None, lambda s, e: None))
                    memos
                    """)).isEqualTo(List.of(Map.of(), Map.of()));
            assertThat(s.eval(revert + """
                    class K:
                        def __new__(cls, *args):
                            return TARGET
                    class Substitute:
                        def __deepcopy__(self, memo):
                            memo[id(EmailPolicy)] = K
                            return self
                    for TARGET in (re.I, getattr):
                        deepcopy_of(Substitute(), SMTP)
                    [repr(re.I), re.I.value, hasattr(re.I, 'linesep'), hasattr(getattr, 'linesep'), SMTP.linesep]
                    """)).isEqualTo(List.of("re.IGNORECASE", 2, false, false, "\r\n"));
            assertThatThrownBy(() -> s.execute("setattr(getattr, 'x', 1)")).isInstanceOf(SandboxViolationException.class);
        }
    }

    /**
     * copy trusted a reduction when the class was found at its __module__ and __qualname__, and a plain-named
     * trusted method given a foreign self (Message.set_unixfrom(re.RegexFlag, X)) put a type()-made class there:
     * its __new__ returned email.charset.Charset, and copy wrote the ownership mark onto it, then
     * email.policy.default's attributes (review, 2026-12-06: a full escape through Charset's _get_encoder).
     * A trusted class is one a trusted module's namespace held when it had loaded.
     */
    @ParameterizedTest
    @ValueSource(strings = {"email.charset.Charset", "email.policy.default"})
    void aClassPlacedAtATrustedPathIsNotATrustedClass(String target) throws ScriptException {
        try (Sandbox s = new Sandbox(copying().build())) {
            assertThatThrownBy(() -> s.execute("""
                    import re, email.message, email.charset, email.policy, http.cookiejar
                    Message = email.message.Message
                    target = [None]
                    def new(cls, *a):
                        return target[0] if target[0] is not None else object.__new__(cls)
                    X = type('_unixfrom', (object,), {'__module__': 're', '__qualname__': 'RegexFlag._unixfrom',
                                                       '__new__': new, '__getstate__': Message.get_unixfrom})
                    Message.set_unixfrom(re.RegexFlag, X)
                    x = X()
                    Message.set_unixfrom(x, (None, {'__pysandbox_owned__': True, 'linesep': '!!'}))
                    target[0] = %s
                    http.cookiejar.Cookie(0, 'n', 'v', None, False, 'd', False, False, '/', False, False, None, False,
                                          None, None, x)
                    """.formatted(target))).isInstanceOf(SandboxViolationException.class)
                    .hasMessageContaining("'__pysandbox_owned__' is blocked");
            assertThat(s.eval("import email.policy\nemail.policy.default.linesep")).isEqualTo("\n");
            assertThatThrownBy(() -> s.execute("import email.charset\nemail.charset.Charset.changed = 1"))
                    .isInstanceOf(SandboxViolationException.class).hasMessageContaining("only objects created by the script");
        }
    }

    /**
     * A trusted reduction fills what its callable returns: timezone(offset) returned the shared timezone.utc
     * when the script's timedelta subclass said it was false, and copy set utc's _offset to the script's
     * object, or to anything its __deepcopy__ returned (review, 2026-12-06). A trusted reduction must make a new
     * object; a timezone is its own copy, so that datetimes still copy (the last assertion).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        "Cookie(0, 'n', 'v', None, False, 'd', False, False, '/', False, False, None, False, None, None, x)",
        "j = J()\nj._cookies = [x]\nj.revert('nofile')"})
    void aTrustedReductionFillsOnlyANewObject(String copy) throws ScriptException {
        try (Sandbox s = new Sandbox(copying().allowModule("datetime").build())) {
            assertThat(s.eval("""
                    import datetime
                    from http.cookiejar import Cookie, FileCookieJar
                    class J(FileCookieJar):
                        def load(self, *a, **k):
                            pass
                    calls = []
                    class TD(datetime.timedelta):
                        def __bool__(self):
                            return not calls
                        def __le__(self, other): return True
                        def __ge__(self, other): return True
                        def __deepcopy__(self, memo):
                            calls.append(1)
                            return self if len(calls) == 1 else 'any object'
                    x = datetime.timezone(TD(hours=1))
                    calls.append(0)
                    """ + copy + "\n" + """
                    utc = datetime.timezone.utc
                    j = J()
                    j._cookies = [datetime.datetime(2020, 1, 1, tzinfo=utc), datetime.timezone(datetime.timedelta(hours=2))]
                    j.revert('nofile')
                    [repr(utc.utcoffset(None)), datetime.datetime(2020, 1, 1, tzinfo=utc).isoformat()]
                    """)).isEqualTo(List.of("datetime.timedelta(0)", "2020-01-01T00:00:00+00:00"));
        }
    }

    /**
     * copy's copier for a bound method binds its function to the deep copy of its self, which the script's
     * __deepcopy__ chooses: the trusted EmailPolicy.__init__ of the script's subclass came back bound to
     * email.policy.SMTP, and enum.property.__set_name__ to re.RegexFlag, each then run on that shared object
     * (review, 2026-12-06). A bound method is its own copy.
     */
    @Test
    void aDeepCopiedMethodStaysBoundToItsOwnObject() throws ScriptException {
        try (Sandbox s = new Sandbox(copying().allowModule("enum").build())) {
            assertThat(s.eval("""
                    import enum, re, email.policy
                    from http.cookiejar import FileCookieJar
                    target = [None]
                    class J(FileCookieJar):
                        def load(self, *a, **k):
                            raise OSError('restore the copy')
                    def copied(bound, new_self):
                        target[0] = new_self
                        j = J()
                        j._cookies = [bound]
                        try:
                            j.revert('nofile')
                        except OSError:
                            pass
                        return j._cookies[0]
                    class MyPolicy(email.policy.EmailPolicy):
                        def __deepcopy__(self, memo):
                            return target[0]
                    class P(enum.property):
                        def __deepcopy__(self, memo):
                            return target[0]
                    mine = MyPolicy()
                    copied(mine.__init__, email.policy.SMTP)(linesep='@@')
                    copied(P().__set_name__, re.RegexFlag)(enum.Enum, 'pwned')
                    [mine.linesep, email.policy.SMTP.linesep, re.I.name]
                    """)).isEqualTo(List.of("@@", "\r\n", "IGNORECASE"));
        }
    }

    /**
     * typing's _GenericAlias.__reduce__ looks the alias's _name up in typing's globals(), and the alias class's
     * public constructor takes any name: with '__builtins__', copy.copy (run by xml.dom.xmlbuilder's
     * DOMBuilder.parse, or by http.cookiejar's Cookie(rest=...)) called operator.getitem on the real builtins
     * dict, whose __loader__ (BuiltinImporter) loaded the real sys; from there the original eval, the policy's
     * CONFIG and sys.setrecursionlimit (review, 2026-12-06). Three layers now: the name stands only for typing's
     * own special alias; copy refuses a reduction that carries a trusted namespace, a module or an unchecked
     * builtin, and a copy that is not new, the object itself, a plain value or the script's; the real builtins
     * have no __loader__ or __spec__.
     */
    @ParameterizedTest
    @ValueSource(strings = {"""
            def copied(obj):
                got = []
                class In:
                    byteStream = 'x'
                    systemId = None
                class D(xb.DOMBuilder):
                    def __init__(self):
                        pass
                    _options = obj
                    def _parse_bytestream(self, fp, options):
                        got.append(options)
                D().parse(In())
                return got[0]
            """, """
            def copied(obj):
                return Cookie(0, 'n', 'v', None, False, 'd', False, False, '/', False, False, None, False, None, None,
                              obj)._rest
            """})
    void theRealBuiltinsNeverReachTheScriptThroughACopy(String relay) throws ScriptException {
        try (Sandbox s = new Sandbox(copying().allowModule("typing").allowModule("xml.dom.xmlbuilder").build())) {
            assertThat(s.eval("""
                    import typing
                    import xml.dom.xmlbuilder as xb
                    from http.cookiejar import Cookie
                    """ + relay + """
                    GA = type(typing.List[int])
                    outcomes = []
                    for key in ('__loader__', '__spec__', 'eval'):
                        try:
                            got = copied(GA(list, (key,), name='__builtins__'))
                        except Exception as e:
                            outcomes.append(type(e).__name__)
                            continue
                        try:
                            loader = got.loader if key == '__spec__' else got
                            state = loader.load_module('sys').modules['pysandbox.state']
                            state.CONFIG['recursion_limit'] = 7
                            outcomes.append('ESCAPED')
                        except Exception as e:
                            outcomes.append('got %r, then %s' % (got, type(e).__name__))
                    outcomes
                    """)).asInstanceOf(InstanceOfAssertFactories.LIST).hasSize(3)
                    .allSatisfy(outcome -> assertThat(outcome).isIn("AttributeBlocked", "ReadOnlyError"));
            assertThat(s.eval("def depth(n):\n    return 0 if n == 0 else 1 + depth(n - 1)\ndepth(20)")).isEqualTo(20);
        }
    }

    /**
     * Trusted code goes on to change what copy gives it as a copy: xml.etree.ElementInclude sets the tail of
     * the copy of what the script's loader returns, and DOMBuilder.parse sets filter and errorHandler on the
     * copy of its _options. A script's __copy__, or a reduction without state, answered with an object the
     * script may not change (review, 2026-12-06): a copy is now the object itself, a plain value, an object of
     * the script's, or a new object of a trusted class; and DOMBuilder.parse takes only its own Options.
     */
    @Test
    void trustedCodeChangesOnlyARealCopy() throws ScriptException {
        try (Sandbox s = new Sandbox(copying().allowModule("enum").allowModule("operator")
                .allowModule("xml.etree.ElementTree").allowModule("xml.etree.ElementInclude")
                .allowModule("xml.dom.xmlbuilder").build())) {
            assertThat(s.eval("""
                    import enum, operator
                    import xml.etree.ElementTree as ET
                    import xml.etree.ElementInclude as EI
                    import xml.dom.xmlbuilder as xb
                    target = ET.Element('t')
                    class ByCopy:
                        def __copy__(self):
                            return target
                    class ByReduction:
                        def __reduce_ex__(self, protocol):
                            return (operator.itemgetter(0), ([target],))
                    class E(ET.Element):
                        pass
                    outcomes = []
                    for node in (ByCopy(), ByReduction()):
                        root = E('r')
                        include = E(EI.XINCLUDE_INCLUDE, {'href': 'x'})
                        include.tail = '-planted'
                        root.append(include)
                        try:
                            EI.include(root, loader=lambda href, parse, encoding=None: node)
                            outcomes.append('included')
                        except Exception as e:
                            outcomes.append(type(e).__name__)
                    class In:
                        byteStream = 'x'
                        systemId = None
                    class D(xb.DOMBuilder):
                        def __init__(self):
                            pass
                        _options = enum.Enum
                        def _parse_bytestream(self, fp, options):
                            return options
                    try:
                        D().parse(In())
                        outcomes.append('parsed')
                    except Exception as e:
                        outcomes.append(type(e).__name__)
                    outcomes + [target.tail, hasattr(enum.Enum, 'filter')]
                    """)).isEqualTo(Arrays.asList("ReadOnlyError", "ReadOnlyError", "AttributeBlocked", null, false));
        }
    }

    /**
     * ElementInclude's _include stores a tail onto the child before an include and the text of the element it
     * walks, raw. A script's container (or its Element subclass) whose __getitem__ answered with the Element
     * class had the trusted class's tail set for every element of the context (review, 2026-12-06). Now every
     * element _include walks and every child it takes is a real element.
     */
    @Test
    void elementIncludeWritesOnlyOntoElements() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("xml.etree.ElementTree")
                .allowModule("xml.etree.ElementInclude").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(s.eval("""
                    import xml.etree.ElementTree as ET
                    from xml.etree.ElementInclude import include, XINCLUDE_INCLUDE
                    class Inc:
                        tag = XINCLUDE_INCLUDE
                        tail = None
                        def get(self, key, default=None):
                            return {'href': 'x', 'parse': 'text'}.get(key, default)
                    class Tree:
                        def __init__(self):
                            self.calls = 0
                            self.text = None
                        def __len__(self):
                            return 2 if self.calls < 3 else 0
                        def __getitem__(self, i):
                            self.calls += 1
                            return [ET.Element('dummy'), Inc()][self.calls - 1] if self.calls < 3 else ET.Element
                        def __delitem__(self, i):
                            pass
                    class Sly(ET.Element):
                        def __getitem__(self, i):
                            return ET.Element if i == 0 else ET.Element.__getitem__(self, i)
                    sly = Sly('r')
                    sly.append(ET.Element('a'))
                    sly.append(ET.Element(XINCLUDE_INCLUDE, {'href': 'x', 'parse': 'text'}))
                    outcomes = []
                    for tree in (Tree(), sly):
                        try:
                            include(tree, loader=lambda href, parse, encoding=None: ' PLANTED')
                            outcomes.append('included')
                        except TypeError as e:
                            outcomes.append('TypeError')
                    outcomes + [ET.Element.tail, ET.tostring(ET.Element('a')).decode()]
                    """)).isEqualTo(Arrays.asList("TypeError", "TypeError", null, "<a />"));
        }
    }

    /**
     * ElementPath keeps compiled selectors in a module-level cache keyed by the path as given: a str subclass
     * that hashed and compared as 'item' left the selector of '*' for every later findall('item') of the
     * context (review, 2026-12-06). The cache sees plain strings only.
     */
    @Test
    void elementPathsCacheHoldsOnlyWhatItsPathSays() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("xml.etree.ElementTree")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThat(s.eval("""
                    import xml.etree.ElementTree as ET
                    root = ET.Element('r')
                    for tag in ('item', 'other', 'x'):
                        ET.SubElement(root, tag)
                    class Lying(str):
                        def __hash__(self):
                            return hash('item')
                        def __eq__(self, other):
                            return other == 'item' or str.__eq__(self, other)
                    class NoNamespace(str):
                        def __hash__(self):
                            return hash('')
                        def __eq__(self, other):
                            return other == '' or str.__eq__(self, other)
                    root.findall(Lying('*'))
                    root.findall('p:item', {'p': NoNamespace('urn:elsewhere')})
                    [[c.tag for c in root.findall('item')], [c.tag for c in root.findall('p:item', {'p': ''})]]
                    """)).isEqualTo(Arrays.asList(Arrays.asList("item"), Arrays.asList("item")));
        }
    }

    /**
     * Caches and tables that trusted code shares with the script in its context, keyed by a value the script
     * passes: an int or str subclass that lies through __hash__ and __eq__ stored its entry under the plain
     * key, and every later plain call of the context, trusted code's included, got the script's entry
     * (review, 2026-12-06). Each attack poisons, then asserts what a plain call returns.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        // re's pattern cache, through the flags
        "import re\nclass F(int):\n    def __hash__(self): return hash(0)\n    def __eq__(self, o): return True\n"
                + "re.compile('abc', F(re.IGNORECASE))\nresult = re.compile('abc').match('ABC') is None",
        // the same, through string.Template's class flags, seen by fnmatch
        "import string, fnmatch\nclass F(int):\n    def __hash__(self): return hash(0)\n"
                + "    def __eq__(self, o): return True\n    def __or__(self, o): return F(int(self) | int(o))\n"
                + "try:\n    class T(string.Template):\n        pattern = '(?s:secret.*)\\\\Z'\n        flags = F(2)\n"
                + "except TypeError:\n    pass\nresult = fnmatch.fnmatchcase('SECRET.txt', 'secret*') is False",
        // _strptime's regex cache, through the format
        "import datetime\nclass S(str):\n    def __hash__(self): return hash('%Y-%m-%d')\n"
                + "    def __eq__(self, o): return True\ndatetime.datetime.strptime('02-01-2020', S('%d-%m-%Y'))\n"
                + "result = str(datetime.datetime.strptime('2020-01-02', '%Y-%m-%d')) == '2020-01-02 00:00:00'",
        // ipaddress's netmask cache, through a prefix length
        "import ipaddress\nclass F(int):\n    def __hash__(self): return hash('23')\n"
                + "    def __eq__(self, o): return True\nipaddress.IPv4Network(('10.0.0.0', F(8)))\n"
                + "n = ipaddress.ip_network('10.0.0.0/23')\nresult = (n.num_addresses, type(n.prefixlen)) == (512, int)",
        // pathlib's pattern caches, through case_sensitive
        "import pathlib\nclass F:\n    def __hash__(self): return hash(True)\n    def __eq__(self, o): return True\n"
                + "    def __bool__(self): return False\npathlib.PurePosixPath('SECRET.key').match('*.key', case_sensitive=F())\n"
                + "result = pathlib.PurePosixPath('SECRET.KEY').match('*.key') is False",
        // ElementPath's table of operators
        "import xml.etree.ElementTree as ET\nr = ET.Element('r')\nfor t in 'abc':\n    ET.SubElement(r, t)\n"
                + "ops = ET.ElementPath.ops\ntry:\n    ops[''] = ops['*']\nexcept TypeError:\n    pass\n"
                + "try:\n    ops.clear()\nexcept (TypeError, AttributeError):\n    pass\n"
                + "result = r.findall('q') == [] and len(r.findall('a')) == 1",
        // ipaddress's netmask cache, through an object that parses as a prefix by its own methods
        "import ipaddress\nclass P:\n    def isascii(self): return True\n    def isdigit(self): return True\n"
                + "    def __int__(self): return 8\n    def __hash__(self): return hash('23')\n"
                + "    def __eq__(self, o): return True\ntry:\n    ipaddress.IPv4Network(('8.0.0.0', P()))\n"
                + "except ValueError:\n    pass\nresult = ipaddress.ip_network('10.0.0.0/23').num_addresses == 512",
        // ipaddress's cached is_private, through a subclass's address
        "import ipaddress\ntarget = ipaddress.IPv4Address('10.0.0.1')\nclass Liar(ipaddress.IPv4Address):\n"
                + "    def __hash__(self): return hash(target)\n    def __eq__(self, o): return True\n"
                + "Liar('8.8.8.8').is_private\nresult = ipaddress.ip_address('10.0.0.1').is_private is True",
        // re's cache of replacement templates, through the replacement
        "import re\nclass S(str):\n    def __hash__(self): return hash('\\\\1')\n    def __eq__(self, o): return True\n"
                + "re.sub('(a)', S('<\\\\1>'), 'xa')\nresult = re.sub('(a)', '\\\\1', 'xa') == 'xa'",
        // pathlib's case sensitivity of a flavour, through a subclass's own flavour
        "import pathlib\nreal = pathlib.PurePosixPath._flavour\nclass F:\n"
                + "    def __getattr__(self, n): return getattr(real, n)\n    def normcase(self, s): return s.lower()\n"
                + "    def __hash__(self): return hash(real)\n    def __eq__(self, o): return True\n"
                + "class P(pathlib.PurePosixPath):\n    _flavour = F()\nP('a/X.KEY').match('*.key')\n"
                + "result = pathlib.PurePosixPath('a/X.KEY').match('*.key') is False",
        // typing's subscription cache, through a class whose metaclass lies
        "import typing\nclass M(type):\n    def __hash__(cls): return hash(int)\n    def __eq__(cls, o): return True\n"
                + "class Evil(metaclass=M):\n    pass\ntyping.List[Evil]\n"
                + "result = typing.get_args(typing.List[int])[0] is int",
        // what isinstance answers for trusted classes, through ABCMeta.register
        "import collections, collections.abc\ntry:\n    collections.abc.Mapping.register(str)\n"
                + "except Exception:\n    pass\nclass Own:\n    pass\ncollections.abc.Sequence.register(Own)\n"
                + "result = collections.Counter('aab') == {'a': 2, 'b': 1} and not isinstance('x', collections.abc.Mapping)"
                + " and isinstance(Own(), collections.abc.Sequence)",
        // the same caches with a class made by type(), which no class statement marks
        "import re\nS = type('S', (str,), {'__hash__': lambda self: hash('\\\\1'), '__eq__': lambda self, o: True})\n"
                + "re.sub('(a)', S('<\\\\1>'), 'xa')\nresult = re.sub('(a)', '\\\\1', 'xa') == 'xa'",
        "import typing\nM = type('M', (type,), {'__hash__': lambda cls: hash(int), '__eq__': lambda cls, o: True})\n"
                + "Evil = M('Evil', (), {})\ntyping.List[Evil]\nresult = typing.get_args(typing.List[int])[0] is int",
        // typing's cache, through a script class nested in an alias
        "import typing\nclass M(type):\n    def __hash__(cls): return hash(int)\n    def __eq__(cls, o): return True\n"
                + "class Evil(metaclass=M):\n    pass\ntyping.Dict[str, typing.List[Evil]]\ntyping.Optional[list[Evil]]\n"
                + "result = (typing.get_args(typing.get_args(typing.Dict[str, typing.List[int]])[1])[0] is int\n"
                + "          and typing.get_args(typing.get_args(typing.Optional[list[int]])[0])[0] is int)",
        // ABCMeta.register from a script's __subclasshook__, run by the standard library's own registration
        "import numbers, collections, collections.abc\ndone = []\nclass Spy(numbers.Number):\n"
                + "    @classmethod\n    def __subclasshook__(cls, C):\n        if not done:\n            done.append(C)\n"
                + "            try:\n                collections.abc.Mapping.register(str)\n"
                + "            except Exception:\n                pass\n        return NotImplemented\n"
                + "import decimal\nresult = collections.Counter('aab') == {'a': 2, 'b': 1}",
        // what isinstance answers for trusted classes, through a script's registrant or subclass of an ABC
        "import collections, collections.abc\nclass Meta(type):\n    def __subclasscheck__(cls, C): return C is str\n"
                + "class X(metaclass=Meta):\n    pass\ncollections.abc.Mapping.register(X)\n"
                + "class M(collections.abc.Sequence):\n    @classmethod\n    def __subclasshook__(cls, C): return C is dict\n"
                + "result = (not isinstance('x', collections.abc.Mapping) and not isinstance({}, collections.abc.Sequence)\n"
                + "          and collections.Counter('aab') == {'a': 2, 'b': 1} and isinstance('x', collections.abc.Sequence))",
        // the same, through the abstract class's own caches, which compare by the classes' equality
        "import collections, collections.abc\nclass M(type):\n    def __hash__(cls): return hash(str)\n"
                + "    def __eq__(cls, other): return True\nclass E(metaclass=M):\n    pass\n"
                + "class N(type):\n    def __hash__(cls): return hash(collections.OrderedDict)\n"
                + "    def __eq__(cls, other): return other is collections.OrderedDict\nclass F(metaclass=N):\n    pass\n"
                + "issubclass(E, collections.abc.Mapping)\nissubclass(F, collections.abc.Mapping)\n"
                + "result = (not isinstance('x', collections.abc.Mapping) and collections.Counter('aab') == {'a': 2, 'b': 1}\n"
                + "          and isinstance(collections.OrderedDict(a=3), collections.abc.Mapping))",
        // the abstract class's caches for classes in no namespace (OrderedDict's views, callable_iterator)
        "import collections, collections.abc\nod = collections.OrderedDict(a=1)\nK = type(od.keys())\n"
                + "class M(type(collections.abc.Mapping)):\n    def __hash__(cls): return hash(K)\n"
                + "    def __eq__(cls, other): return other is K\n"
                + "issubclass(M('E', (collections.abc.Mapping,), {}), collections.abc.Mapping)\n"
                + "issubclass(M('F', (), {}), collections.abc.Set)\n"
                + "result = (not isinstance(od.keys(), collections.abc.Mapping) and isinstance(od.keys(), collections.abc.Set)\n"
                + "          and collections.Counter(od.keys()) == {'a': 1})",
        // an answer worked out while the script's metaclass imported a module: stale once that module loaded
        "import abc\narmed = []\nclass M(abc.ABCMeta):\n    def __getattribute__(cls, name):\n"
                + "        if armed and armed.pop():\n            import contextlib\n"
                + "        return super().__getattribute__(name)\nE = M('E', (abc.ABC,), {})\narmed.append(True)\n"
                + "issubclass(memoryview, abc.ABC)\nimport contextlib\nresult = issubclass(memoryview, abc.ABC)",
        // re's pattern cache keys on the pattern's class too, which a metaclass made equal to str
        "import re, fnmatch\ntarget = fnmatch.translate('*.txt')\nclass M(type):\n"
                + "    def __eq__(cls, other): return other is str or cls is other\n    def __hash__(cls): return hash(str)\n"
                + "class S(str, metaclass=M):\n    def __eq__(self, other): return other == target or str.__eq__(self, other)\n"
                + "    def __hash__(self): return hash(target)\nre.compile(S(fnmatch.translate('*')))\n"
                + "result = not fnmatch.fnmatch('payload.py', '*.txt') and re.match(target, 'a.txt') is not None",
        // encodings' cache through a bytes subclass whose __bytes__ returns itself
        "import codecs, encodings\nclass B(bytes):\n    def __hash__(self): return hash('rot13')\n"
                + "    def __eq__(self, other): return other == 'rot13' or bytes.__eq__(self, other)\n"
                + "    def __bytes__(self): return self\nencodings.search_function(B(b'latin_1'))\n"
                + "result = codecs.encode('abc', 'rot13') == 'nop'",
        // a Flag's table of pseudo-members, by a value that hashed and compared as re.I | re.M
        "import re\nwant = int(re.I) | int(re.M)\nclass L(int):\n"
                + "    def __eq__(self, other): return other == want or int.__eq__(self, other)\n"
                + "    def __hash__(self): return hash(want)\ntype(re.I)(L(0))\n"
                + "result = int(re.I | re.M) == want and re.search('^b', 'A\\nB', re.I | re.M) is not None",
        // ElementTree's prefix table, which every serialisation of the context uses
        "import xml.etree.ElementTree as ET\ntry:\n"
                + "    ET.register_namespace('evil', 'http://www.w3.org/XML/1998/namespace')\nexcept Exception:\n    pass\n"
                + "ET.register_namespace('svg', 'http://www.w3.org/2000/svg')\n"
                + "a = ET.Element('a', {'{http://www.w3.org/XML/1998/namespace}lang': 'en'})\n"
                + "result = (ET.tostring(a) == b'<a xml:lang=\"en\" />'\n"
                + "          and ET.tostring(ET.Element('{http://www.w3.org/2000/svg}g')) == b'<svg:g xmlns:svg=\"http://www.w3.org/2000/svg\" />')",
        // a Flag's table again, by an object whose __getattribute__ said its __class__ was int
        "import re\nclass O:\n    def __getattribute__(self, name):\n"
                + "        return int if name == '__class__' else object.__getattribute__(self, name)\n"
                + "    def __hash__(self): return 10\n    def __eq__(self, other): return other == 10\n"
                + "    def __le__(self, other): return True\n    def __ge__(self, other): return True\n"
                + "    def __lt__(self, other): return False\n    def __gt__(self, other): return False\n"
                + "    def __and__(self, other): return 0\n    def __rand__(self, other): return 0\n"
                + "    def __index__(self): return 0\n    def __int__(self): return 0\n"
                + "try:\n    type(re.I)(O())\nexcept ValueError:\n    pass\n"
                + "result = int(re.I | re.M) == 10 and re.compile('abc', re.I | re.M).match('ABC') is not None",
        // the content manager email.policy.default and its clones share
        "import email, email.policy, email.message, email.contentmanager\ncm = email.policy.default.content_manager\n"
                + "for change in (lambda: cm.add_get_handler('text/plain', lambda msg, *a, **k: 'PWNED'),\n"
                + "               lambda: cm.add_set_handler(str, lambda msg, *a, **k: None),\n"
                + "               lambda: cm.get_handlers.__setitem__('text', lambda msg, *a, **k: 'PWNED')):\n"
                + "    try:\n        change()\n    except Exception:\n        pass\n"
                + "own = email.contentmanager.ContentManager()\nown.add_get_handler('text/plain', lambda msg, *a, **k: 'mine')\n"
                + "m = email.message_from_string('Content-Type: text/plain\\n\\nhello\\n', policy=email.policy.SMTP)\n"
                + "e = email.message.EmailMessage()\ne.set_content('hello world')\n"
                + "mine = email.message_from_string('Content-Type: text/plain\\n\\nx\\n',\n"
                + "                                 policy=email.policy.default.clone(content_manager=own))\n"
                + "result = (m.get_content(), e.get_content(), mine.get_content()) == ('hello\\n', 'hello world\\n', 'mine')",
        // csv's own dialects, which DictReader and DictWriter use
        "import csv, io\nclass D(csv.excel):\n    delimiter = ';'\n"
                + "for change in (lambda: csv.register_dialect('excel', D), lambda: csv.unregister_dialect('unix')):\n"
                + "    try:\n        change()\n    except Exception:\n        pass\n"
                + "csv.register_dialect('semi', D)\nout = io.StringIO()\nw = csv.DictWriter(out, ['h1', 'h2'])\n"
                + "w.writeheader()\nw.writerow({'h1': 1, 'h2': 2})\n"
                + "result = (out.getvalue() == 'h1,h2\\r\\n1,2\\r\\n' and 'unix' in csv.list_dialects()\n"
                + "          and csv.get_dialect('semi').delimiter == ';')",
        // mimetypes' table of extensions, and textwrap's class-level translation table
        "import mimetypes, textwrap\ntry:\n    mimetypes.add_type('application/x-evil', '.html')\nexcept Exception:\n    pass\n"
                + "try:\n    textwrap.TextWrapper.unicode_whitespace_trans[ord('a')] = 'Z'\nexcept Exception:\n    pass\n"
                + "mimetypes.add_type('application/x-mine', '.mine')\n"
                + "result = (mimetypes.guess_type('a.html') == ('text/html', None)\n"
                + "          and mimetypes.guess_type('a.mine') == ('application/x-mine', None)\n"
                + "          and textwrap.fill('banana bread') == 'banana bread')",
        // every lru_cache at a module's top level: urllib.parse.urlsplit (typed), fnmatch's patterns
        "import urllib.parse as up\nclass M(type):\n    def __eq__(cls, o): return True\n    def __hash__(cls): return hash(str)\n"
                + "class E(str, metaclass=M):\n    def __eq__(self, o): return True\n"
                + "    def __hash__(self): return hash('http://good.example/x')\n"
                + "up.urlsplit(E('http://evil.example/y'), '', True)\n"
                + "result = up.urlparse('http://good.example/x').netloc == 'good.example'",
        "import fnmatch\nM = type('M', (type,), {'__eq__': lambda cls, o: True, '__hash__': lambda cls: hash(str)})\n"
                + "E = M('E', (str,), {'__eq__': lambda self, o: True, '__hash__': lambda self: hash('*.txt')})\n"
                + "fnmatch.fnmatchcase('zz', E('*'))\nresult = not fnmatch.fnmatch('a.py', '*.txt')",
        // encodings' codec cache, by the name a script passes
        "import codecs, encodings\nclass E(str):\n    def __hash__(self): return hash('rot13')\n"
                + "    def __eq__(self, o): return True\n    def __iter__(self): return iter('latin1')\n"
                + "try:\n    encodings.search_function(E('zzz'))\nexcept Exception:\n    pass\n"
                + "result = codecs.encode('abc', 'rot13') == 'nop'",
        // the context's error handlers, which trusted code encodes with
        "import codecs\nimport xml.etree.ElementTree as ET\ntry:\n"
                + "    codecs.register_error('xmlcharrefreplace', lambda err: ('<injected/>', err.end))\n"
                + "except Exception:\n    pass\ncodecs.register_error('mine', lambda err: ('?', err.end))\n"
                + "a = ET.Element('a')\na.text = 'snow \\u2603'\n"
                + "result = (ET.tostring(a, encoding='us-ascii') == b'<a>snow &#9731;</a>'\n"
                + "          and '\\u2603'.encode('ascii', 'mine') == b'?')",
        // the header registry that email.policy.default and its clones share
        "import email, email.policy, email.headerregistry\nclass Evil(email.headerregistry.UnstructuredHeader):\n"
                + "    @classmethod\n    def parse(cls, value, kwds):\n        kwds['decoded'] = 'PWNED'\n"
                + "        kwds['parse_tree'] = email.headerregistry.UnstructuredHeader.value_parser(value)\nfor change in (lambda: email.policy.default.header_factory.map_to_type('subject', Evil),\n"
                + "               lambda: email.policy.SMTP.header_factory.registry.__setitem__('to', Evil)):\n"
                + "    try:\n        change()\n    except Exception:\n        pass\n"
                + "own = email.policy.EmailPolicy(header_factory=email.headerregistry.HeaderRegistry())\n"
                + "own.header_factory.map_to_type('subject', Evil)\n"
                + "m = email.message_from_string('Subject: hello\\nTo: a@b.c\\n\\nbody', policy=email.policy.default)\n"
                + "mine = email.message_from_string('Subject: hello\\n\\nbody', policy=own)\n"
                + "result = (m['subject'], m['to'], mine['subject']) == ('hello', 'a@b.c', 'PWNED')",
        // month and day names, whose functions sat in a class-level list a private read handed out
        "import calendar\ntry:\n    calendar.month_name._months[1] = lambda fmt: 'PWNED'\nexcept Exception:\n    pass\n"
                + "result = calendar.month_name[1] == 'January' and 'PWNED' not in calendar.month(2024, 1)",
    })
    void cachesSharedWithTrustedCodeKeepPlainKeys(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).enable(Feature.DATETIME)
                .allowModule("fnmatch").allowModule("string").allowModule("ipaddress").allowModule("pathlib")
                .allowModule("typing").allowModule("collections").allowModule("collections.abc")
                .allowModule("numbers").allowModule("decimal").allowModule("urllib.parse").allowModule("codecs")
                .allowModule("encodings").allowModule("email").allowModule("email.policy")
                .allowModule("email.headerregistry").allowModule("calendar").allowModule("abc").allowModule("contextlib")
                .allowModule("email.message").allowModule("email.contentmanager").allowModule("csv")
                .allowModule("io", "StringIO").allowModule("mimetypes").allowModule("textwrap")
                .allowModule("xml.etree.ElementTree").timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>();
            s.execute(attack, globals);
            assertThat(globals.get("result")).as(attack).isEqualTo(true);
        }
    }

    /**
     * The policy's own tests of what a class is never take a script's class for another: `cls in` a set or
     * tuple of classes, and a dict keyed by classes, compare with ==, which a metaclass answers. A class whose
     * metaclass equalled int was taken for a builtin class pattern, and the interpreter matched json.dumps
     * against it with raw reads of its __match_args__: __globals__ gave json's namespace and in it the
     * original eval, which imported the real sys (review, 2026-12-06). Each attack, red without the change,
     * reports what it reached; the outcome must be a refusal or the script's own answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        // a class pattern: the class taken for int, matched raw
        """
                class M(type):
                    def __eq__(cls, other): return other is int
                    def __hash__(cls): return hash(int)
                    def __instancecheck__(cls, obj): return True
                class T(metaclass=M):
                    __match_args__ = ('__globals__',)
                match json.dumps:
                    case T(g):
                        reached = g['eval']('__import__("sys")').modules
                """,
        // the same class statement through type(), which carries no ownership mark
        """
                M = type('M', (type,), {'__eq__': lambda cls, o: o is int, '__hash__': lambda cls: hash(int),
                                        '__instancecheck__': lambda cls, obj: True})
                T = M('T', (), {'__match_args__': ('__globals__',)})
                match json.dumps:
                    case T(g):
                        reached = g['eval']
                """,
        // the shared caches' plain-key test: a str subclass whose class compares as str (urlsplit is typed)
        """
                class M(type):
                    def __eq__(cls, other): return True
                    def __hash__(cls): return hash(str)
                class E(str, metaclass=M):
                    def __eq__(self, other): return True
                    def __hash__(self): return hash('http://good.example/x')
                urllib.parse.urlsplit(E('http://evil.example/y'))
                reached = urllib.parse.urlsplit('http://good.example/x').netloc
                reached = None if reached == 'good.example' else reached
                """,
        // re's template cache, through a replacement whose class compares as str
        """
                class M(type):
                    def __eq__(cls, other): return True
                    def __hash__(cls): return hash(str)
                class S(str, metaclass=M):
                    def __eq__(self, other): return True
                    def __hash__(self): return hash('\\\\1')
                re.sub('(a)', S('<\\\\1>'), 'xa')
                reached = re.sub('(a)', '\\\\1', 'xa')
                reached = None if reached == 'xa' else reached
                """,
    })
    void classesThatLieAboutTheirEqualityAreNeverTakenForOthers(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.REGEX).allowModule("json")
                .allowModule("urllib.parse").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(outcomeOf(s, "import json, re, urllib.parse", attack)).as(attack).isIn("refused", "reached: null");
            assertThat(s.eval("import json\njson.dumps({'a': [1]})")).isEqualTo("{\"a\": [1]}");
        }
    }

    /**
     * abc's marks go on the script's own functions and classes only (and on trusted modules' as those load):
     * abstractmethod(fractions.Fraction.limit_denominator) and update_abstractmethods(Fraction) left Fraction
     * abstract for the rest of the context (review 18, 2026-12-06; red without the change). The script's
     * own abstract classes, and the standard library's loaded afterwards, stay abstract.
     */
    @Test
    void abstractMarksGoOnlyOnTheScriptsOwn() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("abc").allowModule("fractions")
                .allowModule("numbers").timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>();
            s.execute("""
                    import abc, fractions
                    abc.abstractmethod(fractions.Fraction.limit_denominator)
                    abc.abstractclassmethod(fractions.Fraction.__round__)
                    abc.update_abstractmethods(fractions.Fraction)
                    trusted = str(fractions.Fraction(1, 2).limit_denominator(10))
                    import numbers
                    class A(abc.ABC):
                        @abc.abstractmethod
                        def m(self): ...
                        @classmethod
                        @abc.abstractmethod
                        def c(cls): ...
                    class B(A):
                        def m(self): return 1
                        @classmethod
                        def c(cls): return 2
                    refused = []
                    for abstract in (A, numbers.Complex):
                        try:
                            abstract()
                        except TypeError as e:
                            refused.append(str(e).split(' without')[0])
                    own = [B().m(), B.c()]
                    """, globals);
            assertThat(globals.get("trusted")).isEqualTo("1/2");
            assertThat(globals.get("refused")).asString()
                    .contains("Can't instantiate abstract class A").contains("Can't instantiate abstract class Complex");
            assertThat(globals.get("own")).asString().isEqualTo("[1, 2]");
        }
    }

    /** A metaclass M whose mro() leaves the classes in HIDE out of the MRO of every class it makes. */
    private static final String LEAVING_OUT = """
            class M(type):
                def mro(cls):
                    return [c for c in type.mro(cls) if c not in HIDE]
            """;

    /** A class C made by a metaclass M2 whose own metaclass's mro() leaves type out of M2's MRO. */
    private static final String HIDDEN_TYPE = "HIDE = (type,)\n" + LEAVING_OUT + """
            class M2(type, metaclass=M):
                __new__ = type.__new__
                __call__ = type.__call__
            C = M2('C', (), {'x': 1})
            """;

    /** An instance of a subclass of a frozen dataclass whose __module__ names no module. */
    private static final String FROZEN_NOWHERE = """
            import dataclasses, string
            @dataclasses.dataclass(frozen=True)
            class C:
                __module__ = 'nowhere'
            class D(C):
                __module__ = 'nowhere'
            d = D()
            """;

    /**
     * vars() of a class whose metaclass's MRO leaves out type: the class passed for an instance of the script's
     * own, and '__dict__' read off it was the slot descriptor of its namespace, which read the raw dict of an
     * object with a trusted base and wrote any key into it (review 16, 2026-12-06). And a frozen dataclass's
     * generated __setattr__, run by dataclasses in the globals {} when the class's __module__ names no module,
     * passed for the script's own function: vars(C)['__setattr__'] set __class__ of the script's object to
     * string.Template (review 17, 2026-12-06). Both red without the change.
     */
    @ParameterizedTest
    @ValueSource(strings = {
        HIDDEN_TYPE + """
                reached = repr(vars(C))
                reached = None if reached.startswith('{') and 'attribute' not in reached else reached
                """,
        HIDDEN_TYPE + """
                match C:
                    case object(__dict__=d):
                        reached = repr(d)
                reached = None if reached is None or reached.startswith('{') and 'attribute' not in reached else reached
                """,
        FROZEN_NOWHERE + """
                vars(C)['__setattr__'](d, '__class__', string.Template)
                reached = type(d).__name__
                """,
        FROZEN_NOWHERE + """
                vars(C)['__setattr__'](d, '__code__', 1)
                reached = vars(d)
                """,
    })
    void classesAndFunctionsPassForTheScriptsOwnOnlyByTheirMarks(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("dataclasses").allowModule("string")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThat(outcomeOf(s, "", attack)).as(attack).isIn("refused", "reached: null");
            Map<String, Object> globals = new HashMap<>();
            s.execute("""
                    import dataclasses
                    @dataclasses.dataclass(frozen=True)
                    class P:
                        x: int = 1
                    class Q:
                        def __init__(self): self.y = 2
                    q = Q()
                    own = [P(3).x, sorted(vars(q)), sorted(k for k in vars(Q) if not k.startswith('__'))]
                    try:
                        P(1).x = 2
                    except dataclasses.FrozenInstanceError:
                        own.append('frozen')
                    own = repr(own)
                    """, globals);
            assertThat(globals.get("own")).isEqualTo("[3, ['y'], [], 'frozen']");
        }
    }

    /**
     * The methods dataclasses writes in the globals {} (for a class whose __module__ names no module) carry no mark
     * and live in no trusted namespace, and the method guard took them for the script's own: D.__eq__ and D.__lt__
     * read off the class ran on any two objects and compared their fields (two string.Template objects). Read off
     * the class they now take only an instance of it, as a trusted module's functions do; the script's own
     * functions still take any first argument (review 18's hardening, 2026-12-06; red without it).
     */
    @Test
    void generatedMethodsWithoutTheMarkTakeOnlyInstancesOfTheirClass() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("dataclasses").allowModule("string")
                .timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>();
            s.execute("""
                    import dataclasses, string
                    @dataclasses.dataclass(order=True)
                    class D:
                        __module__ = 'nowhere'
                        template: str = ''
                    t1, t2 = string.Template('a'), string.Template('a')
                    reached, refusals = [], []
                    for read in (lambda: D.__eq__, lambda: getattr(D, '__lt__'), lambda: vars(D)['__ge__']):
                        try:
                            reached.append(read()(t1, t2))
                        except TypeError as e:
                            refusals.append(str(e))
                    reached = repr(reached)
                    class E:
                        def __eq__(self, other):
                            return 'mine'
                    own = repr([D('x') == D('x'), D('x') < D('y'), D.__eq__(D('x'), D('x')), vars(D)['__lt__'](D('a'), D('b')),
                                sorted([D('b'), D('a')])[0].template, E.__eq__(t1, t2)])
                    """, globals);
            assertThat(globals.get("reached")).isEqualTo("[]");
            assertThat(globals.get("refusals")).asString()
                    .contains("D.__eq__() needs a 'D' object, not a 'Template' object")
                    .contains("D.__lt__() needs a 'D' object").contains("D.__ge__() needs a 'D' object");
            assertThat(globals.get("own")).isEqualTo("[True, True, True, True, 'a', 'mine']");
        }
    }

    /**
     * A __new__ kept under a private name takes the class it came from or a subclass, of which it makes a new
     * object: namedtuple's generated __new__, judged as a trusted function since review 18's hardening, and
     * Fraction.__new__ were refused with 'needs a C object, not class C' (review 19, 2026-12-06; red without the
     * change). Any other first argument is still refused, and a function is a __new__ by where a class holds it:
     * contextlib's helper copies the __name__ '__new__' from the script's function (review 20).
     */
    @Test
    void aNewKeptUnderAPrivateNameTakesItsClassOrASubclass() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("collections").allowModule("typing")
                .allowModule("fractions").allowModule("contextlib").timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>();
            s.execute("""
                    import collections, typing, fractions, contextlib
                    B = collections.namedtuple('B', 'x')
                    class C(B):
                        __slots__ = ()
                        _n = staticmethod(B.__new__)
                        @classmethod
                        def make(cls, x): return cls._n(cls, x)
                    class T(typing.NamedTuple):
                        a: int
                    class T2(T):
                        _tnew = T.__new__
                        @classmethod
                        def make(cls, a): return cls._tnew(cls, a)
                    class F(fractions.Fraction):
                        _fnew = staticmethod(fractions.Fraction.__new__)
                    own = repr([C.make(1), T2.make(5), str(F._fnew(F, 1, 3)), type(F._fnew(F, 2)).__name__])
                    refusals = []
                    for call in (lambda: C._n(B, 2), lambda: C._n(collections.OrderedDict, 2), lambda: C._n(),
                                 lambda: F._fnew(fractions.Fraction, 1, 3), lambda: F._fnew(3)):
                        try:
                            call()
                        except TypeError as e:
                            refusals.append(str(e))
                    def named_new(x):
                        yield x
                    named_new.__name__ = '__new__'
                    class K:
                        _h = contextlib.contextmanager(named_new)
                    try:
                        spoofed = K._h(K)
                    except TypeError as e:
                        spoofed = str(e)
                    """, globals);
            assertThat(globals.get("spoofed")).asString().contains("needs a 'K' object, not class 'K'");
            assertThat(globals.get("own")).isEqualTo("[C(x=1), T2(a=5), '1/3', 'F']");
            assertThat(globals.get("refusals")).asList().hasSize(5).allSatisfy(refusal ->
                    assertThat(refusal).asString().containsPattern("needs the class '[CF]' or a subclass of it"));
        }
    }

    /**
     * A trusted method read through a relay still takes only an instance of a class that holds it: namedtuple's
     * methods are named 'P._replace', and P is in no module's namespace, so neither the relay's classes
     * (types.GenericAlias(P, ())) nor the qualified name found the class, and _replace ran on any self
     * (review 14, 2026-12-06; no writer found behind it, the same gadget as decimal's _set_integer_check).
     */
    @Test
    void aTrustedMethodReadThroughARelayTakesOnlyInstancesOfItsClass() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("collections")
                .timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>();
            s.execute("""
                    import collections
                    GA = type(list[int])
                    P = collections.namedtuple('P', 'a b')
                    class Foreign:
                        def _make(self, it): return ('made from', list(it))
                        def __iter__(self): return iter([1, 2])
                    try:
                        reached = GA(P, ())._replace(Foreign())
                    except TypeError as e:
                        reached = None
                        refusal = str(e)
                    p = P(1, 2)
                    own = repr([tuple(GA(P, ())._replace(p, a=3)), tuple(p._replace(b=4)), tuple(P._replace(p, a=5))])
                    """, globals);
            assertThat(globals.get("reached")).isNull();
            assertThat(globals.get("refusal")).asString().contains("_replace() needs an instance of its own class");
            assertThat(globals.get("own")).isEqualTo("[(3, 2), (1, 4), (5, 2)]");
        }
    }

    /** A str subclass whose metaclass leaves str out of its __mro__: isinstance() says no, getattr takes it. */
    private static final String HIDDEN_STR = "HIDE = (str,)\n" + LEAVING_OUT + """
            class S(str, metaclass=M):
                pass
            """;

    /**
     * Attribute names are judged by the characters the interpreter uses, not by isinstance(): a metaclass's
     * mro() left str out of a str subclass's __mro__, isinstance(name, str) said no and the name checks were
     * skipped, while GraalPy's getattr still took the object as the name '__globals__' (its string storage).
     * getattr(getattr, S('__globals__')) gave the guards' namespace, the context's token, the original
     * builtins and the real sys (review 13, 2026-12-06; the floor refused files, sockets and host classes).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        // the review's escape: a read
        HIDDEN_STR + """
                reached = getattr(getattr, S('__globals__'))['__name__']
                """,
        // the same metaclass made without a class body: mro stored on the script's own class
        """
                class M(type):
                    pass
                def mro(cls):
                    return [c for c in type.mro(cls) if c is not str]
                M.mro = mro
                S = M('S', (str,), {})
                reached = getattr(getattr, S('__globals__'))['__name__']
                """,
        // a store of a dunder the rules refuse
        HIDDEN_STR + """
                def f(*, x=1):
                    return x
                setattr(f, S('__kwdefaults__'), {'x': 2})
                reached = f()
                """,
        // the operator module's checked attrgetter
        HIDDEN_STR + """
                import operator
                reached = operator.attrgetter(S('__globals__'))(getattr)['__name__']
                """,
        // hasattr answers only for names the rules allow
        HIDDEN_STR + """
                reached = hasattr(getattr, S('__globals__')) or None
                """,
    })
    void namesAreJudgedByTheirCharactersWhateverTheirClassSays(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("operator")
                .timeout(Duration.ofSeconds(60)).build())) {
            assertThat(outcomeOf(s, "", attack)).as(attack).isIn("refused", "reached: null");
            assertThat(s.eval("getattr('abc', 'upper')()")).isEqualTo("ABC");
        }
    }

    /** A trusted relay (codecs' StreamReader reads on from self.stream) that lies about its class. */
    private static final String RELAY = """
            import codecs
            SR = codecs.lookup('charmap').streamreader
            class R(SR):
                def __getattribute__(self, n):
                    if n == '__class__': return type
                    if n == '__bases__': return (str,)
                    if n == 'stream': return '{0.__init__.__globals__}'
                    raise AttributeError(n)
            """;

    /**
     * A class pattern reads a guarded name (format, obj, __init__, ...) raw only off an object whose classes
     * are all the script's own: a trusted __getattr__ on the script's subclass of codecs' StreamReader
     * relayed `case X(format=walk)` to a str's own format, which walked to the guard names and the context's
     * token, and from there to the guards' globals, the original eval and the real sys (review, 2026-12-06).
     * The exception's obj is judged by its value whatever it was read off (a GenericAlias relays it; the
     * class holds the descriptor that reads it raw). The format guard tests a class by its real type: the
     * relay's own __getattribute__ said its __class__ was type and its __bases__ (str,), and the guard handed
     * out the relayed format raw, for the same chain (review 12, 2026-12-06).
     */
    @ParameterizedTest
    @ValueSource(strings = {
        """
                class X(codecs.lookup('charmap').streamreader):
                    pass
                match X('{0.__init__.__globals__}'):
                    case X(format=walk):
                        reached = walk(X(''))
                """,
        """
                class X(codecs.lookup('charmap').streamreader):
                    pass
                match X('x'):
                    case X(format_map=walk):
                        reached = walk
                """,
        """
                try:
                    (1).nope
                except AttributeError as e:
                    reached = AttributeError.obj.__get__(e)
                """,
        // the format guard's own class test, answered by the relay's __getattribute__ (review, 2026-12-06)
        """
                walk = getattr(SR.__new__(R), 'format')
                reached = walk(SR(''))
                """,
        """
                reached = SR.__new__(R).format(SR(''))
                """,
    })
    void trustedRelaysNeverHandOutAGuardedValueRaw(String attack) throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.CODECS).timeout(Duration.ofSeconds(60)).build())) {
            assertThat(outcomeOf(s, RELAY, attack)).as(attack).isEqualTo("refused");
            assertThat(s.eval("""
                    class P:
                        __match_args__ = ('x',)
                        def __init__(self, x): self.x = x
                    match P(3):
                        case P(x):
                            pass
                    try:
                        (1).nope
                    except AttributeError as e:
                        got = (e.obj, type(list[int])(e, ()).obj)
                    [x, got[0], got[1]]
                    """)).isEqualTo(List.of(3, 1, 1));
        }
    }

    /** "refused" when the attack met a violation, else what it left in its variable {@code reached}. */
    private static String outcomeOf(Sandbox s, String imports, String attack) throws ScriptException {
        Map<String, Object> globals = new HashMap<>();
        try {
            s.execute(imports + "\nreached = None\n" + attack.stripIndent(), globals);
            return "reached: " + globals.get("reached");
        } catch (SandboxViolationException e) {
            return "refused";
        }
    }

    /**
     * filecmp caches each comparison by the paths as given: a str subclass that hashed as one path and
     * compared equal to anything made a later cmp() of two different files of the context say they are equal.
     */
    @Test
    void fileComparisonsAreCachedByThePathsThemselves(@TempDir Path dir) throws Exception {
        for (String[] file : new String[][] {{"x", "AAAA"}, {"y", "BBBB"}, {"z", "AAAA"}}) {
            Files.writeString(dir.resolve(file[0]), file[1]);
            Files.setLastModifiedTime(dir.resolve(file[0]), FileTime.fromMillis(1_700_000_000_000L));
        }
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowPath(dir).allowModule("filecmp")
                .timeout(Duration.ofSeconds(60)).build())) {
            Map<String, Object> globals = new HashMap<>(Map.of("D", dir.toRealPath() + "/"));
            s.execute("""
                    import filecmp
                    class L(str):
                        def __hash__(self): return hash(D + 'y')
                        def __eq__(self, other): return True
                    first = filecmp.cmp(L(D + 'x'), D + 'z', shallow=False)
                    later = filecmp.cmp(D + 'y', D + 'z', shallow=False)
                    """, globals);
            assertThat(globals).containsEntry("first", true).containsEntry("later", false);
        }
    }

    /**
     * The exit status reaches the host by its exact type: isinstance() took an object whose __class__ said
     * int, and the host got a handle where it reads a status (a SandboxError instead of the exit).
     */
    @Test
    void anExitStatusIsTakenByItsExactType() {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.EXIT).timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("""
                    X = type('X', (), {'__class__': property(lambda self: int), '__index__': lambda self: 7,
                                       '__str__': lambda self: 'xx'})
                    exit(X())
                    """)).isInstanceOfSatisfying(ScriptExitException.class, e -> assertThat(e.getStatus()).isEqualTo("xx"));
            assertThatThrownBy(() -> s.execute("exit(True)"))
                    .isInstanceOfSatisfying(ScriptExitException.class, e -> assertThat(e.getStatus()).isEqualTo(1));
        }
    }

    /**
     * A status that is not an int, a str or None is read with its own __str__, which is the script's code: it
     * runs inside the run (runtime._exit_status, in _confined), and what it raises is an error of the run.
     * Review 22: it ran after the run had ended, and a SystemExit raised there left the exit handling (the
     * host got status 1 from GraalPy's own exit path).
     */
    @Test
    void anExitStatusIsReadInsideTheRun() {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.EXIT).timeout(Duration.ofSeconds(60)).build())) {
            assertThatThrownBy(() -> s.execute("""
                    class S:
                        def __str__(self):
                            raise ValueError('no status')
                    exit(S())
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getPythonType()).isEqualTo("ValueError");
                        assertThat(e.getLineNumber()).isEqualTo(3);
                    });
            assertThatThrownBy(() -> s.execute("""
                    class T:
                        def __str__(self):
                            return 'inner'
                    class S:
                        def __str__(self):
                            exit(T())
                    exit(S())
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e).isNotInstanceOf(ScriptExitException.class);
                        assertThat(e.getPythonType()).isEqualTo("RuntimeError");
                        assertThat(e.getMessage()).contains("its __str__ raised SystemExit");
                    });
            // review 23: the status read through a 'code' property of a SystemExit subclass, whose SystemExit left
            // the exit handling as above; now SystemExit's own field is read
            assertThatThrownBy(() -> s.execute("""
                    class X(SystemExit):
                        @property
                        def code(self):
                            raise SystemExit(5)
                    raise X(3)
                    """)).isInstanceOfSatisfying(ScriptExitException.class, e -> assertThat(e.getStatus()).isEqualTo(3));
            // an int the host's Integer cannot hold: asInt() failed with a ClassCastException
            assertThatThrownBy(() -> s.execute("exit(2**31)")).isInstanceOfSatisfying(ScriptExitException.class, e -> {
                assertThat(e.getStatus()).isEqualTo("2147483648");
                assertThat(e.exitCode()).isEqualTo(1);
            });
            // an error whose __str__ raises SystemExit is still read as the run's error
            assertThatThrownBy(() -> s.execute("""
                    class E(Exception):
                        def __str__(self):
                            raise SystemExit(9)
                    raise E()
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e).isNotInstanceOf(ScriptExitException.class);
                        assertThat(e.getPythonType()).isEqualTo("E");
                        assertThat(e.getMessage()).contains("<unprintable E>");
                    });
            assertThatThrownBy(() -> s.execute("exit('done')"))
                    .isInstanceOfSatisfying(ScriptExitException.class, e -> assertThat(e.getStatus()).isEqualTo("done"));
        }
    }

    /**
     * The host reads a script's error from the exception's own storage, and its message once, inside the run
     * (runtime._confined, exception_info): no property or metaclass of the script's answers for a field, and
     * nothing of the script's runs after the run. Before: the polyglot layer took str() of the escaping
     * exception a second time after the run; a '__traceback__' property handed the host a traceback the script
     * made; a '__name__' property on a metaclass, or a violation's setting that was not a str, made the error
     * unreadable (the tenant counted as lost); a 'setting' or 'lineno' property chose what the host read.
     */
    @Test
    void anErrorIsReadFromItsOwnStorageAndItsMessageOnceInsideTheRun() {
        java.io.StringWriter out = new java.io.StringWriter();
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.STDOUT).timeout(Duration.ofSeconds(60)).build())) {
            s.setOut(out);
            assertThatThrownBy(() -> s.execute("""
                    class E(Exception):
                        def __str__(self):
                            print('str ran')
                            return 'the message'
                    raise E()
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getPythonMessage()).isEqualTo("the message");
                        assertThat(e.getCause().getMessage()).doesNotContain("str() failed").contains("the message");
                    });
            assertThat(out.toString()).isEqualTo("str ran\n");
            out.getBuffer().setLength(0);
            assertThatThrownBy(() -> s.execute("""
                    class TB:
                        tb_next = None
                        tb_lineno = 99
                        class tb_frame:
                            class f_code:
                                co_filename = '<sandbox>'
                                co_name = 'forged_frame'
                    def traceback(self):
                        print('traceback ran')
                        return TB
                    E = type('E', (Exception,), {'__traceback__': property(traceback)})
                    raise E('x')
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getLineNumber()).isEqualTo(12);
                        assertThat(e.getPythonFrames()).extracting(f -> f.function()).doesNotContain("forged_frame");
                        assertThat(e.getPythonFrames()).extracting(f -> f.lineNumber()).containsExactly(12);
                    });
            assertThatThrownBy(() -> s.execute("""
                    class M(type):
                        @property
                        def __name__(cls):
                            print('name ran')
                            return ['not', 'a', 'name']
                    class E(Exception, metaclass=M):
                        pass
                    raise E('x')
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getPythonType()).isEqualTo("E");
                        assertThat(e.getLineNumber()).isEqualTo(8);
                    });
            assertThatThrownBy(() -> s.execute("""
                    try:
                        import socket
                    except ImportError as e:
                        Blocked = type(e)
                    raise Blocked('made by the script', ['not', 'a', 'setting'])
                    """)).isInstanceOfSatisfying(SandboxViolationException.class, e -> {
                        assertThat(e.getSetting()).isNull();
                        assertThat(e.getLineNumber()).isEqualTo(5);
                    });
            assertThatThrownBy(() -> s.execute("""
                    try:
                        import socket
                    except ImportError as e:
                        Blocked = type(e)
                    def forged(self):
                        print('setting ran')
                        return 'forged.setting'
                    class P(Blocked):
                        setting = property(forged, lambda self, value: None)
                    raise P('made by the script', 'stored.setting')
                    """)).isInstanceOfSatisfying(SandboxViolationException.class,
                            e -> assertThat(e.getSetting()).isNull());
            assertThatThrownBy(() -> s.execute("""
                    class S(SyntaxError):
                        @property
                        def lineno(self):
                            print('lineno ran')
                            return 7
                        @lineno.setter
                        def lineno(self, value):
                            pass
                    raise S('bad', ('<sandbox>', 3, 2, 'text'))
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getPythonType()).isEqualTo("S");
                        assertThat(e.getLineNumber()).isEqualTo(3);
                    });
            assertThat(out.toString()).isEmpty();
        }
    }

    /**
     * Each run starts and ends with the interpreter's own streams bound in the real sys. Review 25: a script's
     * FileInput subclass set _savestdout, and fileinput's trusted nextfile() bound it as the real sys.stdout;
     * every later run of that sandbox printed to the script's object, whose flush() ran after each run.
     */
    @Test
    void aRunLeavesTheInterpretersStreamsAsTheyWere() throws ScriptException {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.STDOUT, Feature.STDERR)
                .allowModule("fileinput", "FileInput").timeout(Duration.ofSeconds(60)).build())) {
            s.setOut(out).setErr(err);
            s.execute("""
                    from fileinput import FileInput
                    from sys import stderr
                    class Capture:
                        def write(self, text):
                            stderr.write('captured: ' + text)
                            return len(text)
                        def flush(self):
                            stderr.write('flush ran\\n')
                    class F(FileInput):
                        pass
                    f = F(files=['-'])
                    f._savestdout = Capture()
                    f.nextfile()
                    print('in the same run')
                    """);
            assertThat(err.toString()).isEqualTo("captured: in the same runcaptured: \n");
            err.getBuffer().setLength(0);
            s.execute("print('a later run')");
            assertThat(out.toString()).isEqualTo("a later run\n");
            assertThat(err.toString()).isEmpty();
        }
    }

    /**
     * The real sys holds views of the interpreter's streams, never the streams. Review 26: trusted objects store
     * what sys holds (pprint's PrettyPrinter()._stream, shlex's instream), and a script read the real
     * TextIOWrapper there: it closed, detached or reconfigured it (every later run of the sandbox failed at its
     * first print, or printed UTF-16), and reached _io.FileIO through .buffer.raw.
     */
    @Test
    void trustedObjectsHoldOnlyViewsOfTheStreams() throws ScriptException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.STDOUT).allowModule("pprint", "PrettyPrinter")
                .allowModule("shlex", "shlex").timeout(Duration.ofSeconds(60)).build())) {
            s.setOut(out);
            assertThat(s.eval("""
                    import pprint, shlex
                    outcomes = []
                    for stream in (pprint.PrettyPrinter()._stream, shlex.shlex().instream):
                        for name in ('close', 'detach', 'reconfigure', 'buffer', 'fileno', '_CHUNK_SIZE'):
                            try:
                                getattr(stream, name)
                                outcomes.append(name)
                            except AttributeError:
                                pass
                    pprint.PrettyPrinter().pprint([1, 2])
                    outcomes
                    """)).isEqualTo(List.of());
            s.execute("print('a later run')");
            assertThat(out.toString()).isEqualTo("[1, 2]\na later run\n");
        }
    }

    /**
     * Review 27: with os allowed ("*"), os.close(1) made every later print of the sandbox fail, os.dup2(2, 1)
     * sent later runs' output to the error writer, and os.fdopen(1, 'w') (io.open under another name) handed
     * out a fresh FileIO over the interpreter's stdout. These are never allowed.
     */
    @Test
    void osCannotCloseOrRepointTheStandardDescriptors() throws ScriptException {
        java.io.StringWriter out = new java.io.StringWriter();
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.STDOUT).allowModule("os", "*")
                .timeout(Duration.ofSeconds(60)).build())) {
            s.setOut(out);
            assertThat(s.eval("""
                    import os
                    reached = []
                    for name in ('fdopen', 'close', 'closerange', 'dup', 'dup2'):
                        try:
                            getattr(os, name)
                            reached.append(name)
                        except AttributeError:
                            pass
                    from os import *
                    reached + [name for name in ('fdopen', 'close', 'dup2') if name in dir()] + [os.getpid() > 0]
                    """)).isEqualTo(List.of(true));
            s.execute("print('still printing')");
            assertThat(out.toString()).isEqualTo("still printing\n");
        }
    }

    /**
     * Without the exit feature a SystemExit is an error of the run like any other. Review 24 got the class from
     * trusted code (json.tool's main(); tokenize's main() here, which exits on source it cannot tokenize):
     * raised as it was, it reached GraalPy's own exit path (the host got an exit with status 1), and a
     * subclass's __str__ ran twice after the run.
     */
    @Test
    void withoutTheExitFeatureASystemExitIsAnErrorOfTheRun() {
        java.io.StringWriter out = new java.io.StringWriter();
        try (Sandbox s = new Sandbox(SandboxConfig.builder().enable(Feature.STDOUT, Feature.STDERR, Feature.STDIN)
                .allowModule("tokenize", "main").timeout(Duration.ofSeconds(60)).build())) {
            s.setOut(out);
            s.setErr(new java.io.StringWriter());
            String exitClass = """
                    import tokenize
                    class Catch:
                        def __enter__(self):
                            return self
                        def __exit__(self, kind, value, tb):
                            self.kind = kind
                            return True
                    caught = Catch()
                    with caught:
                        tokenize.main()
                    """;
            s.setIn(new java.io.StringReader("'an unterminated string"));
            assertThatThrownBy(() -> s.execute(exitClass + "raise caught.kind(7)\n"))
                    .isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e).isNotInstanceOf(ScriptExitException.class);
                        assertThat(e.getPythonType()).isEqualTo("SystemExit");
                        assertThat(e.getLineNumber()).isEqualTo(11);
                    });
            s.setIn(new java.io.StringReader("'an unterminated string"));
            assertThatThrownBy(() -> s.execute(exitClass + """
                    class E(caught.kind):
                        def __str__(self):
                            print('str ran')
                            return 'after the run'
                    raise E(3)
                    """)).isInstanceOfSatisfying(PythonScriptException.class, e -> {
                        assertThat(e.getPythonType()).isEqualTo("E");
                        assertThat(e.getPythonMessage()).isEqualTo("after the run");
                    });
            assertThat(out.toString()).isEqualTo("str ran\n");
        }
    }

    /**
     * The fields a script may set on standard-library objects (decimal's Context, ElementTree's Element;
     * guards.SETTABLE) open only those names, only on instances of exactly those classes, and a Context
     * still checks each value itself.
     */
    @Test
    void theSettableFieldsOfStandardObjectsOpenNothingElse() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("decimal").allowModule("xml.etree.ElementTree")
                .allowModule("re").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(s.eval("""
                    import decimal, re
                    import xml.etree.ElementTree as ET
                    ctx = decimal.getcontext()
                    outcomes = []
                    for target, name, value in ((ctx, '_ignored_flags', []), (ctx, 'foo', 1), (ctx, 'prec', 'x'),
                                                (decimal.Context, 'prec', 3), (ET.Element, 'text', 'x'),
                                                (ET.Element('a'), 'items', len), (re.I, 'text', 'x'),
                                                (re.compile('x'), 'tail', 'x')):
                        try:
                            setattr(target, name, value)
                            outcomes.append('set')
                        except Exception as e:
                            outcomes.append(type(e).__name__)
                    # past the class's own checks: object.__setattr__ and __delattr__, super()'s, delattr() (review,
                    # 2026-12-06: object.__setattr__(decimal.DefaultContext, 'prec', 'zz') was let through)
                    for write in (lambda: object.__setattr__(decimal.DefaultContext, 'prec', 'zz'),
                                  lambda: object.__delattr__(decimal.DefaultContext, 'traps'),
                                  lambda: super(decimal.Context, ctx).__setattr__('rounding', 42),
                                  lambda: delattr(ctx, 'prec'),
                                  lambda: object.__setattr__(ET.Element('a'), 'text', 'x')):
                        try:
                            write()
                            outcomes.append('written')
                        except Exception as e:
                            outcomes.append(type(e).__name__)
                    outcomes + [ctx.prec, decimal.DefaultContext.prec, ctx.rounding, hasattr(ctx, 'foo'),
                                ET.Element.text, str(decimal.Decimal(1) / 4)]
                    """)).isEqualTo(Arrays.asList("ReadOnlyError", "ReadOnlyError", "TypeError", "ReadOnlyError",
                    "ReadOnlyError", "ReadOnlyError", "ReadOnlyError", "ReadOnlyError", "ReadOnlyError", "ReadOnlyError",
                    "ReadOnlyError", "ReadOnlyError", "ReadOnlyError", 28, 28, "ROUND_HALF_EVEN", false, null, "0.25"));
        }
    }

    /**
     * decimal's Context(flags=x) and Context(traps=x), for an x that is not a dict, compute _signals + x, so a
     * script's __radd__ got the module's private list of signals (which the module view refuses) and cleared
     * it: every later Context() failed (review, 2026-12-06); ctx.copy() got there through a flags dict whose
     * copy() returned such an object. Flags and traps are a dict or a list.
     */
    @Test
    void aDecimalContextNeverHandsOutItsSignals() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("decimal").timeout(Duration.ofSeconds(60))
                .build())) {
            assertThat(s.eval("""
                    import decimal
                    held = []
                    class Radd:
                        def __radd__(self, other):
                            held.append(other)
                            return list(other)
                    class Flags(dict):
                        def copy(self):
                            return Radd()
                    outcomes = []
                    for make in (lambda: decimal.Context(flags=Radd()), lambda: decimal.Context(traps=Radd()),
                                 lambda: decimal.Context(flags=Flags(decimal.getcontext().flags)).copy()):
                        try:
                            make()
                            outcomes.append('made')
                        except Exception as e:
                            outcomes.append(type(e).__name__)
                    outcomes + [len(held), str(decimal.Context(traps=[decimal.Inexact]).traps[decimal.Inexact])]
                    """)).isEqualTo(List.of("TypeError", "TypeError", "TypeError", 0, "1"));
        }
    }

    /**
     * io's in-memory streams are _io's classes, which the identity table of forbidden modules lets through for
     * io's allowed symbols only: nothing else of io or _io (open, FileIO, the module itself) comes with them.
     */
    @Test
    void ioStreamsBringNothingElseOfIo() throws ScriptException {
        try (Sandbox s = new Sandbox(SandboxConfig.builder().allowModule("io", "StringIO", "BytesIO")
                .allowModule("codecs").timeout(Duration.ofSeconds(60)).build())) {
            assertThat(s.eval("""
                    import io
                    from io import StringIO, BytesIO
                    opened = []
                    def attempt(label, action):
                        try:
                            action()
                            opened.append(label)
                        except Exception:
                            pass
                    attempt('io.open', lambda: io.open)
                    attempt('io.FileIO', lambda: io.FileIO)
                    attempt('vars', lambda: vars(io)['open'])
                    attempt('_io', lambda: __import__('_io'))
                    attempt('by module name', lambda: __import__(StringIO.__module__).FileIO)
                    attempt('from io import open', lambda: exec('from io import open'))
                    attempt('codecs.open', lambda: __import__('codecs').open('/etc/hostname').read())
                    attempt('subclass open', lambda: type('S', (StringIO,), {})().open)
                    opened
                    """)).isEqualTo(List.of());
        }
    }

    // -- the bounded path: code reading anything but the host's plain bindings stays on the guest thread ---
    @Test
    void aGuestComparisonPlantedInTheBuiltinsNeverRunsOnTheCallersThread() throws ScriptException {
        try (Sandbox timed = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(10)).build())) {
            // the plant of issue 10: a metaclass handing back the builtins view, then a slow __gt__ on it
            assertThatThrownBy(() -> timed.execute("class Slow:\n    def __gt__(self, other):\n"
                    + "        return 3 ** (3 * 10 ** 7) > 0\n"
                    + "class X(metaclass=lambda *a: __builtins__): pass\nX.x = Slow()"))
                    .isInstanceOf(ScriptException.class);
            for (int i = 0; i < 3; i++) {
                long start = System.nanoTime();
                // nothing was planted: a quick AttributeError each time, never the slow comparison
                assertThatThrownBy(() -> timed.eval("__builtins__.x > 1")).isInstanceOf(ScriptException.class)
                        .hasMessageContaining("AttributeError").hasMessageContaining("no attribute 'x'");
                assertThat((System.nanoTime() - start) / 1_000_000).isLessThan(30_000);
            }
        }
    }
}
