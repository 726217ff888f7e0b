package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.graalvm.polyglot.Value;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.pysandbox.config.SandboxConfig;

/**
 * The checker's verdict that code runs in bounded time, which lets the host run it on the calling
 * thread: rules are bounded; anything with a loop, a call, a definition or a size-multiplying operator
 * is not (the guest thread is what lets a caller give up on it).
 */
class BoundedCodeTest {
    private static ConfinedInterpreter interpreter;

    @BeforeAll
    static void create() {
        interpreter = ConfinedInterpreter.create(SandboxConfig.of("stdout"));
    }

    @AfterAll
    static void close() {
        interpreter.close();
    }

    /** Checks and compiles without running (the verdict is the third item of the cached compilation). */
    private static boolean bounded(String code) {
        Value compiled = interpreter.runtimeMember("compile_guest").execute(code, "<bounded test>", true);
        return compiled.getArrayElement(2).asBoolean();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a > 2 and s in ('text', 'other')",
        "a + b - 1 >= b // 2 and not a is None",
        "x = a + b\ny = a if b > 3 else -a",
        "s in t and s[0] in ('a', 'b') and a not in [b, 1] and s in d['k'] and 'x' in s and s in 'abc'",
        "d is None or d['k'] == 1",
        "s[1:3] == 'ex' and (a | b) & 7 != 0 and a ^ b > a >> 1",
        "[a, b] + [1] == [3, 4, 1] and {a: b} != {} and {a, b}",
        "a / b < 1 and -a < ~b",
        "s.upper is not None",
        "pass",
    })
    void rulesAreBounded(String code) {
        assertThat(bounded(code)).as(code).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "a ** b",                        // size grows with the exponent: one uninterruptible builtin
        "s * a",                         // 'x' * n
        "a << b",                        // 1 << n
        "'%*d' % (a, 1)",                // width formatting
        "f'{a:>{b}}'",                   // the same through an f-string
        "len(s)",                        // any call
        "[x for x in xs]",               // comprehensions loop
        "while a: pass",
        "for x in xs: pass",
        "lambda: 1",
        "def f(): pass",
        "class C: pass",
        "import json",
        "x = 1\nx += a",                 // augmented assignment (x *= n multiplies)
        "(y := a)",
        "xs[0] = 1",                     // stores that are not plain names run through guards
        "try:\n    a\nexcept Exception:\n    pass",
        "with s: pass",
        "assert a",
        "del a",
        "[*xs]",
        "s.format(a)",
        "__builtins__.x > 1",            // the builtins view: not data the host bound
        "__name__ == 'x'",               // no dunder name is bounded
        // a name the code bound, read again: 'a1 = a0 + a0', 'a2 = a1 + a1' doubles with each line (review,
        // 2026-12-05: twenty lines over one character held the caller's thread 18 s past its timeout)
        "x = a + b\ny = x if x > 3 else -x\ny",
        "a1 = s + s\na2 = a1 + a1",
        "x = s\nx",
        // a substring search over a string the code built: quadratic in the code's length
        "s in t + t",
        "s in (t + t)[1:]",
        "s not in t.upper",
        "s in (t + t,)[0]",              // an item of a display is any string the code built (review, 2026-12-05)
        "s in [t + t][0]",
        "s in {0: t + t}[0]",
    })
    void codeThatCanRunLongIsNotBounded(String code) {
        assertThat(bounded(code)).as(code).isFalse();
    }

    @org.junit.jupiter.api.Test
    void aSearchedConstantIsNoLongerThanAHostString() {
        // longer, the source's own size would bound the search: 's + s + ... in "<a megabyte>"'
        assertThat(bounded("s in '" + "a".repeat(8000) + "'")).isTrue();
        assertThat(bounded("s in '" + "a".repeat(8001) + "'")).isFalse();
        assertThat(bounded("s in '" + "a".repeat(9000) + "'[1:]")).isFalse();
        assertThat(bounded("s in b'" + "a".repeat(9000) + "'")).isFalse();
    }

    /** A name the host did not bind is read from the builtins, which are not the host's plain data. */
    @org.junit.jupiter.api.Test
    void boundedOnlyOverNamesTheHostBound() {
        Object[] none = new Object[0];
        assertThat(interpreter.evaluate("len is not None", "<bounded test>", true, none, none, false, null, null)
                .getArrayElement(5).asBoolean()).isFalse();
        assertThat(interpreter.evaluate("x > 1", "<bounded test>", true, new Object[] {"x"}, new Object[] {2}, false,
                null, null).getArrayElement(5).asBoolean()).isTrue();
    }

    @org.junit.jupiter.api.Test
    void aRuleExpressionIsNotScannedForChangesButStatementsAre() {
        Object[] names = {"x"};
        Object[] values = {2};
        // one bounded expression can bind or delete no name: its changes are empty without a scan
        Value rule = interpreter.evaluate("x > 1", "<bounded test>", true, names, values, true, null, null);
        assertThat(rule.getArrayElement(3).getArrayElement(0).getArraySize()).isZero();
        assertThat(rule.getArrayElement(3).getArrayElement(1).getArraySize()).isZero();
        // a bounded assignment binds names, which come back
        Value assigned = interpreter.evaluate("y = x + 1", "<bounded test>", true, names, values, true, null, null);
        assertThat(assigned.getArrayElement(5).asBoolean()).isTrue();
        Value changed = assigned.getArrayElement(3).getArrayElement(0);
        assertThat(changed.getArraySize()).isEqualTo(1);
        assertThat(changed.getArrayElement(0).getArrayElement(0).asString()).isEqualTo("y");
        // and a separate locals mapping gets the same treatment
        Value local = interpreter.evaluate("z = x", "<bounded test>", false, new Object[0], new Object[0], true, names, values);
        assertThat(local.getArrayElement(4).getArrayElement(0).getArrayElement(0).getArrayElement(0).asString()).isEqualTo("z");
    }

    // -- the rule path (runtime.evaluate_rule): a function of the names the rule reads --------------------

    private static Value rule(String code, Object[] names, Object[] values) {
        return interpreter.evaluate(code, "<rule test>", true, names, values, true, null, null);
    }

    @org.junit.jupiter.api.Test
    void aRuleIsAFunctionOfTheNamesItReadsWithNothingElseInItsGlobals() {
        Object[] names = {"amount", "limit", "secret"};
        Value done = rule("amount > limit", names, new Object[] {120, 100, "s3cret"});
        assertThat(done.getArrayElement(2).getArrayElement(1).asBoolean()).isTrue();
        assertThat(done.getArrayElement(3).getArrayElement(0).getArraySize()).isZero();
        assertThat(done.getArrayElement(5).asBoolean()).isTrue();
        Value function = done.getArrayElement(6).getArrayElement(0);
        assertThat(done.getArrayElement(6).getArrayElement(1).toString()).isEqualTo("('amount', 'limit')");
        assertThat(function.getMember("__globals__").invokeMember("keys").toString()).isEqualTo("dict_keys(['__builtins__'])");
        assertThat(function.getMember("__code__").getMember("co_name").asString()).isEqualTo("<module>");
        for (int i = 0; i < 3; i++) {
            assertThat(interpreter.evaluateRule(function, new Object[] {99 + i, 100}).asBoolean()).isEqualTo(i == 2);
        }
        assertThat(function.getMember("__globals__").invokeMember("keys").toString()).isEqualTo("dict_keys(['__builtins__'])");
    }

    /** Only an exact bool comes back as itself; every other value, 1 and 0 included, is encoded by export. */
    @org.junit.jupiter.api.Test
    void aRuleReturnsABoolAsItselfAndEncodesEverythingElse() {
        Object[] names = {"a", "b"};
        Value sum = rule("a + b", names, new Object[] {1, 0}).getArrayElement(6).getArrayElement(0);
        Value pair = rule("[a, b]", names, new Object[] {1, 0}).getArrayElement(6).getArrayElement(0);
        Value same = rule("a == b", names, new Object[] {1, 0}).getArrayElement(6).getArrayElement(0);
        assertThat(interpreter.evaluateRule(sum, new Object[] {1, 0}).toString()).isEqualTo("('int', 1)");
        assertThat(interpreter.evaluateRule(sum, new Object[] {"x", "y"}).toString()).isEqualTo("('str', 'xy')");
        assertThat(interpreter.evaluateRule(pair, new Object[] {1, 0}).toString()).isEqualTo("('list', [('int', 1), ('int', 0)])");
        Value answer = interpreter.evaluateRule(same, new Object[] {2, 2});
        assertThat(answer.isBoolean()).isTrue();
        assertThat(answer.asBoolean()).isTrue();
    }

    /** Not a rule: statements, a name the host did not bind, separate locals; each takes the full path. */
    @org.junit.jupiter.api.Test
    void onlyASingleExpressionOverNamesTheHostBoundIsARule() {
        Object[] names = {"x"};
        Object[] values = {2};
        assertThat(rule("y = x + 1\ny", names, values).getArrayElement(6).isNull()).isTrue();
        assertThat(rule("x > 1 and len is not None", names, values).getArrayElement(6).isNull()).isTrue();
        assertThat(interpreter.evaluate("x > 1", "<rule test>", true, new Object[0], new Object[0], true, names, values)
                .getArrayElement(6).isNull()).isTrue();
        assertThatThrownBy(() -> rule("secret == x", names, values)).hasMessageContaining("NameError");
    }

    /**
     * Two host threads evaluating the same rule in one context, each with its own values, never see each
     * other's: the function's frame is each call's own.
     */
    @org.junit.jupiter.api.Test
    void twoThreadsInOneContextNeverShareARulesValues() throws Exception {
        Object[] names = {"x", "expected"};
        Value function = rule("x == expected", names, new Object[] {1, 1}).getArrayElement(6).getArrayElement(0);
        java.util.concurrent.atomic.AtomicInteger wrong = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicInteger done = new java.util.concurrent.atomic.AtomicInteger();
        Runnable worker = () -> {
            for (int i = 0; i < 3000; i++) {
                String mine = Thread.currentThread().getName() + i;
                boolean answer = i % 2 == 0
                        ? rule("x == expected", names, new Object[] {mine, mine}).getArrayElement(2).getArrayElement(1).asBoolean()
                        : interpreter.evaluateRule(function, new Object[] {mine, mine}).asBoolean();
                if (!answer) {
                    wrong.incrementAndGet();
                }
                done.incrementAndGet();
            }
        };
        Thread a = new Thread(worker, "a");
        Thread b = new Thread(worker, "b");
        a.start();
        b.start();
        a.join();
        b.join();
        assertThat(done.get()).isEqualTo(6000);
        assertThat(wrong.get()).isZero();
    }
}
