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
import java.util.concurrent.atomic.AtomicInteger;
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

/**
 * The adversarial suite: every payload of {@code attacks.txt} (grouped by category) runs under the default
 * configuration and under one with every safe feature enabled (all but debug_sandbox) plus a readable
 * directory. A payload that got through would leave a trace: {@code result == 'ESCAPED'}, the secret in its
 * result, output or error, the new file on disk, a changed host object, or a broken sandbox for the next
 * run. Each test asserts none of these happened; the JVM surviving the signal and exit payloads is the
 * test run itself finishing.
 */
class AttackTest {
    static final String SECRET = "SECRET-b9c4e1";
    private static final Pattern HEADER = Pattern.compile("^## (.+)$", Pattern.MULTILINE);

    @TempDir
    static Path temp;
    static Path allowedDir;
    static Path secretFile;
    static Path newFile;
    private static Sandbox defaultSandbox;
    private static Sandbox allFeaturesSandbox;
    private static final Map<String, AtomicInteger> DENIED = new LinkedHashMap<>();
    private static final Map<String, AtomicInteger> HARMLESS = new LinkedHashMap<>();

    /** A host bean: readable through its getters and public field, and never changed by a script. */
    public static final class Account {
        public String owner = "alice";
        private long balance = 100;

        public long getBalance() {
            return balance;
        }

        public void setBalance(long balance) {
            this.balance = balance;
        }

        public String getOwner() {
            return owner;
        }
    }

    record Payload(String category, String description, String code) {
    }

    @BeforeAll
    static void setUp() throws IOException {
        allowedDir = Files.createDirectories(temp.resolve("allowed")).toRealPath();
        Files.writeString(allowedDir.resolve("allowed.txt"), "line1\nline2\n");
        secretFile = Files.writeString(temp.toRealPath().resolve("secret.txt"), SECRET + "\n");
        Files.createSymbolicLink(allowedDir.resolve("link-to-secret.txt"), secretFile);
        newFile = temp.toRealPath().resolve("created-by-attack.txt");
        defaultSandbox = new Sandbox(SandboxConfig.builder().timeout(Duration.ofSeconds(30)).build());
        allFeaturesSandbox = new Sandbox(allSafeFeatures().toBuilder().timeout(Duration.ofSeconds(30)).build());
    }

    /** Every feature except debug_sandbox, and one readable directory. */
    static SandboxConfig allSafeFeatures() {
        EnumSet<Feature> safe = EnumSet.allOf(Feature.class);
        safe.remove(Feature.DEBUG_SANDBOX);
        return SandboxConfig.builder().enableAll(safe).allowPath(allowedDir).build();
    }

    @AfterAll
    static void tearDown() {
        defaultSandbox.close();
        allFeaturesSandbox.close();
        DENIED.forEach((config, denied) -> System.out.printf("Attacks under %s: %d denied, %d completed without effect%n",
                config, denied.get(), HARMLESS.get(config).get()));
    }

    static List<Payload> payloads() throws IOException {
        String text;
        try (InputStream in = AttackTest.class.getResourceAsStream("attacks.txt")) {
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
            String code = text.substring(spans.get(i)[1] + 1, end);
            int colon = header.indexOf(':');
            result.add(new Payload(header.substring(0, colon).trim(), header.substring(colon + 1).trim(), code));
        }
        return result;
    }

    @TestFactory
    Stream<DynamicNode> underDefaultConfig() throws IOException {
        return suite("default config", () -> defaultSandbox);
    }

    @TestFactory
    Stream<DynamicNode> underAllSafeFeatures() throws IOException {
        return suite("all safe features", () -> allFeaturesSandbox);
    }

    private Stream<DynamicNode> suite(String configName, java.util.function.Supplier<Sandbox> sandbox)
            throws IOException {
        DENIED.put(configName, new AtomicInteger());
        HARMLESS.put(configName, new AtomicInteger());
        Map<String, List<DynamicNode>> byCategory = new LinkedHashMap<>();
        for (Payload p : payloads()) {
            byCategory.computeIfAbsent(p.category(), c -> new ArrayList<>()).add(DynamicTest.dynamicTest(
                    p.description(), () -> attack(configName, sandbox.get(), p)));
        }
        return byCategory.entrySet().stream().map(e -> DynamicContainer.dynamicContainer(e.getKey(), e.getValue()));
    }

    private void attack(String configName, Sandbox sandbox, Payload p) throws Exception {
        String code = p.code().replace("@@SECRET_FILE@@", secretFile.toString())
                .replace("@@NEW_FILE@@", newFile.toString()).replace("@@ALLOWED_DIR@@", allowedDir.toString());
        Map<String, Object> host = new HashMap<>(Map.of("k", "v"));
        List<Object> hostList = new ArrayList<>(List.of(1, 2, 3));
        Account account = new Account();
        List<Object> callbackArgs = new ArrayList<>();
        Function<Object, Object> callback = x -> {
            callbackArgs.add(x);
            return "called";
        };
        Map<String, Object> globals = new HashMap<>();
        globals.put("host", host);
        globals.put("hostList", hostList);
        globals.put("account", account);
        globals.put("callback", callback);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        ScriptException raised = null;
        synchronized (sandbox) {
            sandbox.setOut(out).setErr(err);
            try {
                sandbox.execute(code, globals);
            } catch (ScriptException e) {
                raised = e;
            } catch (RuntimeException e) {
                fail("only ScriptExceptions may leave the sandbox, got " + e);
            }
        }
        Object result = globals.get("result");
        assertThat(result).as("the payload reached its goal").isNotEqualTo("ESCAPED");
        assertThat(String.valueOf(result)).as("secret in result").doesNotContain(SECRET);
        assertThat(out.toString() + err).as("secret in output").doesNotContain(SECRET);
        if (raised != null) {
            assertThat(String.valueOf(raised.getMessage())).as("secret in error").doesNotContain(SECRET);
        }
        assertThat(newFile).as("file created by the payload").doesNotExist();
        assertThat(host).as("host map").isEqualTo(Map.of("k", "v"));
        assertThat(hostList).as("host list").isEqualTo(List.of(1, 2, 3));
        assertThat(account.getBalance()).as("host bean balance").isEqualTo(100);
        assertThat(account.owner).as("host bean field").isEqualTo("alice");
        assertSandboxStillSound(sandbox);
        (raised != null ? DENIED : HARMLESS).get(configName).incrementAndGet();
    }

    /** The next run sees intact builtins and still cannot import or open anything it could not before. */
    static void assertSandboxStillSound(Sandbox sandbox) throws ScriptException {
        synchronized (sandbox) {
            Object probe = sandbox.eval("(len('abc'), abs(-2), sorted([3, 1, 2]), str(7), isinstance(1, int), "
                    + "'__builtins__' in globals(), type(__builtins__).__name__)");
            assertThat(probe).isEqualTo(List.of(3, 2, List.of(1, 2, 3), "7", true, true, "BuiltinsView"));
            Object blocked = sandbox.eval("""
                    blocked = []
                    for name in ('os', 'sys', 'gc', 'builtins', 'polyglot', 'java', '__graalpython__', 'posix'):
                        try:
                            m = __import__(name)
                            blocked.append(name if type(m).__name__ == 'ReadOnlyModule' and name == 'sys' else 'OPEN:' + name)
                        except ImportError:
                            blocked.append(name)
                    try:
                        open(%s).read()
                        blocked.append('OPEN:secret')
                    except Exception:
                        blocked.append('secret')
                    blocked
                    """.formatted("'" + secretFile + "'"));
            assertThat(blocked.toString()).doesNotContain("OPEN:");
        }
    }
}
