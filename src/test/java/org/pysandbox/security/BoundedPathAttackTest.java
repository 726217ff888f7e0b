package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;

/**
 * Issue 10, class 8: the bounded fast path runs code whose syntax is bounded on the caller's thread. Its
 * time is bounded only if no value it touches can run guest code. Written from reading
 * InProcessExecutor's bounded path and the checker's is_bounded/free_names: a script object (whose
 * {@code __gt__}, {@code __eq__}, {@code __hash__}, ... runs a long computation) reaches bounded code not as
 * a name of its own but inside a host container the host built from an earlier result: a Map, a List, an
 * array, an Optional, or a value a host function returns. Each call must be answered within its timeout
 * plus the grace, and the tenant must answer afterwards.
 */
class BoundedPathAttackTest {
    static final Duration TIMEOUT = Duration.ofSeconds(3);
    static final Duration GRACE = Duration.ofSeconds(6);
    static Sandbox sandbox;

    /** Slow in every protocol method, but interruptible between the pows, so a guest thread stops it. */
    static final String SLOW_CLASS = """
            def slow():
                for _ in range(60):
                    pow(3, 10 ** 7)
                return 1
            class Slow:
                def __gt__(self, other):
                    return slow() > 0
                def __eq__(self, other):
                    return slow() > 0
                def __hash__(self):
                    return slow()
                def __bool__(self):
                    return slow() > 0
                def __getattr__(self, name):
                    return slow()
                def __getitem__(self, key):
                    return slow()
                def __add__(self, other):
                    return slow()
                def __contains__(self, item):
                    return slow() > 0
            g = Slow()
            """;

    @BeforeAll
    static void setUp() throws ScriptException {
        sandbox = new Sandbox(SandboxConfig.builder().timeout(TIMEOUT).build());
        sandbox.eval("1");
    }

    @AfterAll
    static void tearDown() {
        sandbox.close();
    }

    static Stream<Arguments> attacks() {
        return Stream.of(
                Arguments.of("in a map", "x = m['g'] > 1"),
                Arguments.of("in a list", "x = l[0] > 1"),
                Arguments.of("in an array", "x = a[0] == 1"),
                Arguments.of("in a nested map", "x = n['inner']['g'] and 1"),
                Arguments.of("in an optional", "x = o > 1"),
                Arguments.of("a map item's attribute", "x = m['g'].anything"),
                Arguments.of("a list item subscripted", "x = l[0][0]"),
                Arguments.of("a list item in a set display", "x = {l[0]}"),
                Arguments.of("a list item added", "x = l[0] + 1"),
                Arguments.of("membership in a list item", "x = 1 in l[0]"),
                Arguments.of("compared with a list holding it", "x = l == [1]"),
                Arguments.of("a map used as a dict key", "x = {m['g']: 1}"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("attacks")
    void scriptObjectsInHostContainersAnswerInTime(String name, String code) throws Exception {
        Map<String, Object> first = new HashMap<>();
        retryingTimeouts(() -> sandbox.execute(SLOW_CLASS, first));
        Object g = first.get("g");
        Map<String, Object> globals = new HashMap<>();
        globals.put("m", Map.of("g", g));
        List<Object> list = new ArrayList<>();
        list.add(g);
        globals.put("l", list);
        globals.put("a", new Object[] {g});
        globals.put("n", Map.of("inner", Map.of("g", g)));
        globals.put("o", Optional.of(g));
        Function<Object, Object> identity = x -> x;
        globals.put("f", identity);
        long started = System.nanoTime();
        try {
            sandbox.execute(code, globals);
        } catch (ScriptException stopped) {
            // a timeout (or a refusal) is the expected answer; what matters is when it came
        } catch (RuntimeException e) {
            fail("only ScriptExceptions may leave the sandbox, got " + e);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        assertThat(took).as("the caller was answered within its timeout and the grace").isLessThanOrEqualTo(TIMEOUT.plus(GRACE));
        Object[] answer = new Object[1];
        retryingTimeouts(() -> answer[0] = sandbox.eval("1 + 1"));
        assertThat(answer[0]).isEqualTo(2);
    }

    interface Call {
        void run() throws ScriptException;
    }

    /**
     * A call that is not the attack (defining the class, the follow-up probe) may time out under 1 s while
     * a replaced interpreter warms up on a loaded machine; that says nothing about the bounded path.
     */
    static void retryingTimeouts(Call call) throws ScriptException {
        for (int attempt = 1; ; attempt++) {
            try {
                call.run();
                return;
            } catch (org.pysandbox.error.ScriptTimeoutException slow) {
                if (attempt == 5) {
                    throw slow;
                }
            }
        }
    }
}
