package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import javax.script.ScriptException;

import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.jsr223.PySandboxEngine;

/**
 * Checked code shared between interpreters ({@link SharedCheckedCode}): who may publish, what an adopting
 * interpreter gets, and attacks designed from the mechanism (a checker subverted in one context, a key that
 * would let one policy's code serve another, the maker's guard token reaching the adopter).
 */
class SharedCheckedCodeTest {
    private static final SandboxConfig CONFIG = SandboxConfig.of("stdout");
    /** Every guard kind the rewrite writes: ownership (class, def), stores, frame counting, __name__. */
    private static final String GUARDED = """
            class Box:
                def __init__(self, v):
                    self.v = v
            def deep(n):
                return 0 if n == 0 else 1 + deep(n - 1)
            square = lambda x: x * x
            b = Box(3)
            b.v = square(2)
            (b.v + deep(n), __name__)
            """;
    private final List<ConfinedInterpreter> made = new ArrayList<>();

    @BeforeEach
    void forget() {
        SharedCheckedCode.clear();
    }

    @AfterEach
    void close() {
        made.forEach(ConfinedInterpreter::close);
        System.clearProperty(SharedCheckedCode.PROPERTY);
    }

    private ConfinedInterpreter interpreter(SandboxConfig config) {
        ConfinedInterpreter it = ConfinedInterpreter.create(config);
        made.add(it);
        return it;
    }

    private static SharedCheckedCode.Key key(SandboxConfig config, String file, String source) {
        return new SharedCheckedCode.Key(GuestPolicy.toJson(config, null), file, true, source);
    }

    /** Runs source in a fresh namespace holding n; the value of its last expression. */
    private static Value run(ConfinedInterpreter it, String source, String file, int n) {
        Value namespace = it.newNamespace();
        namespace.putHashEntry("n", n);
        return it.outcomeValue(it.run(source, file, namespace, null, true));
    }

    private static Value python(ConfinedInterpreter it, String code) {
        return it.context().eval("python", code);
    }

    /** Makes the interpreter's checker fail loudly, so that a run can only have used adopted code. */
    private static void breakChecker(ConfinedInterpreter it) {
        python(it, """
                import sys
                def _refuse(*args):
                    raise AssertionError('the checker ran')
                sys.modules['pysandbox.runtime']._check = _refuse
                """);
    }

    /** Every name and string constant of the cached code for the source, nested code included. */
    private static String namesInCachedCode(ConfinedInterpreter it, String source, String file) {
        Value collect = python(it, """
                import sys
                def _names(source, file):
                    found = []
                    def walk(code):
                        found.extend(code.co_names)
                        found.extend(code.co_varnames)
                        for c in code.co_consts:
                            if hasattr(c, 'co_names'):
                                walk(c)
                            elif isinstance(c, str):
                                found.append(c)
                    for item in sys.modules['pysandbox.runtime']._CODE_CACHE[(source, file, True)]:
                        if hasattr(item, 'co_names'):
                            walk(item)
                    return ' '.join(found)
                _names
                """);
        return collect.execute(source, file).asString();
    }

    private static String guardToken(ConfinedInterpreter it) {
        String store = python(it, "import sys\nsys.modules['pysandbox.checker'].GUARD_NAMES['store']").asString();
        return store.substring("__pysandbox_".length(), store.length() - "_store__".length());
    }

    @Test
    void anInterpreterThatRanNoGuestCodePublishesAndAnotherAdoptsWithItsOwnGuards() {
        ConfinedInterpreter maker = interpreter(CONFIG);
        Value first = run(maker, GUARDED, "<shared>", 10);
        assertThat(first.getArrayElement(0).asInt()).isEqualTo(14);
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<shared>", GUARDED))).isTrue();

        ConfinedInterpreter adopter = interpreter(CONFIG);
        breakChecker(adopter);
        Value second = run(adopter, GUARDED, "<shared>", 10);
        assertThat(second.getArrayElement(0).asInt()).isEqualTo(14);
        assertThat(second.getArrayElement(1).asString()).isEqualTo("__main__");

        String names = namesInCachedCode(adopter, GUARDED, "<shared>");
        assertThat(names).contains("__pysandbox_" + guardToken(adopter) + "_store__")
                .contains("__pysandbox_" + guardToken(adopter) + "_own__")
                .doesNotContain(guardToken(maker));
    }

    @Test
    void adoptedCodeCountsFramesWithTheAdoptersOwnDepthGuard() {
        run(interpreter(CONFIG), GUARDED, "<deep>", 10);
        ConfinedInterpreter adopter = interpreter(CONFIG);
        breakChecker(adopter);
        // a guard named with the maker's token would be a NameError; the adopter's own counts to the limit
        assertThatThrownBy(() -> run(adopter, GUARDED, "<deep>", 100_000)).isInstanceOfSatisfying(PolyglotException.class,
                e -> assertThat(e.getMessage()).contains("RecursionError").doesNotContain("NameError"));
    }

    /**
     * Review attack (class-pattern sites): site names were numbered by a count each context kept, so an
     * adopter's own next compilation (here the script's exec) handed out the maker's numbers again; a
     * pattern of the exec'd source at the same line and column rebound the adopted pattern's site from an
     * earlier case's guard, and the adopted pattern then read __getattribute__ raw through another
     * pattern's proxy: the guest had object.__getattribute__, the policy's globals and the real sys.
     */
    static final String SITE_COLLISION = """
            SRC2 = '\\n' * 5 + 'match 0:\\n    case object(real=r): pass\\n'
            def hook():
                exec(SRC2)
                return False
            match object:
                case _ if hook(): pass
                case object(__getattribute__=ga): pass
            g = ga(exec, '__globals__')
            (g['_sys'].modules['pysandbox.checker'].GUARD_NAMES['store'], 'posix' in g['_sys'].modules)
            """;

    @Test
    void adoptedClassPatternSitesNeverCollideWithTheAdoptersOwn() {
        for (int i = 0; i < 2; i++) {
            ConfinedInterpreter it = interpreter(CONFIG);
            assertThatThrownBy(() -> run(it, SITE_COLLISION, "<sites>", 0)).as("interpreter %d", i)
                    .isInstanceOfSatisfying(PolyglotException.class, e -> assertThat(e.getMessage())
                            .contains("'__getattribute__'").contains("blocked by the sandbox"));
        }
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<sites>", SITE_COLLISION))).as("refused at run time only").isTrue();
    }

    /** The same through the public API, and through one sandbox whose interpreter an output limit replaced. */
    @Test
    void classPatternSitesThroughSandboxesAndAReplacedInterpreter() {
        for (int i = 0; i < 2; i++) {
            try (Sandbox sandbox = new Sandbox(CONFIG)) {
                assertThatThrownBy(() -> sandbox.eval(SITE_COLLISION)).isInstanceOf(SandboxViolationException.class);
            }
        }
        SandboxConfig limited = SandboxConfig.builder().enable("stdout").maxOutput(64).build();
        try (Sandbox sandbox = new Sandbox(limited)) {
            assertThatThrownBy(() -> sandbox.eval(SITE_COLLISION)).isInstanceOf(SandboxViolationException.class);
            assertThatThrownBy(() -> sandbox.eval("print('x' * 1000)")).isInstanceOf(ScriptException.class);
            // the replacement interpreter adopts the script the first one published
            assertThatThrownBy(() -> sandbox.eval(SITE_COLLISION)).isInstanceOf(SandboxViolationException.class);
        }
    }

    /** Non-Latin-1 text around the substituted names: the maker's token is nowhere in the adopted bytes. */
    @Test
    void nonLatin1SourceAdoptsCleanly() {
        String source = "s = '\u20ac\uD83D\uDE00 x'\nclass K:\n    pass\n(s, __name__, K().__class__.__name__, n)\n";
        ConfinedInterpreter maker = interpreter(CONFIG);
        String made = run(maker, source, "<u>", 1).toString();
        ConfinedInterpreter adopter = interpreter(CONFIG);
        breakChecker(adopter);
        assertThat(run(adopter, source, "<u>", 1).toString()).isEqualTo(made).contains("\u20ac\uD83D\uDE00 x");
        Value marshalled = python(adopter, """
                import sys, marshal
                def _m(source, file):
                    return marshal.dumps(sys.modules['pysandbox.runtime']._CODE_CACHE[(source, file, True)][:4])
                _m
                """).execute(source, "<u>");
        byte[] bytes = new byte[(int) marshalled.getBufferSize()];
        marshalled.readBuffer(0, bytes, 0, bytes.length);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)).doesNotContain(guardToken(maker))
                .contains(guardToken(adopter));
    }

    /** The compiler flags of a __future__ import survive marshalling: the annotations stay unevaluated. */
    @Test
    void futureAnnotationsSurviveAdoption() {
        SandboxConfig future = SandboxConfig.builder().enable(Feature.STDOUT, Feature.FUTURE).build();
        String source = "from __future__ import annotations\ndef f(x: not_defined) -> also_not:\n    return x\nf(n)\n";
        assertThat(run(interpreter(future), source, "<f>", 3).asInt()).isEqualTo(3);
        ConfinedInterpreter adopter = interpreter(future);
        breakChecker(adopter);
        assertThat(run(adopter, source, "<f>", 3).asInt()).isEqualTo(3);
    }

    /**
     * Review attack (compile-time warnings): the parser and compiler wrote SyntaxWarnings ('\\d' in a
     * non-raw string, 'x is 1') to the checking context's stderr; an adopter compiles nothing, so with
     * 'stderr' on, silence told a tenant that another sandbox had run exactly its guessed source. Without
     * 'stderr' the same warning failed the script with OSError. Warnings of a check are now ignored.
     */
    @Test
    void compileTimeWarningsNeitherFailAScriptNorTellWhatOthersRan() throws Exception {
        String warns = "pattern = '\\d+'\nx = 1\nsame = x is 1\n(pattern, same)\n";
        SandboxConfig withStderr = SandboxConfig.of("stdout", "stderr");
        for (int round = 0; round < 3; round++) {
            java.io.StringWriter err = new java.io.StringWriter();
            try (Sandbox sandbox = new Sandbox(withStderr)) {
                sandbox.setErr(err);
                assertThat(sandbox.run(warns, new java.util.HashMap<>(), null, true, "<warns>").toString())
                        .contains("\\d+").contains("true");
            }
            assertThat(err.toString()).as("round %d: the checking and the adopting sandbox print alike", round).isEmpty();
            try (Sandbox sandbox = new Sandbox(CONFIG)) {
                assertThat(sandbox.eval(warns).toString()).as("without stderr, round %d", round).contains("\\d+");
                // the guest's own exec() and eval() go through the same check
                assertThat(sandbox.eval("exec(\"w = '\\\\d' if 1 is 1 else None\")\neval('2 is 2')")).isEqualTo(true);
            }
        }
        assertThat(SharedCheckedCode.contains(key(withStderr, "<warns>", warns))).isTrue();
    }

    /**
     * Regression guard for per-context state in checked code: two fresh interpreters check a source with
     * every rewrite; once each one's guard token and each compilation's random site value are masked, the
     * marshalled code is the same, and it holds no source text.
     */
    @Test
    void checkedCodeDiffersOnlyByTokenAndSiteValue() {
        String rich = """
                # COMMENTMARK
                class K:
                    '''doc'''
                    __match_args__ = ('a',)
                    def __init__(self, a): self.a = a
                def gen(n):
                    yield from range(n)
                f = lambda x: x + 1
                match K(1):
                    case K(a) if a > 0: r = 1
                    case None: r = 2
                    case True: r = 3
                try:
                    raise ExceptionGroup('g', [ValueError(1)])
                except ExceptionGroup as e:
                    r2 = 'group'
                s = f"{r!r:>{5}}" + 'x'.format()
                __name__, K.__dict__, getattr(K, 'a', None), list(gen(3)), f(1), r, r2, s
                """;
        ConfinedInterpreter a = interpreter(CONFIG);
        ConfinedInterpreter b = interpreter(CONFIG);
        String ma = a.runtimeMember("check_to_share").execute(rich, "<rich>", true).asString();
        String mb = b.runtimeMember("check_to_share").execute(rich, "<rich>", true).asString();
        assertThat(ma).doesNotContain("COMMENTMARK").contains(guardToken(a)).doesNotContain(guardToken(b));
        assertThat(ma.replace(guardToken(a), "T").replaceAll("match_[0-9a-f]{16}_", "match_R_"))
                .isEqualTo(mb.replace(guardToken(b), "T").replaceAll("match_[0-9a-f]{16}_", "match_R_"));
    }

    /** The cache's bounds: at most 512 entries, least recently used dropped first, huge sources not kept. */
    @Test
    void theCacheIsBoundedAndDropsTheLeastRecentlyUsed() {
        SharedCheckedCode.Key first = new SharedCheckedCode.Key("{}", "<f>", true, "0");
        SharedCheckedCode.publish(first, "code0", "t");
        for (int i = 1; i < 600; i++) {
            SharedCheckedCode.publish(new SharedCheckedCode.Key("{}", "<f>", true, Integer.toString(i)), "code" + i, "t");
            if (i % 100 == 0) {
                assertThat(SharedCheckedCode.forContext(first, "u")).as("used, so kept").isEqualTo("code0");
            }
        }
        assertThat(SharedCheckedCode.size()).isEqualTo(512);
        assertThat(SharedCheckedCode.contains(first)).isTrue();
        assertThat(SharedCheckedCode.contains(new SharedCheckedCode.Key("{}", "<f>", true, "1"))).isFalse();
        SharedCheckedCode.Key huge = new SharedCheckedCode.Key("{}", "<f>", true, "x".repeat(9 << 20));
        SharedCheckedCode.publish(huge, "code", "t");
        assertThat(SharedCheckedCode.contains(huge)).isFalse();
    }

    @Test
    void onlyTheFirstEntryPublishes() {
        ConfinedInterpreter it = interpreter(CONFIG);
        run(it, "n + 1", "<first>", 1);
        run(it, "n + 2", "<second>", 1);
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<first>", "n + 1"))).isTrue();
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<second>", "n + 2"))).isFalse();
        assertThat(SharedCheckedCode.size()).isEqualTo(1);
    }

    @Test
    void theWarmUpAndCompileOnlyChecksLeaveTheInterpreterPublishing() {
        ConfinedInterpreter it = interpreter(CONFIG);
        it.warmUp();
        it.check("n * 3", "<checked>", true);
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<checked>", "n * 3"))).isTrue();
        assertThat(run(it, "n * 4", "<run>", 2).asInt()).isEqualTo(8);
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<run>", "n * 4"))).isTrue();
        assertThat(SharedCheckedCode.size()).as("the warm-up's own sources are not shared").isEqualTo(2);
    }

    /**
     * The Python layer of one context falls (simulated: the test replaces its checker with one that passes
     * everything, after guest code ran there). Nothing it then checks reaches another interpreter.
     */
    @Test
    void aSubvertedCheckerInOneInterpreterReachesNoOther() {
        String escape = "().__class__.__base__.__subclasses__()";
        ConfinedInterpreter fallen = interpreter(CONFIG);
        run(fallen, "n", "<before>", 1);
        python(fallen, """
                import sys
                _runtime = sys.modules['pysandbox.runtime']
                def _passes(source, filename, want_value):
                    return (None, compile(source, filename, 'eval'), False, None, None)
                _runtime._check = _passes
                """);
        assertThat(run(fallen, escape, "<escape>", 1).getArraySize()).as("the simulated fall").isGreaterThan(10);
        assertThat(SharedCheckedCode.contains(key(CONFIG, "<escape>", escape))).isFalse();

        ConfinedInterpreter other = interpreter(CONFIG);
        assertThatThrownBy(() -> run(other, escape, "<escape>", 1)).isInstanceOfSatisfying(PolyglotException.class,
                e -> assertThat(e.getMessage()).contains("'__subclasses__'").contains("blocked by the sandbox"));
    }

    @Test
    void codeCheckedUnderOnePolicyNeverServesAnother() {
        String future = "from __future__ import annotations\nn";
        SandboxConfig withFuture = SandboxConfig.builder().enable(Feature.STDOUT, Feature.FUTURE).build();
        assertThat(run(interpreter(withFuture), future, "<future>", 7).asInt()).isEqualTo(7);
        assertThat(SharedCheckedCode.contains(key(withFuture, "<future>", future))).isTrue();
        assertThatThrownBy(() -> run(interpreter(CONFIG), future, "<future>", 7))
                .isInstanceOfSatisfying(PolyglotException.class, e -> assertThat(e.getMessage()).contains("__future__"));
    }

    @Test
    void refusedSourceIsNotPublishedAndStaysRefused() {
        String refused = "n.__globals__";
        for (int i = 0; i < 2; i++) {
            assertThatThrownBy(() -> run(interpreter(CONFIG), refused, "<refused>", 1))
                    .isInstanceOfSatisfying(PolyglotException.class, e -> assertThat(e.getMessage()).contains("__globals__"));
        }
        assertThat(SharedCheckedCode.size()).isZero();
    }

    @Test
    void theSystemPropertyTurnsSharingOff() {
        System.setProperty(SharedCheckedCode.PROPERTY, "false");
        run(interpreter(CONFIG), "n + 5", "<off>", 1);
        assertThat(SharedCheckedCode.size()).isZero();
    }

    /**
     * The javax.script engine enters a new interpreter first with the host's script (it notes which interpreter
     * it has without running anything there), so that script is shared.
     */
    @Test
    void anEnginesFirstScriptIsShared() throws ScriptException {
        for (int round = 0; round < 2; round++) {
            javax.script.ScriptEngine engine = new javax.script.ScriptEngineManager().getEngineByName("pysandbox");
            engine.put("n", 20);
            assertThat(engine.eval("n + 22")).isEqualTo(42);
            assertThat(SharedCheckedCode.contains(key(SandboxConfig.defaults(), PySandboxEngine.DEFAULT_FILE_NAME, "n + 22")))
                    .as("round %d", round).isTrue();
        }
    }

    /** Through the public API, the adopting sandbox reports what the making one did: values, errors, lines. */
    @Test
    void sandboxesThatShareCodeAnswerAlike() throws ScriptException {
        String failing = "x = 1\ny = [x]\ny[5]\n";
        String recursing = "def f(k):\n    return f(k + 1)\nf(0)\n";
        String script = "def area(w, h):\n    return w * h\narea(6, 7)\n";
        for (int round = 0; round < 2; round++) {
            int r = round;
            try (Sandbox sandbox = new Sandbox(CONFIG)) {
                assertThat(sandbox.eval(script)).as("round %d", r).isEqualTo(42);
            }
            expect(failing, e -> assertThat(e.getMessage()).as("round %d", r).contains("IndexError"), 3);
            expect(recursing, e -> assertThat(e).as("round %d", r).isInstanceOf(RecursionLimitException.class), 2);
            expect("x = 1\ny = x.__globals__\n", e -> assertThat(e).as("round %d", r).isInstanceOf(SandboxViolationException.class), 2);
        }
        assertThat(SharedCheckedCode.size()).as("three sources published, the refused one not").isEqualTo(3);
    }

    private static void expect(String source, Consumer<ScriptException> check, int line) {
        try (Sandbox sandbox = new Sandbox(CONFIG)) {
            assertThatThrownBy(() -> sandbox.run(source, Map.of(), null, true, "<api>"))
                    .isInstanceOfSatisfying(ScriptException.class, e -> {
                        check.accept(e);
                        assertThat(e.getLineNumber()).isEqualTo(line);
                        assertThat(e.getFileName()).isEqualTo("<api>");
                    });
        }
    }
}
