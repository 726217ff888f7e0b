package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.RecursionLimitException;

/**
 * The recursion count (pysandbox.checker._count_depth, updating guards.DEPTH inline): the limit is exact at
 * the edge (the module is frame 1, so with the default limit of 50 a recursion of 49 frames works and 50 does
 * not), recursion through every kind of frame is refused, and nothing the script catches or a builtin
 * swallows (a caught RecursionError, a StopIteration ending a guest iterator, hasattr, a with block that
 * suppresses) leaves the count inflated for later calls. Any cheaper way of counting must keep these.
 */
class RecursionCountTest {
    private static final String FACT = "def fact(n):\n    return 1 if n <= 1 else n * fact(n - 1)\n";
    /** Runs a coroutine to its end without an event loop (asyncio cannot be imported in the sandbox). */
    private static final String RUN = """
            def run(c):
                try:
                    while True:
                        c.send(None)
                except StopIteration as stop:
                    return stop.value
            """;
    private static Sandbox sandbox;

    @BeforeAll
    static void setUp() {
        sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build());
    }

    @AfterAll
    static void tearDown() {
        sandbox.close();
    }

    @Test
    void lambdasThatYieldNestedExecAndCoroutinesAreCountedWhileTheyRunOnly() throws Exception {
        // a review of 2026-12-05 went past the count three ways: a lambda that yields (only the call that
        // made the generator was counted), exec/eval nested in their own source (module code frames), and
        // coroutines, whose count in the body was held across every await: suspended ones took the frames
        // of later calls, and one left suspended in an earlier run gave its frame to a later run on close
        assertThatThrownBy(() -> sandbox.eval("g = lambda n: (yield from g(n + 1)) if n < 500 else (yield n)\nnext(g(0))"))
                .isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.eval("g = lambda n: (yield from g(n + 1)) if n < 45 else (yield n)\nnext(g(0))"))
                .isEqualTo(45);
        assertThatThrownBy(() -> sandbox.eval("d = {'n': 0, 's': 'n += 1\\nif n < 500: exec(s)'}\nexec(d['s'], d)"))
                .isInstanceOf(RecursionLimitException.class);
        assertThatThrownBy(() -> sandbox.eval("n = []\ns = '(n.append(1), eval(s) if len(n) < 500 else len(n))[1]'\neval(s)"))
                .isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.eval("d = {'n': 0, 's': 'n += 1\\nif n < 40: exec(s)'}\nexec(d['s'], d)\nd['n']")).isEqualTo(40);
        String coroutines = """
                class Pause:
                    def __await__(self):
                        yield 1
                async def co():
                    await Pause()
                    return 5
                async def outer():
                    return await co() + 1
                async def down(n):
                    return n if n >= 500 else await down(n + 1)
                def r(n):
                    return n if n >= 45 else r(n + 1)
                def deep(n):
                    return n if n >= 150 else deep(n + 1)
                keep = []
                def suspend():
                    for i in range(45):
                        c = co()
                        c.send(None)
                        keep.append(c)
                def close_all():
                    for c in keep:
                        c.close()
                    return deep(0)
                def result(c):
                    c.send(None)
                    try:
                        c.send(None)
                    except StopIteration as stop:
                        return stop.value
                """;
        Map<String, Object> ns = new HashMap<>();
        sandbox.execute(coroutines, ns);
        // 45 suspended coroutines hold no frame: a recursion to 45 still works
        sandbox.call("suspend", ns);
        assertThat(sandbox.call("r", ns, 0)).isEqualTo(45);
        assertThat(sandbox.eval("[result(co()), result(outer()), type(co()).__name__]", ns))
                .isEqualTo(List.of(5, 6, "coroutine"));
        assertThatThrownBy(() -> sandbox.eval("down(0).send(None)", ns)).isInstanceOf(RecursionLimitException.class);
        // closed in a later run, they give back no frame to it: r recursing to 150 stops at the limit
        sandbox.call("suspend", ns);
        sandbox.call("suspend", ns);
        assertThatThrownBy(() -> sandbox.call("close_all", ns)).isInstanceOf(RecursionLimitException.class);
    }

    @Test
    void asyncGeneratorsAreCountedWhileTheyRunOnlyAndKeepTheirBehaviour() throws Exception {
        // until 2026-12-05 an async generator (async def with yield) was not counted at all: a chain of
        // 300 of them, each resuming the next through async for, ran with a limit of 50
        String generators = """
                async def deep(n):
                    if n:
                        async for x in deep(n - 1):
                            yield x + 1
                    else:
                        yield 0
                async def first(n):
                    async for v in deep(n):
                        return v
                log = []
                async def agen(n):
                    try:
                        for i in range(n):
                            got = yield i
                            if got is not None:
                                log.append(got)
                    finally:
                        log.append('closed')
                async def usage():
                    out = [x async for x in agen(3)]
                    g = agen(5)
                    out.append(await g.__anext__())
                    out.append(await g.asend('sent'))
                    try:
                        await g.athrow(ValueError('thrown'))
                    except ValueError as e:
                        out.append(str(e))
                    try:
                        await anext(agen(0))
                    except StopAsyncIteration:
                        out.append('stop')
                    h = agen(4)
                    await anext(h)
                    await h.aclose()
                    async for y in aiter(agen(2)):
                        out.append(y)
                    return [out, log, type(g).__name__, 'async_generator' in repr(g)]
                keep = []
                async def suspend():
                    for i in range(60):
                        a = agen(3)
                        await anext(a)
                        keep.append(a)
                def r(n):
                    return n if n >= 45 else r(n + 1)
                """;
        Map<String, Object> ns = new HashMap<>();
        sandbox.execute(RUN + generators, ns);
        assertThatThrownBy(() -> sandbox.eval("run(first(300))", ns)).isInstanceOf(RecursionLimitException.class);
        // exact at the edge: the module, run, first and the 47 async generators of deep(46) make the 50 frames
        // the limit allows
        assertThat(sandbox.eval("run(first(46))", ns)).isEqualTo(46);
        assertThatThrownBy(() -> sandbox.eval("run(first(47))", ns)).isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.eval("run(usage())", ns)).isEqualTo(List.of(
                List.of(0, 1, 2, 0, 1, "thrown", "stop", 0, 1),
                List.of("closed", "sent", "closed", "closed", "closed", "closed"), "async_generator", true));
        // 60 suspended async generators hold no frame, in this run or the next
        sandbox.eval("run(suspend())", ns);
        assertThat(sandbox.call("r", ns, 0)).isEqualTo(45);
    }

    @Test
    void generatorExpressionsAndYieldsInNestedDefaultsAreCounted() throws Exception {
        // a review of 2026-12-05: a loop chained 500 generator expressions (or async ones), each resuming the
        // one before, uncounted; and a yield in a nested lambda's or def's default value, which runs in the
        // enclosing frame, made that frame a generator the checker took for a plain function
        String chains = """
                def chain(n):
                    g = iter([7])
                    for i in range(n):
                        g = (x for x in g)
                    return next(g)
                async def source():
                    yield 7
                async def achain(n):
                    g = source()
                    for i in range(n):
                        g = (x async for x in g)
                    async for v in g:
                        return v
                def boom():
                    raise ValueError('bottom')
                    yield
                f = lambda n: (lambda x=((yield from f(n - 1)) if n else (yield from boom())): 0)
                def outer():
                    def inner(x=(yield 1)):
                        pass
                async def aouter():
                    lambda x=(yield 1): 0
                async def collect(a):
                    return [x async for x in a]
                def hold():
                    held = []
                    for i in range(60):
                        h = outer()
                        next(h)
                        held.append(h)
                    return held
                def r(n):
                    return n if n >= 45 else r(n + 1)
                """;
        Map<String, Object> ns = new HashMap<>();
        sandbox.execute(RUN + chains, ns);
        assertThatThrownBy(() -> sandbox.call("chain", ns, 300)).isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.call("chain", ns, 45)).isEqualTo(7);
        assertThatThrownBy(() -> sandbox.eval("run(achain(300))", ns)).isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.eval("run(achain(45))", ns)).isEqualTo(7);
        assertThatThrownBy(() -> sandbox.eval("next(f(300))", ns)).isInstanceOf(RecursionLimitException.class);
        // generators, so suspended ones hold no frame; and the async def is an async generator, as in CPython
        assertThat(sandbox.eval("[type(outer()).__name__, type(f(1)).__name__, run(collect(aouter()))]", ns))
                .isEqualTo(List.of("generator", "generator", List.of(1)));
        sandbox.eval("kept = hold()", ns);
        assertThat(sandbox.call("r", ns, 0)).isEqualTo(45);
        // ordinary generator expressions behave as before
        assertThat(sandbox.eval("[sum(x * x for x in range(10)), ''.join(str(x) for x in range(3)), "
                + "any(x > 2 for x in range(5)), dict((k, 1) for k in 'ab'), type(x for x in []).__name__, "
                + "(x for x in []).__name__]"))
                .isEqualTo(List.of(285, "012", true, Map.of("a", 1, "b", 1), "generator", "<genexpr>"));
    }

    @Test
    void limitIsExactAtTheEdge() throws Exception {
        assertThat(sandbox.eval(FACT + "fact(49) > 0")).isEqualTo(true);
        assertThatThrownBy(() -> sandbox.eval(FACT + "fact(50)")).isInstanceOf(RecursionLimitException.class)
                .satisfies(e -> assertThat(e.getMessage()).containsOnlyOnce("50 frames"));
        assertThatThrownBy(() -> sandbox.eval(FACT + "fact(51)")).isInstanceOf(RecursionLimitException.class);
        Map<String, Object> ns = new HashMap<>();
        sandbox.execute(FACT, ns);
        assertThat(sandbox.call("fact", ns, 5)).isEqualTo(120);
        assertThatThrownBy(() -> sandbox.call("fact", ns, 50)).isInstanceOf(RecursionLimitException.class);
        // a failed host call leaves nothing counted for the next one
        assertThat(sandbox.call("fact", ns, 49)).isNotNull();
    }

    @Test
    void configuredLimitIsExact() throws Exception {
        try (Sandbox small = new Sandbox(SandboxConfig.builder().recursionLimit(20).timeout(Duration.ofSeconds(30)).build())) {
            assertThat(small.eval(FACT + "fact(19) > 0")).isEqualTo(true);
            assertThatThrownBy(() -> small.eval(FACT + "fact(20)")).isInstanceOf(RecursionLimitException.class);
        }
    }

    @Test
    void caughtRecursionErrorsLeaveNothingCounted() throws Exception {
        Object result = sandbox.eval(FACT + """
                def deep(n):
                    return deep(n + 1)
                def catch_inside():
                    caught = 0
                    for i in range(50):
                        try:
                            deep(0)
                        except RecursionError:
                            caught += 1
                    return caught, fact(48) > 0
                caught = 0
                for i in range(50):
                    try:
                        deep(0)
                    except RecursionError:
                        caught += 1
                [caught, catch_inside(), fact(49) > 0]
                """);
        assertThat(result).isEqualTo(List.of(50, List.of(50, true), true));
    }

    @Test
    void otherCaughtExceptionsLeaveNothingCounted() throws Exception {
        Object result = sandbox.eval(FACT + """
                def fail(n):
                    if n == 0:
                        return {}['missing']
                    return fail(n - 1)
                def chain(n):
                    try:
                        return fail(n)
                    finally:
                        len('cleanup')
                def loop():
                    for i in range(200):
                        try:
                            chain(30)
                        except KeyError:
                            pass
                    return fact(48) > 0
                for i in range(200):
                    try:
                        fail(30)
                    except KeyError:
                        pass
                [loop(), fact(49) > 0]
                """);
        assertThat(result).isEqualTo(List.of(true, true));
    }

    @Test
    void exceptionsSwallowedByBuiltinsLeaveNothingCounted() throws Exception {
        Object result = sandbox.eval(FACT + """
                class Explicit:
                    def __init__(self):
                        self.i = 0
                    def __iter__(self):
                        return self
                    def __next__(self):
                        self.i += 1
                        if self.i > 2:
                            raise StopIteration
                        return len('x')
                class Implicit:
                    def __init__(self):
                        self.inner = iter([1, 2])
                    def __iter__(self):
                        return self
                    def __next__(self):
                        return next(self.inner)
                class Indexed:
                    def __getitem__(self, i):
                        return [1, 2][i]
                class Missing:
                    def __getattr__(self, name):
                        return {}[name]
                class Quiet:
                    def __enter__(self):
                        return self
                    def __exit__(self, *exc):
                        return len('q') == 1
                def use_all():
                    total = 0
                    for i in range(100):
                        total += sum(Explicit()) + sum(Implicit()) + len(list(Indexed()))
                        a, b = Implicit()
                        total += a + b + (next(Implicit(), 0) or 0) + (2 in Implicit())
                        for x in Implicit():
                            total += x
                        try:
                            hasattr(Missing(), 'x')
                        except KeyError:
                            pass
                        with Quiet():
                            fact(3)
                            raise ValueError()
                    return total
                for i in range(100):
                    list(Implicit())
                    with Quiet():
                        {}['x']
                [use_all() > 0, fact(49) > 0]
                """);
        assertThat(result).isEqualTo(List.of(true, true));
    }

    @Test
    void recursionInHandlersAndThroughOtherFramesIsCounted() throws Exception {
        Object result = sandbox.eval("""
                seen = []
                def in_except(n):
                    try:
                        raise ValueError()
                    except ValueError:
                        return in_except(n + 1)
                def in_finally(n):
                    try:
                        pass
                    finally:
                        return in_finally(n + 1)
                def in_with(n):
                    with Manager():
                        return in_with(n + 1)
                class Manager:
                    def __enter__(self):
                        return self
                    def __exit__(self, *exc):
                        return False
                class Node:
                    def walk(self, n):
                        return self.walk(n + 1)
                def via_eval(n):
                    return eval('via_eval(n + 1)')
                def via_generator(n):
                    return next(step(n))
                def step(n):
                    yield via_generator(n + 1)
                for probe in (in_except, in_finally, in_with, Node().walk, via_eval, via_generator):
                    try:
                        probe(0)
                        seen.append('completed')
                    except RecursionError:
                        seen.append('denied')
                seen
                """);
        assertThat(result).isEqualTo(List.of("denied", "denied", "denied", "denied", "denied", "denied"));
    }

    @Test
    void recursionBelowTheLimitWorksFromEveryKindOfFrame() throws Exception {
        Object result = sandbox.eval(FACT + """
                class Tree:
                    def depth(self, n):
                        return 1 if n == 0 else 1 + self.depth(n - 1)
                def in_except(n):
                    try:
                        raise ValueError()
                    except ValueError:
                        return 0 if n == 0 else 1 + in_except(n - 1)
                def in_finally(n):
                    try:
                        pass
                    finally:
                        return 0 if n == 0 else 1 + in_finally(n - 1)
                def run_nested():
                    return exec('result = fact(47)') or eval('fact(47)') > 0
                [Tree().depth(48), in_except(48), in_finally(48), run_nested(), fact(49) > 0]
                """);
        assertThat(result).isEqualTo(List.of(49, 48, 48, true, true));
    }

    @Test
    void localsDoNotShowTheBookkeeping() throws Exception {
        Object result = sandbox.eval("""
                def f(n):
                    a = n
                    try:
                        return sorted(locals())
                    finally:
                        len('x')
                class Box:
                    def fill(self, n):
                        # two stores on a parameter: its ownership test is taken once, into a hidden local
                        self.a = n
                        self.b = n
                        return [sorted(locals()), sorted(vars()), dir()]
                [f(1), Box().fill(2)]
                """);
        assertThat(result).isEqualTo(List.of(List.of("a", "n"),
                List.of(List.of("n", "self"), List.of("n", "self"), List.of("n", "self"))));
    }

    @Test
    void generatorsAndLambdasCountWhileRunningOnlyAndKeepTheirBehaviour() throws Exception {
        // a suspended generator holds no count: 200 of them started and left open, then a recursion to the
        // edge still works; a yield-from chain counts one frame per generator while it runs
        Object result = sandbox.eval(FACT + """
                def counter(n):
                    got = yield n
                    while True:
                        got = yield got
                opened = [counter(i) for i in range(200)]
                firsts = [next(g) for g in opened]
                def walk(n):
                    if n:
                        total = yield from walk(n - 1)
                        return total + 1
                    yield 'leaf'
                    return 0
                def finish(gen):
                    try:
                        while True:
                            next(gen)
                    except StopIteration as stop:
                        return stop.value
                def echo():
                    try:
                        got = yield 1
                        yield got * 2
                    except KeyError:
                        yield 'caught'
                    finally:
                        log.append('closed')
                log = []
                e = echo()
                steps = [next(e), e.send(21)]
                e2 = echo(); next(e2)
                steps.append(e2.throw(KeyError))
                e2.close()
                square = lambda x: x * x
                [sum(firsts), fact(49) > 0, finish(walk(45)), steps, log, square.__name__,
                 sorted([3, 1, 2], key=lambda x: -x), list(map(square, [1, 2])), 'generator' in repr(e)]
                """);
        assertThat(result).isEqualTo(List.of(19900, true, 45, List.of(1, 42, "caught"), List.of("closed"),
                "<lambda>", List.of(3, 2, 1), List.of(1, 4), true));
        assertThatThrownBy(() -> sandbox.eval("""
                def walk(n):
                    if n:
                        yield from walk(n - 1)
                    yield 'leaf'
                list(walk(60))
                """)).isInstanceOf(RecursionLimitException.class);
        assertThatThrownBy(() -> sandbox.eval("f = lambda n: f(n + 1) if n < 60 else 0\nf(0)"))
                .isInstanceOf(RecursionLimitException.class);
        assertThat(sandbox.eval("f = lambda n: f(n + 1) if n < 45 else n\nf(0)")).isEqualTo(45);
    }
}
