package org.pysandbox.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.time.Duration;
import java.util.AbstractList;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * Bounded code (a rule without loops, calls or size-multiplying operators) over plain data runs on the
 * caller's thread from its second run on; everything else keeps running on the guest thread, so the caller
 * can still give up on a long builtin: other code, large inputs, and script objects handed back in.
 */
class CallerThreadTest {
    private static final SandboxConfig ONE_SECOND = SandboxConfig.builder().timeout(Duration.ofSeconds(1)).build();

    @BeforeAll
    static void warmUp() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofMinutes(2)).build())) {
            sandbox.eval("1 + 1");
        }
    }

    /** A host map that remembers the threads its entries were read on. */
    static final class Watched extends HashMap<String, Object> {
        final List<String> readers = new ArrayList<>();

        @Override
        public synchronized Object get(Object key) {
            readers.add(Thread.currentThread().getName());
            return super.get(key);
        }
    }

    /** The call fails with the timeout, and the caller has its answer within the 1 s limit plus the grace. */
    private static void assertTimeoutAnsweredInTime(String what, ThrowingCallable call) {
        long start = System.nanoTime();
        assertThatThrownBy(call).as(what).isInstanceOf(ScriptTimeoutException.class);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(millis).as(what).isLessThan(ONE_SECOND.timeout().toMillis() + ResourceBombs.GRACE.toMillis());
    }

    /**
     * Set-up, not the attack: the first class a fresh interpreter checks and defines can take more than the
     * 1 s limit on a loaded 2-core machine (measured 1.04 s), so a timeout of the definition is retried once
     * the interpreter is warm. The timed calls the test is about are never retried.
     */
    private static void defineUnderOneSecond(Sandbox sandbox, String source, Map<String, Object> ns) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                sandbox.execute(source, ns);
                return;
            } catch (ScriptTimeoutException warming) {
                if (attempt == 3) {
                    throw warming;
                }
            }
        }
    }

    /** Set-up, as {@link #defineUnderOneSecond}: a quick run, retried when a cold interpreter took the second. */
    private static Object evalWarm(Sandbox sandbox, String source, Map<String, Object> ns) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return sandbox.eval(source, ns);
            } catch (ScriptTimeoutException warming) {
                if (attempt == 3) {
                    throw warming;
                }
            }
        }
    }

    private static Map<String, Object> bindings(Watched order) {
        Map<String, Object> b = new HashMap<>();
        b.put("order", order);
        b.put("allowed", List.of("NL", "DE"));
        return b;
    }

    @Test
    void boundedRuleMovesToTheCallersThreadAfterItsFirstRun() throws Exception {
        Watched order = new Watched();
        order.put("amount", 120);
        order.put("country", "NL");
        String rule = "order['amount'] > 100 and order['country'] in allowed";
        String caller = Thread.currentThread().getName();
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval(rule, bindings(order))).isEqualTo(true);
            }
        }
        // host code (this map's get) runs on the caller's thread whichever thread runs the rule (issue 11); from
        // the second run the rule reads the copy its plain-data check made (on this thread, through entrySet)
        assertThat(order.readers).hasSize(2).containsOnly(caller);
    }

    /**
     * Attack (found by reading the fast path): the plain-data check iterated a collection while the guest
     * read it through get(), so a list whose iterator says 1 while get(0) returns a script object ran that
     * object's __eq__ on the caller's thread, outside the run's flushing (its output reached the next
     * call's writer). Now the guest reads the copy that was checked.
     */
    @Test
    void aCollectionWhoseGetDisagreesWithItsIteratorCannotSlipAScriptObjectIn() throws Exception {
        SandboxConfig printing = SandboxConfig.builder().enable("stdout").timeout(Duration.ofSeconds(30)).build();
        try (Sandbox sandbox = new Sandbox(printing)) {
            Object evil = sandbox.eval("class E:\n    def __eq__(self, other):\n        print('LEAK', end='')\n"
                    + "        return True\nE()");
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval("q[0] == 1", new HashMap<>(Map.of("q", List.of(1))))).isEqualTo(true);
            }
            List<Object> lying = new java.util.AbstractList<>() {
                @Override
                public Object get(int index) {
                    return evil;
                }

                @Override
                public int size() {
                    return 1;
                }

                @Override
                public java.util.Iterator<Object> iterator() {
                    return List.<Object>of(1).iterator();
                }
            };
            // the liar alone, and inside an immutable List.of: whose items are checked without a copy when
            // they are plain as they are, which the liar is not (its copy is another list)
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval("q[0][0] == 1", new HashMap<>(Map.of("q", List.of(List.of(1)))))).isEqualTo(true);
            }
            for (String rule : List.of("q[0] == 1", "q[0][0] == 1")) {
                Object q = rule.equals("q[0] == 1") ? lying : List.of(lying);
                java.io.StringWriter during = new java.io.StringWriter();
                sandbox.setOut(during);
                Object answer = sandbox.eval(rule, new HashMap<>(Map.of("q", q)));
                java.io.StringWriter next = new java.io.StringWriter();
                sandbox.setOut(next);
                sandbox.execute("print('next', end='')"); // a full run flushes whatever the guest's streams hold
                assertThat(answer).as(rule).isEqualTo(true);
                assertThat(during.toString()).as(rule).isEmpty();
                assertThat(next.toString()).as(rule).isEqualTo("next");
            }
        }
    }

    @Test
    void codeWithCallsStaysOnTheGuestThread() throws Exception {
        Watched order = new Watched();
        order.put("amount", 120);
        String rule = "len(allowed) > 0 and order['amount'] > 100";
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval(rule, bindings(order))).isEqualTo(true);
            }
        }
        // the guest code runs on the guest thread (the timeout tests below rely on that); host reads come to the caller
        assertThat(order.readers).hasSize(3).containsOnly(Thread.currentThread().getName());
    }

    @Test
    void aSourceThatRanQuicklyIsStillAbandonedWhenItsBuiltinRunsLong() throws Exception {
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            Map<String, Object> small = new HashMap<>(Map.of("n", 3));
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval("3 ** n", small)).isEqualTo(27);
            }
            // the same source with a large input: one uninterruptible builtin
            assertTimeoutAnsweredInTime("3 ** n", () -> sandbox.eval("3 ** n", new HashMap<>(Map.of("n", 30_000_000))));
            assertThat(sandbox.eval("40 + 2")).isEqualTo(42);
        }
    }

    /**
     * Review attack: a String counted as one item whatever its length, so {@code a in b} over a 30,001-character
     * needle and a 1,000,000-character haystack went to the caller's thread once the rule was known bounded,
     * and GraalPy's quadratic, uninterruptible substring search kept the caller 42 s past its 1-s timeout.
     * The same for an integer division of two 2.8-million-bit integers (1.2 s). Long strings and big integers
     * now count by their size, and such calls stay on the guest thread, where the caller is answered in time.
     */
    @Test
    void aRuleOverLongStringsOrHugeIntegersRunsOnTheGuestThreadUnderItsTimeout() throws Exception {
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval("a in b", new HashMap<>(Map.of("a", "x", "b", "yxy")))).isEqualTo(true);
                assertThat(sandbox.eval("a // b", new HashMap<>(Map.of("a", 7, "b", 2)))).isEqualTo(3);
            }
            Map<String, Object> strings = Map.of("a", "a".repeat(30_000) + "b", "b", "a".repeat(1_000_000));
            assertTimeoutAnsweredInTime("a in b", () -> sandbox.eval("a in b", new HashMap<>(strings)));
            // the search still holds the abandoned interpreter: the next call waits for a new one (1.2-1.8 s
            // interpreter-only on 2 busy cores), which is not what the division's timing below is about
            assertThat(sandbox.eval("a // b", new HashMap<>(Map.of("a", 7, "b", 2)))).isEqualTo(3);
            // the division may finish or be stopped: what matters is that the caller is answered in time
            java.math.BigInteger ones = java.math.BigInteger.ONE.shiftLeft(12_000_000).subtract(java.math.BigInteger.ONE);
            java.math.BigInteger divisor = java.math.BigInteger.ONE.shiftLeft(5_000_000).add(java.math.BigInteger.TEN);
            Map<String, Object> numbers = Map.of("a", ones, "b", divisor);
            long start = System.nanoTime();
            catchThrowable(() -> sandbox.eval("a // b == 0", new HashMap<>(numbers)));
            assertThat((System.nanoTime() - start) / 1_000_000).as("a // b")
                    .isLessThan(ONE_SECOND.timeout().toMillis() + ResourceBombs.GRACE.toMillis());
            // within the budget, strings still take the caller's thread and answer as before
            assertThat(sandbox.eval("a in b", new HashMap<>(Map.of("a", "b".repeat(100), "b", "a".repeat(2000))))).isEqualTo(false);
        }
    }

    /**
     * Review attack (2026-12-05): code the checker called bounded could still build big values from small
     * ones. Twenty lines of {@code a1 = a0 + a0} over a one-character input make a million characters, and a
     * substring search of a 32,769-character needle in them held the caller's thread 18 s past a 2-s timeout
     * once the source had run once. Without rebinding, a chain of {@code s + s + ...} grows with the code's
     * length: a needle and a haystack of 30 and 200 host strings (750 items of the 1,000 allowed) do the same,
     * and so did that haystack as the item of a display, {@code (t + t + ...,)[0]} (a second review). All
     * now stay on the guest thread, where the caller is answered in time.
     */
    @Test
    void codeThatBuildsBigValuesFromSmallOnesRunsOnTheGuestThreadUnderItsTimeout() throws Exception {
        StringBuilder doubling = new StringBuilder("a0 = s\n");
        // sized so that an abandoned search burns ~5 s of a core, not the 18 s of the review's: the tests after
        // this one share the two cores with it
        for (int i = 1; i <= 19; i++) {
            doubling.append("a").append(i).append(" = a").append(i - 1).append(" + a").append(i - 1).append('\n');
        }
        doubling.append("n = a14 + 'b'\nn in a19\n");
        String haystack = "(" + String.join(" + ", java.util.Collections.nCopies(100, "t")) + ")";
        String chained = "(" + String.join(" + ", java.util.Collections.nCopies(16, "s")) + " + 'b') in " + haystack + "\n";
        // the haystack as the item of a display: (t + t + ...,)[0] is the string the code built (review, 2026-12-05)
        String indexed = chained.replace(" in " + haystack, " in (" + haystack + ",)[0]");
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            for (String source : List.of(doubling.toString(), chained, indexed)) {
                boolean doublingSource = source.startsWith("a0 = s");
                for (int i = 0; i < 3; i++) {
                    assertThat(evalWarm(sandbox, source, new HashMap<>(Map.of("s", "", "t", "")))).isEqualTo(false);
                }
                String text = "a".repeat(doublingSource ? 1 : 1_000);
                assertTimeoutAnsweredInTime(source.substring(0, 20),
                        () -> sandbox.eval(source, new HashMap<>(Map.of("s", text, "t", "a".repeat(5_000)))));
            }
        }
    }

    @Test
    void aRuleOverACollectionTooLargeToLookAtRunsOnTheGuestThreadUnderItsTimeout() throws Exception {
        List<Integer> huge = new AbstractList<>() {
            @Override
            public Integer get(int index) {
                return index;
            }

            @Override
            public int size() {
                return Integer.MAX_VALUE;
            }
        };
        try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
            for (int i = 0; i < 3; i++) {
                assertThat(sandbox.eval("-1 in items", new HashMap<>(Map.of("items", List.of(1, 2))))).isEqualTo(false);
            }
            assertTimeoutAnsweredInTime("-1 in items", () -> sandbox.eval("-1 in items", new HashMap<>(Map.of("items", huge))));
            assertThat(sandbox.eval("-1 in items", new HashMap<>(Map.of("items", List.of(-1))))).isEqualTo(true);
        }
    }

    /**
     * An attack on the caller's thread: a bounded rule compares a script object handed back in, whose
     * comparison method turns into one long builtin after a few quick answers. The caller must still be
     * answered at its timeout, so the rule must not run on the caller's thread.
     */
    @Test
    void scriptObjectsInTheBindingsKeepABoundedRuleOnTheGuestThread() throws Exception {
        String trap = "class Trap:\n"
                + "    calls = 0\n"
                + "    def __gt__(self, other):\n"
                + "        Trap.calls += 1\n"
                + "        return Trap.calls < 4 or 3 ** (3 * 10 ** 7) > 0\n"
                + "    def __eq__(self, other):\n"
                + "        return self > other\n"
                + "    def __hash__(self):\n"
                + "        return 1\n"
                + "trap = Trap()\n";
        for (boolean nested : new boolean[] {false, true}) {
            try (Sandbox sandbox = new Sandbox(ONE_SECOND)) {
                Map<String, Object> ns = new HashMap<>();
                defineUnderOneSecond(sandbox, trap, ns);
                Object handle = ns.get("trap");
                String rule = nested ? "1 in items" : "trap > 1";
                Map<String, Object> bindings = nested ? Map.of("items", List.of(handle)) : Map.of("trap", handle);
                for (int i = 0; i < 3; i++) {
                    assertThat(sandbox.eval(rule, new HashMap<>(bindings))).isEqualTo(true);
                }
                assertTimeoutAnsweredInTime(rule, () -> sandbox.eval(rule, new HashMap<>(bindings)));
            }
        }
    }
}
