package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.Set;
import java.util.TimeZone;
import java.util.stream.Stream;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.pysandbox.config.SandboxConfig;

/**
 * The floor-only test mode: contexts built exactly as production builds them
 * ({@link ConfinedContextFactory#newContext}) but with NO Python policy installed, so an attack has the
 * real {@code builtins}, {@code sys}, {@code posix}, {@code _io}, {@code __graalpython__} and {@code os}.
 * An attack is Python code that, if it got through, leaves a concrete trace; {@link #assertNoEffect}
 * checks for every trace after each attack, whatever the attack aimed at:
 * <ul>
 * <li>no secret (a temp file's content, /etc/passwd's {@code root:} line, the test JVM's {@code PATH}) in
 * the result or in anything written to the context's streams;</li>
 * <li>no file created, changed or deleted (inside or outside the allowed path, and in GraalPy's own
 * extracted standard library, which every context of the JVM reads);</li>
 * <li>no new JVM thread, no connection to the test's TCP/UDP listeners, no change to system properties,
 * the default time zone or locale, the process's resource limits or its standard file descriptors;</li>
 * <li>another tenant's context unchanged: its globals, modules, {@code sys.modules} and builtins.</li>
 * </ul>
 * The JVM staying up is the test run itself finishing; the signals that could end it are attacked in a
 * child JVM by {@code SignalFloorTest}.
 */
public final class FloorHarness implements AutoCloseable {
    public static final String SECRET = "FLOOR-SECRET-55aa";
    private static final String TENANT_PROBE = "(canary, len is __import__('builtins').len, json.dumps([1]), "
            + "sorted(k for k in __import__('sys').modules if k.startswith('pwn')), "
            + "[n for n in dir(__import__('builtins')) if 'pwn' in n.lower()], json.pwned if hasattr(json, 'pwned') "
            + "else None, __import__('os').sep)";

    private final Path dir;
    private final Path allowed;
    private final Path secret;
    private final Path created;
    private final Path secretModule;
    private final SandboxConfig config;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ServerSocket tcp;
    private final DatagramSocket udp;
    private final Context tenant;
    private final String tenantBefore;
    private final Path stdlibFile;
    private final long stdlibFileSize;
    private final long stdlibFileModified;
    private final List<String> stdlibDirBefore;
    private final Set<Thread> threadsBefore;
    private final Properties propertiesBefore;
    private final String limitsBefore;
    private Context context;

    /** Files under a fresh temp dir; {@code withAllowedPath} makes its {@code allowed/} readable. */
    public FloorHarness(boolean withAllowedPath) throws IOException {
        dir = Files.createTempDirectory("floor").toRealPath();
        allowed = Files.createDirectories(dir.resolve("allowed"));
        Files.writeString(allowed.resolve("ok.txt"), "readable");
        secret = Files.writeString(dir.resolve("secret.txt"), SECRET);
        secretModule = Files.writeString(dir.resolve("pwnsecret.py"), "VALUE = '" + SECRET + "'\n");
        Files.createSymbolicLink(allowed.resolve("link.txt"), secret);
        Files.createSymbolicLink(allowed.resolve("up"), dir);
        created = dir.resolve("created.txt");
        SandboxConfig.Builder builder = SandboxConfig.builder();
        if (withAllowedPath) {
            builder.allowPath(allowed);
        }
        config = builder.build();
        tcp = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        tcp.setSoTimeout(50);
        udp = new DatagramSocket(0, InetAddress.getLoopbackAddress());
        udp.setSoTimeout(50);
        tenant = ConfinedContextFactory.newContext(config, InputStream.nullInputStream(),
                OutputStream.nullOutputStream(), OutputStream.nullOutputStream());
        tenant.eval("python", "import json\ncanary = 'tenant-B'");
        tenantBefore = tenant.eval("python", TENANT_PROBE).toString();
        stdlibFile = Path.of(tenant.eval("python", "__import__('json').__file__").asString());
        stdlibFileSize = Files.size(stdlibFile);
        stdlibFileModified = Files.getLastModifiedTime(stdlibFile).toMillis();
        stdlibDirBefore = listing(stdlibFile.getParent());
        context = newContext();
        context.eval("python", "1"); // GraalPy's own threads, if any, start with the first context
        threadsBefore = liveThreads();
        propertiesBefore = (Properties) System.getProperties().clone();
        limitsBefore = Files.readString(Path.of("/proc/self/limits"));
    }

    private Context newContext() {
        out.reset();
        return ConfinedContextFactory.newContext(config, InputStream.nullInputStream(), out, out);
    }

    /**
     * Replaces placeholders with Python literals: %SECRET%, %ALLOWED%, %DIR%, %CREATED%, %TCP%, %UDP%, and
     * %STDLIB% / %STDLIBDIR% (json/__init__.py of GraalPy's extracted standard library, and its directory).
     */
    public String source(String code) {
        return code.replace("%SECRET%", py(secret.toString())).replace("%ALLOWED%", py(allowed.toString()))
                .replace("%DIR%", py(dir.toString())).replace("%CREATED%", py(created.toString()))
                .replace("%TCP%", Integer.toString(tcp.getLocalPort()))
                .replace("%UDP%", Integer.toString(udp.getLocalPort()))
                .replace("%STDLIB%", py(stdlibFile.toString()))
                .replace("%STDLIBDIR%", py(stdlibFile.getParent().toString()));
    }

    /**
     * Runs one attack in a fresh attack context (so that no earlier attack's damage makes this one fail for
     * the wrong reason) and returns what the attack produced: its value, or the refusal's message. The host
     * never sees anything but a {@link PolyglotException}: the floor refuses inside the guest.
     */
    public String attack(String code) {
        context.close(true);
        context = newContext();
        String result;
        try {
            result = String.valueOf(context.eval("python", source(code)));
        } catch (PolyglotException refused) {
            result = "refused: " + refused.getMessage();
        }
        String shown = result.length() > 160 ? result.substring(0, 160) + "..." : result;
        System.out.println("floor attack: " + code.replace('\n', ';') + " -> " + shown.replace('\n', ' '));
        return result;
    }

    /** Fails if the attack left any trace (see the class comment). */
    public void assertNoEffect(String what, String result) throws IOException {
        String written = out.toString(StandardCharsets.UTF_8);
        for (String trace : new String[] {result, written}) {
            assertThat(trace).as(what + ": no secret file content").doesNotContain(SECRET);
            assertThat(trace).as(what + ": /etc/passwd unread").doesNotContain("root:x:0:0");
            String path = System.getenv("PATH");
            if (path != null && path.length() > 8) {
                assertThat(trace).as(what + ": no host environment").doesNotContain(path);
            }
        }
        assertThat(created).as(what + ": no file created").doesNotExist();
        try (Stream<Path> files = Files.list(allowed)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as(what + ": allowed path unchanged").containsExactly("link.txt", "ok.txt", "up");
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()).sorted().toList())
                    .as(what + ": temp dir unchanged").containsExactly("allowed", "pwnsecret.py", "secret.txt");
        }
        assertThat(Files.readString(allowed.resolve("ok.txt"))).as(what + ": allowed file intact").isEqualTo("readable");
        assertThat(Files.readString(secret)).as(what + ": secret file intact").isEqualTo(SECRET);
        assertThat(Files.size(stdlibFile)).as(what + ": GraalPy's stdlib unchanged").isEqualTo(stdlibFileSize);
        assertThat(Files.getLastModifiedTime(stdlibFile).toMillis()).as(what + ": GraalPy's stdlib untouched")
                .isEqualTo(stdlibFileModified);
        assertThat(listing(stdlibFile.getParent())).as(what + ": no file planted in GraalPy's stdlib")
                .isEqualTo(stdlibDirBefore);
        Set<Thread> started = liveThreads();
        started.removeAll(threadsBefore);
        // GraalPy's AsyncHandler gives every context a daemon pool named python-actions-*: it exists whatever
        // the guest does, and hands its actions to the context's own thread (submitThreadLocal)
        // nfi-gc is Truffle NFI's one JVM-wide cleaner, started when an import of a C extension (pty ->
        // termios) makes GraalPy try to load its C API; NFI then refuses the load (no native access)
        // pysandbox-* threads are the library's own (an interpreter pool that other tests left filling keeps a
        // guest thread per pooled interpreter): Java code of the library starts them, never a floor context
        started.removeIf(t -> t.getName().startsWith("python-actions-") || t.getName().equals("nfi-gc")
                || t.getName().startsWith("pysandbox-")
                || t.getName().startsWith("surefire") || t.getName().startsWith("junit")
                || t.getName().startsWith("process reaper") || t.getName().startsWith("Attach Listener")
                || t.getName().startsWith("Common-Cleaner") || t.getName().startsWith("ForkJoinPool"));
        assertThat(started).as(what + ": no thread started").isEmpty();
        assertNoConnection(what);
        assertThat(System.getProperties()).as(what + ": system properties unchanged").isEqualTo(propertiesBefore);
        assertThat(Files.readString(Path.of("/proc/self/limits"))).as(what + ": resource limits unchanged")
                .isEqualTo(limitsBefore);
        assertThat(FileDescriptor.out.valid() && FileDescriptor.err.valid() && FileDescriptor.in.valid())
                .as(what + ": host standard descriptors open").isTrue();
        assertThat(tenant.eval("python", TENANT_PROBE).toString()).as(what + ": the other tenant is untouched")
                .isEqualTo(tenantBefore);
    }

    /** The time zone and locale are checked by the caller against its own snapshot: they are JVM-wide. */
    public static String jvmDefaults() {
        return TimeZone.getDefault().getID() + "|" + Locale.getDefault() + "|"
                + Locale.getDefault(Locale.Category.FORMAT) + "|" + Locale.getDefault(Locale.Category.DISPLAY);
    }

    private void assertNoConnection(String what) throws IOException {
        try (Socket accepted = tcp.accept()) {
            throw new AssertionError(what + ": the guest connected to a host TCP port from " + accepted);
        } catch (SocketTimeoutException expected) {
            // nothing connected
        }
        try {
            udp.receive(new DatagramPacket(new byte[64], 64));
            throw new AssertionError(what + ": the guest sent a UDP datagram to the host");
        } catch (SocketTimeoutException expected) {
            // nothing received
        }
    }

    private static List<String> listing(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    private static Set<Thread> liveThreads() {
        Set<Thread> threads = new HashSet<>(Thread.getAllStackTraces().keySet());
        threads.removeIf(t -> !t.isAlive());
        return threads;
    }

    public Path allowed() {
        return allowed;
    }

    public Context attackContext() {
        return context;
    }

    private static String py(String s) {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    @Override
    public void close() throws IOException {
        context.close(true);
        tenant.close(true);
        tcp.close();
        udp.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
