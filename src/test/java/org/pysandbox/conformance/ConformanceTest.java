package org.pysandbox.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import javax.script.ScriptException;

import org.graalvm.polyglot.Context;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.config.SandboxConfigurationException;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs every case of the shared conformance file ({@code shared/conformance/pysandbox-cases.json}, the
 * original pysandbox's tests restated for this project) against {@link Sandbox}: an {@code ok} case must
 * complete and give its expected value/output/namespaces, a {@code denied} case must raise (a
 * ScriptException, or a configuration error for {@code phase: config}) and must not have read the
 * secret file or created the new file. Skipped only when the shared folder is absent.
 */
class ConformanceTest {
    private static final String SECRET = "TOP-SECRET-7f3a";

    /**
     * Optional cases that are out of scope for the in-process sandbox. They still run: if one passes it
     * counts as passed; if it fails it is reported as skipped with this reason instead of failing the build.
     */
    private static final Map<String, String> OUT_OF_SCOPE_IF_FAILING = Map.of(
            "memory-limit", "a per-context heap limit needs GraalVM Enterprise isolates; on CE the in-process "
                    + "limit is best effort and isolation=process (issue 4) enforces maxMemory with the worker's -Xmx",
            "output-size-limit", "upstream limited the pickled namespaces its subprocess sent back to 64 KiB; "
                    + "here namespaces are converted in-process without serialisation, so there is no such channel "
                    + "to limit (printed output is limited by maxOutput)");

    /**
     * Cases whose upstream behaviour this project removed on purpose; reported as skipped with the reason.
     * Upstream proxied live host Python objects; here a host Python object comes from another polyglot
     * context, and such values cross as data only (issue 10, class 9: callables reached through snapshots of
     * a trusted context ran os.system). The cases that expect a refusal still run.
     */
    private static final Map<String, String> REMOVED_BY_DESIGN = Map.of(
            "proxy-object-read", "objects of a trusted polyglot context cross as data only; their attributes and "
                    + "methods are not reachable (pass Java objects, read under pysandbox.hostAccess)",
            "proxy-host-function-call", "functions of a trusted polyglot context are not callable from a sandbox "
                    + "(pass a Java functional interface, which is callable when passed directly)");

    @TempDir
    static Path temp;

    private static Path allowedDir;
    private static Path allowedFile;
    private static Path secretFile;
    private static Path newFile;
    private static final AtomicInteger passed = new AtomicInteger();
    private static final AtomicInteger failed = new AtomicInteger();
    private static final AtomicInteger skipped = new AtomicInteger();
    private static final List<String> failures = new ArrayList<>();
    private static Context trusted;
    private static final Map<SandboxConfig, Sandbox> SANDBOXES = new java.util.HashMap<>();

    @BeforeAll
    static void files() throws IOException {
        allowedDir = Files.createDirectories(temp.resolve("allowed")).toRealPath();
        allowedFile = Files.writeString(allowedDir.resolve("allowed.txt"), "line1\nline2\n");
        secretFile = Files.writeString(temp.toRealPath().resolve("secret.txt"), SECRET + "\n");
        Files.createSymbolicLink(allowedDir.resolve("link-to-secret.txt"), secretFile);
        newFile = allowedDir.resolve("new-file.txt");
    }

    @AfterAll
    static void summary() {
        if (trusted != null) {
            trusted.close();
        }
        SANDBOXES.values().forEach(Sandbox::close);
        System.out.printf("%nConformance: %d passed, %d failed, %d skipped%n", passed.get(), failed.get(),
                skipped.get());
        failures.forEach(f -> System.out.println("  FAILED " + f));
    }

    private static Path casesFile() {
        Path shared = Path.of(System.getProperty("pysandbox.shared.dir", "../shared"));
        return shared.resolve("conformance/pysandbox-cases.json");
    }

    /**
     * A real test, so that a missing shared folder shows in Surefire's "Skipped" count with its reason
     * (a dynamic test factory that finds no cases counts as nothing at all).
     */
    @Test
    void sharedCasesArePresent() throws IOException {
        Path file = casesFile();
        String why = "conformance cases not found at " + file.toAbsolutePath()
                + " (set -Dpysandbox.shared.dir=<dir holding conformance/>); the conformance suite did not run";
        if (!Files.isRegularFile(file)) {
            System.out.println("Conformance: SKIPPED: " + why);
        }
        Assumptions.assumeTrue(Files.isRegularFile(file), why);
        assertThat(new ObjectMapper().readTree(file.toFile()).size()).as("cases in " + file).isPositive();
    }

    @TestFactory
    Stream<DynamicTest> cases() throws IOException {
        Path file = casesFile();
        if (!Files.isRegularFile(file)) {
            return Stream.empty(); // sharedCasesArePresent reports the skip
        }
        JsonNode cases = new ObjectMapper().readTree(file.toFile());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode c : cases) {
            tests.add(DynamicTest.dynamicTest(c.get("id").asText(), () -> runCounted(c)));
        }
        return tests.stream();
    }

    private void runCounted(JsonNode c) throws Exception {
        String id = c.get("id").asText();
        try {
            runCase(c);
            passed.incrementAndGet();
        } catch (TestAbortedException e) {
            skipped.incrementAndGet();
            throw e;
        } catch (AssertionError | Exception e) {
            if (c.path("optional").asBoolean(false) && OUT_OF_SCOPE_IF_FAILING.containsKey(id)) {
                skipped.incrementAndGet();
                throw new TestAbortedException("optional case out of scope: " + OUT_OF_SCOPE_IF_FAILING.get(id)
                        + " (it failed with: " + e.getMessage() + ")");
            }
            failed.incrementAndGet();
            synchronized (failures) {
                failures.add(id + ": " + e.getMessage());
            }
            throw e;
        }
    }

    private void runCase(JsonNode c) throws Exception {
        String removed = REMOVED_BY_DESIGN.get(c.get("id").asText());
        if (removed != null) {
            throw new TestAbortedException("removed by design: " + removed);
        }
        if (!c.path("applicable").asBoolean(true)) {
            throw new TestAbortedException("not applicable on GraalPy: " + c.path("notes").asText());
        }
        boolean expectOk = "ok".equals(c.get("expect").asText());
        SandboxConfig config;
        try {
            config = config(c);
        } catch (IllegalArgumentException e) {
            if ("config".equals(c.path("phase").asText()) && !expectOk) {
                assertThat(e.getMessage()).isNotBlank();
                return;
            }
            if (!expectOk && e instanceof SandboxConfigurationException) {
                return; // a denied case whose allowModule is refused outright (config.ForbiddenModules)
            }
            throw e;
        }
        if ("config".equals(c.path("phase").asText()) && !expectOk) {
            fail("configuration was accepted: " + config);
        }
        String code = substitute(c.get("code").asText());
        Map<String, Object> globals = c.has("globals") ? toJavaMap(c.get("globals")) : new LinkedHashMap<>();
        Map<String, Object> locals = c.has("locals") ? toJavaMap(c.get("locals")) : null;
        String hostStateBefore = null;
        if (c.has("host_setup")) {
            Map<String, Object> hostValues = hostValues(c);
            hostStateBefore = hostState(c);
            if (locals == null) {
                locals = new LinkedHashMap<>();
            }
            locals.putAll(hostValues);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Files.deleteIfExists(newFile);
        Object outcome;
        ScriptException raised = null;
        Sandbox sandbox = sandboxFor(config);
        synchronized (sandbox) {
            sandbox.setOut(out).setErr(err).setIn(new StringReader(c.path("stdin").asText("")));
            try {
                sandbox.execute(code, globals, locals);
            } catch (ScriptException e) {
                raised = e;
            }
        }
        Map<String, Object> resultHolder = locals != null ? locals : globals;
        outcome = resultHolder.get("result");
        if (expectOk) {
            if (raised != null) {
                fail("expected ok but raised " + raised.getClass().getSimpleName() + ": " + raised.getMessage());
            }
            if (c.has("expect_value")) {
                assertThat(outcome).as("result").isEqualTo(toJava(c.get("expect_value")));
            }
            if (c.has("expect_globals")) {
                Map<String, Object> actual = new LinkedHashMap<>(globals);
                actual.remove("__builtins__");
                assertThat(actual).as("globals").isEqualTo(toJavaMap(c.get("expect_globals")));
            }
            if (c.has("expect_locals")) {
                assertThat(locals).as("locals").isEqualTo(toJavaMap(c.get("expect_locals")));
            }
        } else {
            if (raised == null) {
                fail("expected denied but completed normally (result=" + outcome + ")");
            }
            assertThat(String.valueOf(outcome)).as("secret must not be read").doesNotContain(SECRET);
            assertThat(raised.getMessage()).as("secret must not leak in the error").doesNotContain(SECRET);
            assertThat(newFile).as("no file may be created").doesNotExist();
        }
        if (hostStateBefore != null) {
            assertThat(hostState(c)).as("host objects of the trusted context are unchanged").isEqualTo(hostStateBefore);
        }
        if (c.has("expect_stdout")) {
            assertThat(out.toString()).as("stdout").isEqualTo(c.get("expect_stdout").asText());
        }
        if (c.has("expect_stderr")) {
            assertThat(err.toString()).as("stderr").isEqualTo(c.get("expect_stderr").asText());
        }
    }

    /**
     * Cases with the same configuration share a sandbox (one context each): besides saving a context per
     * case, this checks that nothing one case does (an attack that half succeeded) leaks into the next.
     */
    private static Sandbox sandboxFor(SandboxConfig config) {
        synchronized (SANDBOXES) {
            return SANDBOXES.computeIfAbsent(config, Sandbox::new);
        }
    }

    private SandboxConfig config(JsonNode c) {
        SandboxConfig.Builder b = SandboxConfig.builder();
        for (JsonNode f : c.get("features")) {
            b.enable(f.asText());
        }
        for (JsonNode p : c.get("allow_paths")) {
            b.allowPath(substitute(p.asText()));
        }
        Iterator<Map.Entry<String, JsonNode>> modules = c.get("allow_modules").fields();
        while (modules.hasNext()) {
            Map.Entry<String, JsonNode> m = modules.next();
            List<String> symbols = new ArrayList<>();
            m.getValue().forEach(s -> symbols.add(s.asText()));
            b.allowModule(m.getKey(), symbols.toArray(String[]::new));
        }
        JsonNode cfg = c.path("config");
        if (cfg.has("timeout")) {
            b.timeout(Duration.ofMillis(Math.round(cfg.get("timeout").asDouble() * 1000)));
        }
        if (cfg.has("max_memory_mb")) {
            b.maxMemory(cfg.get("max_memory_mb").asLong() * 1024 * 1024);
        }
        return b.build();
    }

    private static String substitute(String text) {
        return text.replace("@@ALLOWED_FILE@@", allowedFile.toString())
                .replace("@@ALLOWED_DIR@@", allowedDir.toString())
                .replace("@@SECRET_FILE@@", secretFile.toString())
                .replace("@@NEW_FILE@@", newFile.toString());
    }

    /** Runs host_setup in a plain, trusted GraalPy context and hands its values over as polyglot Values. */
    private static Map<String, Object> hostValues(JsonNode c) {
        synchronized (ConformanceTest.class) {
            if (trusted == null) {
                trusted = Context.newBuilder("python").option("engine.WarnInterpreterOnly", "false")
                        .out(java.io.OutputStream.nullOutputStream()).err(java.io.OutputStream.nullOutputStream())
                        .build();
            }
        }
        String namespace = namespaceOf(c);
        trusted.eval("python", namespace + " = {}\nexec(" + pyString(c.get("host_setup").asText()) + ", " + namespace + ")");
        Map<String, Object> values = new LinkedHashMap<>();
        for (JsonNode name : c.get("host_locals")) {
            values.put(name.asText(), trusted.eval("python", namespace + "[" + pyString(name.asText()) + "]"));
        }
        return values;
    }

    /** A text snapshot of the trusted namespace (values and their attributes), to detect mutation. */
    private static String hostState(JsonNode c) {
        String namespace = namespaceOf(c);
        return trusted.eval("python", "repr(sorted((k, repr(v), repr(getattr(v, '__dict__', None))) for k, v in "
                + namespace + ".items() if k != '__builtins__'))").asString();
    }

    private static String namespaceOf(JsonNode c) {
        return "ns_" + Integer.toHexString(c.get("id").asText().hashCode() & 0x7fffffff);
    }

    private static String pyString(String s) {
        StringBuilder b = new StringBuilder("'");
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("\\x%02x", x & 0xff));
        }
        return "bytes(b" + b + "').decode('utf-8')";
    }

    private static Map<String, Object> toJavaMap(JsonNode node) {
        Map<String, Object> map = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    private static Object toJava(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isBoolean()) {
            return node.asBoolean();
        }
        if (node.isInt()) {
            return node.asInt();
        }
        if (node.isLong()) {
            return node.asLong();
        }
        if (node.isBigInteger()) {
            return node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.asDouble();
        }
        if (node.isTextual()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(n -> list.add(toJava(n)));
            return list;
        }
        return toJavaMap(node);
    }
}
