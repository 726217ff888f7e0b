package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;

/**
 * The context's {@code __build_class__} (classes.py): GraalPy 25.0.3 gives classes compiled from a syntax
 * tree, as every checked script is, a {@code __classdictcell__} that makes their dict slow. Here classes
 * compiled from the tree must come out exactly as the same classes compiled from text, in every part of
 * class creation the replacement takes over (metaclass choice, {@code __prepare__}, {@code __mro_entries__},
 * {@code __init_subclass__}, {@code super()}, PEP 695 scopes that do read the class's dict), and without the
 * cell.
 */
class ClassCreationTest {
    /** Trusted code in a sandbox context: runs CLASSES from text and from its tree, and compares. */
    private static final String COMPARE = """
            import ast
            CLASSES = '''
            class Base:
                def __init_subclass__(cls, flag=None, **kw):
                    super().__init_subclass__(**kw)
                    cls.flag = flag
            class P(Base, flag=3):
                def __init__(self):
                    self.a = 1
                def m(self):
                    return __class__ is P and type(self).__mro__[-2] is Base
            class Sub(P, flag=5):
                def m2(self):
                    return super().m() and __class__ is Sub
            class Prepared(type):
                @classmethod
                def __prepare__(mcs, name, bases, **kw):
                    return {'prepared': name}
                def __new__(mcs, name, bases, ns, **kw):
                    ns['made_by'] = mcs.__name__
                    return super().__new__(mcs, name, bases, ns)
            class W(metaclass=Prepared):
                def f(self): pass
            class X(W):
                def g(self): pass
            class Mapping(dict):
                def __setitem__(self, key, value):
                    super().__setitem__(key, value)
            class Mapped(type):
                @classmethod
                def __prepare__(mcs, name, bases):
                    return Mapping()
            class Y(metaclass=Mapped):
                def h(self): pass
            class Entry:
                def __mro_entries__(self, bases):
                    return (Base,)
            class Z(Entry(), flag=7):
                def z(self): pass
            class ZM(Entry(), metaclass=Mapped):
                def z(self): pass
            class Plugin(Base):
                def __init_subclass__(cls, name=None, namespace=None, resolved_bases=None, **kw):
                    super().__init_subclass__(**kw)
                    cls.keywords = (name, namespace, resolved_bases)
            class Named(Plugin, name='n', namespace='ns', resolved_bases='rb'):
                def run(self): pass
            class Inner:
                def __mro_entries__(self, bases):
                    return (Base,)
            class Outer:
                def __mro_entries__(self, bases):
                    return (Inner(),)
            def seen(name, bases, ns, **kw):
                return [type(b).__name__ for b in bases]
            class Twice(Outer(), metaclass=seen):
                def t(self): pass
            # a class statement may not bind '__class__' (the class-body name rules); a dict namespace can
            Liar = type('Liar', (), {'__class__': property(lambda self: type),
                                     '__mro_entries__': lambda self, bases: (Base,)})
            class L(Liar(), flag=9):
                def l(self): pass
            def maker(name, bases, ns, **kw):
                return ('made', name, bases, sorted(k for k in ns if not k.startswith('__')), kw)
            class F(P, metaclass=maker, extra=1):
                def q(self): pass
            class Gen[U]:
                def k[V: Gen](self):
                    return V
            class Aliases:
                Alias = int
                def gm[T: Alias](self):
                    pass
                def plain(self):
                    pass
            Aliases.Alias = str  # read later through the class's dict, as CPython does
            class M1(type): pass
            class M2(type): pass
            try:
                class Conflict(M1('A1', (), {}), M2('A2', (), {})):
                    def c(self): pass
            except TypeError as e:
                conflict = str(e)
            class NoMapping(type):
                @classmethod
                def __prepare__(mcs, name, bases):
                    return 3
            try:
                class Unprepared(metaclass=NoMapping):
                    def u(self): pass
            except TypeError as e:
                unprepared = str(e)
            def outer(n):
                class Local:
                    def get(self):
                        return n
                return Local().get()
            RESULT = {
                'P': sorted(P.__dict__), 'flags': (P.flag, Sub.flag, Z.flag), 'super': (P().m(), Sub().m2()),
                'W': (type(W).__name__, W.prepared, W.made_by, X.prepared, X.made_by), 'Y': type(Y).__name__,
                'Z': (Z.__orig_bases__[0].__class__.__name__, Z.__bases__), 'L': (L.flag, L.__bases__), 'F': F, 'keywords': Named.keywords, 'once': Twice,
                'ZM': (type(ZM).__name__, ZM.__orig_bases__[0].__class__.__name__, ZM.__bases__),
                'Gen': (Gen.__type_params__, Gen().k.__type_params__[0].__bound__ is Gen),
                'alias': Aliases.gm.__type_params__[0].__bound__, 'conflict': conflict, 'unprepared': unprepared, 'closure': outer(4),
                'cell': [c.__name__ for c in (P, Sub, W, X, Z, Gen) if '__classdictcell__' in c.__dict__],
            }
            '''
            def run(code):
                namespace = {'__name__': 'corpus'}
                exec(code, namespace)
                return namespace['RESULT']
            text = run(compile(CLASSES, 'corpus.py', 'exec'))
            tree = run(compile(ast.parse(CLASSES), 'corpus.py', 'exec'))
            repr(text) + '\\n' + repr(tree)
            """;

    @Test
    void classesFromTheTreeComeOutAsFromText() {
        try (ConfinedInterpreter interpreter = ConfinedInterpreter.create(SandboxConfig.defaults())) {
            String[] results = interpreter.context().eval("python", COMPARE).asString().split("\n");
            assertThat(results[1]).as("compiled from the tree").isEqualTo(results[0]);
            assertThat(results[0])
                    .contains("'P': ['__doc__', '__init__', '__module__', 'flag', 'm']")
                    .contains("'flags': (3, 5, 7)", "'super': (True, True)")
                    .contains("'W': ('Prepared', 'W', 'Prepared', 'X', 'Prepared')", "'Y': 'Mapped'")
                    .contains("'Z': ('Entry', (<class 'corpus.Base'>,))", "'L': (9, (<class 'corpus.Base'>,))")
                    .contains("'ZM': ('Mapped', 'Entry', (<class 'corpus.Base'>,))")
                    .contains("'keywords': ('n', 'ns', 'rb')", "'once': ['Inner']")
                    .contains("'F': ('made', 'F', (<class 'corpus.P'>,), ['q'], {'extra': 1})")
                    .contains("'Gen': ((U,), True)", "'alias': <class 'str'>")
                    .contains("'conflict': 'metaclass conflict: the metaclass of a derived class must be a"
                            + " (non-strict) subclass of the metaclasses of all its bases'")
                    .contains("'unprepared': 'NoMapping.__prepare__() must return a mapping, not int'")
                    .contains("'closure': 4")
                    // only a class with a real annotation scope keeps the cell, as GraalPy makes it from text
                    .contains("'cell': ['Gen']");
        }
    }

    @Test
    void theGuestsClassesWork() throws ScriptException {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().allowModule("collections", "OrderedDict")
                .allowModule("dataclasses", "dataclass").timeout(Duration.ofSeconds(60)).build())) {
            Object result = sandbox.eval("""
                    class Base:
                        def __init_subclass__(cls, flag=None, **kw):
                            super().__init_subclass__(**kw)
                            cls.flag = flag
                    class P(Base, flag=3):
                        def __init__(self, a):
                            self.a = a
                        def double(self):
                            return 2 * self.a
                    class Q(P):
                        def double(self):
                            return super().double() + 1
                    class Meta(type):
                        @classmethod
                        def __prepare__(mcs, name, bases, **kw):
                            return {'prepared': name}
                    class R(Q, metaclass=Meta):
                        def triple(self):
                            return 3 * self.a
                    r = R(5)
                    r.a += 1
                    [sorted(k for k in vars(P) if not k.startswith('__pysandbox_')), (P.flag, Q.flag), R.prepared, r.double(),
                     r.triple(), type(R).__name__]
                    """);
            assertThat(result).isEqualTo(List.of(List.of("__doc__", "__init__", "__module__", "double", "flag"),
                    Arrays.asList(3, null),
                    "R", 13, 18, "Meta"));
            assertThat(sandbox.eval("class A:\n    def f(self): pass\nsorted(vars(A))")).asList()
                    .doesNotContain("__classdictcell__");
            assertThat(sandbox.eval("class C:\n    x = 1\nC.x")).isEqualTo(1);
            assertThat(sandbox.eval("class D(dict):\n    def get2(self, k): return self[k] * 2\nD(a=2).get2('a')"))
                    .isEqualTo(4);
            assertThat(sandbox.eval("import collections\nclass E(collections.OrderedDict):\n    def first(self):"
                    + " return next(iter(self))\nE(b=1, a=2).first()")).isEqualTo("b");
            Object scores = sandbox.eval("""
                    from dataclasses import dataclass
                    @dataclass
                    class Score:
                        name: str
                        points: int = 0
                        def bonus(self):
                            return self.points + 10
                    s = Score('x', 5)
                    [s.bonus(), repr(s)]
                    """);
            assertThat(scores).isEqualTo(List.of(15, "Score(name='x', points=5)"));
        }
    }
}
