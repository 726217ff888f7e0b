package org.pysandbox.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.pysandbox.Sandbox;
import org.pysandbox.config.Feature;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.security.AttackTest.Account;

/**
 * White-box attacks: every payload of {@code whitebox-attacks.txt} was written from reading the policy
 * (the checker's rewrite, the runtime's guards, ownership, recursion counting, the bounded fast path)
 * and the Java boundary, as an attacker holding our source would. The file's format is described at its
 * top; in short, a payload may run in several steps in the same tenant (to show that what one run
 * plants does not reach the next), under named configurations, with extra allowed modules.
 *
 * <p>Each step asserts concrete effects did not happen: {@code result == 'ESCAPED'}, the secret in the
 * result, output or error, the new file on disk, a host object changed, a recursion deeper than the
 * limit ({@code depth_reached}), the caller held past its timeout. After the last step the tenant must
 * still answer ordinary code and still enforce the guards and the import and file denials. An allow-list
 * that the configuration refuses to build (a {@link IllegalArgumentException}, which
 * {@code SandboxConfigurationException} is) is a successful defence of that payload.
 */
class WhiteBoxAttackTest {
    private static final Pattern HEADER = Pattern.compile("^## (.+)$", Pattern.MULTILINE);
    private static final Pattern DIRECTIVE = Pattern.compile("^#@ (\\w+)(?::\\s*(.*))?$", Pattern.MULTILINE);
    /** Frames beyond the recursion limit a payload may measure: the module frame and the guard's own. */
    static final int DEPTH_SLACK = 5;
    /** How long past its timeout a caller may wait: the interrupt grace and a slow, shared machine. */
    static final Duration ANSWER_GRACE = Duration.ofSeconds(6);
    static final Duration SHORT_TIMEOUT = Duration.ofSeconds(3);

    @TempDir
    static Path temp;
    static Path allowedDir;
    static Path secretFile;
    static Path newFile;
    private static final Map<String, Sandbox> SANDBOXES = new LinkedHashMap<>();

    record Payload(String category, String description, List<String> configs, String allow, boolean eval,
            List<String> steps) {
    }

    /** The detector payloads paste in with {@code @@DANGER@@}: danger(x) says x must never reach the guest. */
    private static String prelude;

    @BeforeAll
    static void setUp() throws IOException {
        allowedDir = Files.createDirectories(temp.resolve("allowed")).toRealPath();
        Files.writeString(allowedDir.resolve("allowed.txt"), "line1\nline2\n");
        secretFile = Files.writeString(temp.toRealPath().resolve("secret.txt"), AttackTest.SECRET + "\n");
        newFile = temp.toRealPath().resolve("created-by-attack.txt");
        try (InputStream in = WhiteBoxAttackTest.class.getResourceAsStream("whitebox-prelude.py")) {
            prelude = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @AfterAll
    static void tearDown() {
        SANDBOXES.values().stream().filter(Objects::nonNull).forEach(Sandbox::close); // null: a refused allow-list
        SANDBOXES.clear();
    }

    /** The base configurations a payload can name with {@code #@ configs:}. */
    static SandboxConfig.Builder base(String name) {
        return switch (name) {
            case "default" -> SandboxConfig.builder().timeout(Duration.ofSeconds(10));
            case "all" -> {
                EnumSet<Feature> safe = EnumSet.allOf(Feature.class);
                safe.remove(Feature.DEBUG_SANDBOX);
                yield SandboxConfig.builder().enableAll(safe).allowPath(allowedDir).timeout(Duration.ofSeconds(10));
            }
            case "short" -> SandboxConfig.builder().timeout(SHORT_TIMEOUT);
            default -> throw new IllegalArgumentException("unknown configuration " + name);
        };
    }

    /**
     * The sandbox for a base configuration plus an allow-list ({@code "mod:sym,sym;mod2:*"}), or null when
     * the configuration refuses that allow-list.
     */
    private static synchronized Sandbox sandbox(String config, String allow) throws ScriptException {
        String key = config + "|" + allow;
        if (SANDBOXES.containsKey(key)) {
            return SANDBOXES.get(key);
        }
        Sandbox sandbox;
        try {
            SandboxConfig.Builder b = base(config);
            if (!allow.isEmpty()) {
                for (String entry : allow.split(";")) {
                    int colon = entry.indexOf(':');
                    String module = (colon < 0 ? entry : entry.substring(0, colon)).trim();
                    String[] symbols = colon < 0 ? new String[0] : entry.substring(colon + 1).trim().split("\\s*,\\s*");
                    b.allowModule(module, symbols);
                }
            }
            sandbox = new Sandbox(b.build());
        } catch (IllegalArgumentException refused) {
            SANDBOXES.put(key, null);
            return null;
        }
        // the first call makes the interpreter: not part of any attack's time (and, under the short timeout
        // on a loaded machine, it may need a second try)
        for (int attempt = 1; ; attempt++) {
            try {
                sandbox.eval("1");
                break;
            } catch (org.pysandbox.error.ScriptTimeoutException slow) {
                if (attempt == 5) {
                    throw slow;
                }
            }
        }
        SANDBOXES.put(key, sandbox);
        return sandbox;
    }

    private static synchronized void discard(String config, String allow) {
        Sandbox sandbox = SANDBOXES.remove(config + "|" + allow);
        if (sandbox != null) {
            sandbox.close();
        }
    }

    static List<Payload> payloads(String resource) throws IOException {
        String text;
        try (InputStream in = WhiteBoxAttackTest.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Payload> result = new ArrayList<>();
        Matcher m = HEADER.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(), m.end()});
        }
        for (int i = 0; i < spans.size(); i++) {
            String header = text.substring(spans.get(i)[0] + 3, spans.get(i)[1]);
            int end = i + 1 < spans.size() ? spans.get(i + 1)[0] : text.length();
            String body = text.substring(Math.min(spans.get(i)[1] + 1, end), end);
            List<String> configs = List.of("default");
            String allow = "";
            boolean eval = false;
            List<String> steps = new ArrayList<>();
            StringBuilder step = new StringBuilder();
            for (String line : body.split("\n", -1)) {
                Matcher d = DIRECTIVE.matcher(line);
                if (!d.matches()) {
                    step.append(line).append('\n');
                    continue;
                }
                switch (d.group(1)) {
                    case "configs" -> configs = List.of(d.group(2).trim().split("\\s+"));
                    case "allow" -> allow = d.group(2).trim();
                    case "eval" -> eval = true;
                    case "next" -> {
                        steps.add(step.toString());
                        step.setLength(0);
                    }
                    default -> throw new IllegalStateException("unknown directive in " + header + ": " + line);
                }
            }
            steps.add(step.toString());
            int colon = header.indexOf(':');
            result.add(new Payload(header.substring(0, colon).trim(), header.substring(colon + 1).trim(), configs,
                    allow, eval, steps));
        }
        return result;
    }

    @TestFactory
    Stream<DynamicNode> whiteBoxAttacks() throws IOException {
        Map<String, List<DynamicNode>> byCategory = new LinkedHashMap<>();
        // -Dwhitebox.only=8-,p- runs the categories starting with those prefixes (for working on one class)
        List<String> only = List.of(System.getProperty("whitebox.only", "").split(","));
        for (Payload p : payloads("whitebox-attacks.txt")) {
            if (only.stream().noneMatch(prefix -> p.category().startsWith(prefix))) {
                continue;
            }
            List<DynamicNode> tests = byCategory.computeIfAbsent(p.category(), c -> new ArrayList<>());
            for (String config : p.configs()) {
                String name = p.category() + ": " + p.description() + " [" + config + "]";
                tests.add(DynamicTest.dynamicTest(name, () -> {
                    long started = System.nanoTime();
                    try {
                        attack(config, p);
                        System.out.printf("WHITEBOX held   %5d ms  %s%n", (System.nanoTime() - started) / 1_000_000, name);
                    } catch (Throwable t) {
                        // a tenant an attack got into is not reused: each payload is judged on its own
                        discard(config, p.allow());
                        System.out.printf("WHITEBOX FAILED %5d ms  %s: %s%n", (System.nanoTime() - started) / 1_000_000, name,
                                String.valueOf(t).replace('\n', ' '));
                        throw t;
                    }
                }));
            }
        }
        return byCategory.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private void attack(String config, Payload p) throws Exception {
        Sandbox sandbox = sandbox(config, p.allow());
        if (sandbox == null) {
            return; // the configuration refused the allow-list: nothing of it can be reached
        }
        Duration timeout = base(config).build().timeout();
        Map<String, Object> host = new HashMap<>(Map.of("k", "v"));
        List<Object> hostList = new ArrayList<>(List.of(1, 2, 3));
        Account account = new Account();
        Function<Object, Object> callback = x -> "called";
        // one namespace for every step: a script object read back after one step is handed to the next
        Map<String, Object> globals = new HashMap<>();
        for (String step : p.steps()) {
            String code = step.replace("@@SECRET_FILE@@", secretFile.toString())
                    .replace("@@NEW_FILE@@", newFile.toString()).replace("@@ALLOWED_DIR@@", allowedDir.toString())
                    .replace("@@DANGER@@\n", prelude);
            globals.put("host", host);
            globals.put("hostList", hostList);
            globals.put("account", account);
            globals.put("callback", callback);
            globals.remove("result");
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            ScriptException raised = null;
            long started = System.nanoTime();
            synchronized (sandbox) {
                sandbox.setOut(out).setErr(err);
                try {
                    if (p.eval()) {
                        sandbox.eval(code, globals);
                    } else {
                        sandbox.execute(code, globals);
                    }
                } catch (ScriptException e) {
                    raised = e;
                } catch (RuntimeException e) {
                    fail("only ScriptExceptions may leave the sandbox, got " + e);
                }
            }
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            Object result = globals.get("result");
            assertThat(result).as("the payload reached its goal (output: %s, error: %s)", out, raised)
                    .isNotEqualTo("ESCAPED");
            assertThat(String.valueOf(result)).as("secret in result").doesNotContain(AttackTest.SECRET);
            assertThat(out.toString() + err).as("secret in output").doesNotContain(AttackTest.SECRET);
            if (raised != null) {
                assertThat(String.valueOf(raised.getMessage())).as("secret in error").doesNotContain(AttackTest.SECRET);
            }
            if (globals.get("depth_reached") instanceof Number depth) {
                assertThat(depth.intValue()).as("frames reached under the recursion limit")
                        .isLessThanOrEqualTo(SandboxConfig.DEFAULT_RECURSION_LIMIT + DEPTH_SLACK);
            }
            assertThat(took).as("the caller was answered within its timeout and the grace")
                    .isLessThanOrEqualTo(timeout.plus(ANSWER_GRACE));
            assertThat(newFile).as("file created by the payload").doesNotExist();
            assertThat(host).as("host map").isEqualTo(Map.of("k", "v"));
            assertThat(hostList).as("host list").isEqualTo(List.of(1, 2, 3));
            assertThat(account.getBalance()).as("host bean balance").isEqualTo(100);
            assertThat(account.owner).as("host bean field").isEqualTo("alice");
        }
        assertTenantStillSound(sandbox, secretFile);
    }

    /**
     * The tenant's next run works, sees intact builtins and modules, nothing planted by an earlier run,
     * and every guard still refuses: subclass walking, dunder getattr, changing a builtin type or the
     * builtins, imports and the secret file. Written against behaviour, not against the names of the
     * policy's classes, so it holds for any correct implementation.
     */
    static void assertTenantStillSound(Sandbox sandbox, Path secret) throws ScriptException {
        // Under a 1 s timeout on a loaded machine, the first call of a replaced interpreter may time out
        // while it warms up: that says nothing about the policy, so the probe gets a few tries.
        for (int attempt = 1; ; attempt++) {
            try {
                probeTenant(sandbox, secret);
                return;
            } catch (org.pysandbox.error.ScriptTimeoutException slow) {
                if (attempt == 5) {
                    throw slow;
                }
            }
        }
    }

    private static void probeTenant(Sandbox sandbox, Path secret) throws ScriptException {
        synchronized (sandbox) {
            Object probe = sandbox.eval("(1 + 1, len('abc'), abs(-2), sorted([3, 1, 2]), str(7), isinstance(1, int), "
                    + "getattr('ab', 'upper')(), [x * 2 for x in range(3)])");
            assertThat(probe).isEqualTo(List.of(2, 3, 2, List.of(1, 2, 3), "7", true, "AB", List.of(0, 2, 4)));
            Object opened = sandbox.eval("""
                    opened = []
                    def attempt(label, action):
                        try:
                            action()
                            opened.append('OPEN:' + label)
                        except Exception:
                            pass
                    attempt('subclasses', lambda: getattr(getattr(type(()), '__ba' + 'se__'), '__sub' + 'classes__')())
                    attempt('getattr-dunder', lambda: getattr(object, '__subclasses__'))
                    attempt('int-attribute', lambda: setattr(int, 'pwn', 1))
                    attempt('builtins-view', lambda: setattr(__builtins__, 'pwn', 1))
                    attempt('gi_frame', lambda: getattr((lambda: (yield))(), 'gi_frame'))
                    attempt('format-walk', lambda: '{0.__class__.__base__.__subclasses__}'.format(1))
                    for name in ('os', 'sys', 'gc', 'builtins', 'posix', '_signal', 'signal', 'polyglot', 'java',
                                 '__graalpython__', 'pysandbox_runtime', '_io', 'io', 'subprocess'):
                        try:
                            m = __import__(name)
                            if hasattr(m, 'modules') or hasattr(m, 'system') or hasattr(m, 'raise_signal') \\
                                    or hasattr(m, 'get_objects') or hasattr(m, 'FileIO') or name != 'sys':
                                opened.append('OPEN:' + name)
                        except ImportError:
                            pass
                    attempt('secret', lambda: open(%s).read())
                    planted = [n for n in dir(__builtins__) if 'pwn' in n]
                    if planted:
                        opened.append('OPEN:planted ' + str(planted))
                    class Own:
                        pass
                    Own.x = 1
                    own = Own()
                    own.y = 2
                    opened.append((Own.x, own.y))
                    opened
                    """.formatted("'" + secret + "'"));
            assertThat(opened.toString()).doesNotContain("OPEN:").contains("[1, 2]");
        }
    }
}
