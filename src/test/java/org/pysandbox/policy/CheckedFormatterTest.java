package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;

/**
 * The checked formatter (guards.py) is string.Formatter's protocol written over {@code _string}'s parser, so
 * that making it imports nothing. Here it must answer as GraalPy's own string.Formatter does, text and
 * errors, for templates that walk, number, convert and nest, compared in trusted code of one context.
 */
class CheckedFormatterTest {
    private static final String COMPARE = """
            import string
            from pysandbox import guards
            class Point:
                x = 3
                y = [10, 20]
                def __format__(self, spec):
                    return '<%s>' % spec
            args = (3.5, 'ab', [1, 2], {'b': 4, 'c': 'x'}, Point(), 7)
            kwargs = {'a': 'word', 'p': Point(), 'n': 4, 'd': {'k': 'v'}}
            templates = [
                '', 'plain', '{{}}', '{}', '{}{}{}', '{0}{1}{0}', '{a}', '{a!r}', '{1!s:>6}', '{1!a}', '{0:.2f}',
                '{0.real}', '{0.imag:+.1f}', '{2[1]}', '{3[b]}', '{3[c]!r}', '{4.x}', '{4.y[1]}', '{p.y[0]:>{n}}',
                '{d[k]}', '{:{}}', '{0:{5}}', '{:>{}.{}}', '{0:{1}{5}}', '{4:abc}', '{p:{a}}', '{4:{0.real}}',
                '{0}{}', '{}{0}', '{', '}', '{0!x}', '{:{:{}}}', '{9}', '{zz}', '{2[9]}', '{0.nope}', '{0[}',
                '{0.}', '{!r}', 'x{}y{}z', '{0:{1:{2}}}', '{a:{{}}}', '{3[b]:{5}d}', '{:d}',
            ]
            def outcome(run):
                try:
                    return run()
                except Exception as e:
                    return (type(e).__name__, str(e))
            ours = guards.checked_formatter()()
            theirs = string.Formatter()
            mismatches = []
            for t in templates:
                a = outcome(lambda: ours.vformat(t, args, kwargs))
                b = outcome(lambda: theirs.vformat(t, args, kwargs))
                c = outcome(lambda: ours.format(t, *args, **kwargs))
                if a != b or c != b:
                    mismatches.append('%r: checked %r / %r, string.Formatter %r' % (t, a, c, b))
            '\\n'.join(mismatches) + '|%d' % len(templates)
            """;

    @Test
    void answersAsGraalPysOwnStringFormatter() {
        try (ConfinedInterpreter interpreter = ConfinedInterpreter.create(SandboxConfig.defaults())) {
            String[] answer = interpreter.context().eval("python", COMPARE).asString().split("\\|");
            assertThat(answer[0]).as("templates whose answer differs").isEmpty();
            assertThat(Integer.parseInt(answer[1])).isGreaterThan(40);
        }
    }

    /** The guest's walking str.format and string.Formatter go through it and give the interpreter's answers. */
    @Test
    void guestFormatsThatWalkGetTheSameAnswers() throws Exception {
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().allowModule("string").build())) {
            assertThat(sandbox.eval("import string\n"
                    + "[ '{0.real:>{1}}|{2[k]!r}'.format(3, 4, {'k': 'v'}), '{x.imag}'.format_map({'x': 2j}),"
                    + " string.Formatter().format('{0[1]}-{a}', [5, 6], a='b') ]"))
                    .isEqualTo(List.of("   3|'v'", "2.0", "6-b"));
            assertThat(sandbox.eval("'{a[b]}'.format(a=d)", Map.of("d", Map.of("b", 1)))).isEqualTo("1");
        }
    }
}
