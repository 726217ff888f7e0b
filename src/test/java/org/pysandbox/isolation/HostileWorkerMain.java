package org.pysandbox.isolation;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A compromised worker, for the lifecycle tests: it speaks the protocol far enough to be configured,
 * then answers its first run as its mode says (args: worker id, mode). Mode {@code echo} is a
 * well-behaved worker without GraalPy: it answers every run with its process id and the code it got; mode
 * {@code chatty} is one whose JVM wrote lines to its stdout before the protocol started.
 */
public final class HostileWorkerMain {
    /** How long the orphan of mode orphan-holds-pipe lives: a value no other sleep on the machine uses. */
    static final String ORPHAN_SECONDS = "41.5";

    private HostileWorkerMain() {
    }

    public static void main(String[] args) throws Exception {
        long workerId = Long.parseLong(args[0]);
        String mode = args[1];
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        DataInputStream in = new DataInputStream(new BufferedInputStream(new FileInputStream(FileDescriptor.in)));
        ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(() -> Runtime.getRuntime().halt(0)));
        if (mode.equals("mute")) { // never says hello: a start that takes for ever
            Thread.sleep(Long.MAX_VALUE);
        }
        if (mode.startsWith("chatty")) { // its JVM writes to stdout before main, as a JFR recording or an agent does
            String line = "[0.763s][info][jfr,startup] Started recording 1. V\0\0\0\7 no frame here\n";
            int lines = mode.equals("chatty") ? 60 : (Frames.MAX_STARTUP_NOISE / line.length()) + 2;
            for (int i = 0; i < lines; i++) {
                out.write(line.getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            if (mode.equals("chatty-forever")) {
                Thread.sleep(Long.MAX_VALUE);
            }
        }
        Frames.writeHello(out, "hostile".getBytes(StandardCharsets.UTF_8));
        Frames.read(in, 1 << 20); // configure
        Frames.write(out, Frames.HELLO, new byte[0]);
        long pid = ProcessHandle.current().pid();
        while (true) {
            if (mode.equals("deaf")) {
                Thread.sleep(Long.MAX_VALUE); // never reads its channel again
            }
            Frames.Frame frame = Frames.read(in, Integer.MAX_VALUE);
            switch (mode) {
                case "echo", "chatty" -> echo(frame, out, workerId, pid);
                case "rebind" -> { // answers every run with namespaces of its own, asked for or not (review 63)
                    Map<String, Object> planted = new LinkedHashMap<>();
                    planted.put("argv", "REPLACED");
                    planted.put("injected", 1);
                    planted.put("pysandbox.isolation", "context");
                    Frames.write(out, Frames.RESULT, WireCodec.response(new WireResponse(pid, planted,
                            new LinkedHashMap<>(planted), null), o -> o));
                }
                case "prepare-slowly" -> { // replaces its interpreter for 2.5 s, more than timeout + grace, then answers
                    Frames.write(out, Frames.PREPARING, new byte[0]);
                    Thread.sleep(2500);
                    Frames.write(out, Frames.STARTED, new byte[0]);
                    echo(frame, out, workerId, pid);
                }
                case "orphan-holds-pipe" -> { // exits, leaving a child that holds its stdout open (review 47)
                    new ProcessBuilder("sleep", ORPHAN_SECONDS).redirectOutput(ProcessBuilder.Redirect.INHERIT)
                            .redirectInput(ProcessBuilder.Redirect.INHERIT).start();
                    Runtime.getRuntime().halt(0);
                }
                case "ask-input" -> { // asks for the script's input, then waits for it for ever
                    Frames.write(out, Frames.NEED_INPUT, java.nio.ByteBuffer.allocate(4).putInt(100).array());
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "prepare-forever" -> {
                    Frames.write(out, Frames.PREPARING, new byte[0]);
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "start-then-stall" -> {
                    Frames.write(out, Frames.PREPARING, new byte[0]);
                    Frames.write(out, Frames.STARTED, new byte[0]);
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "prepare-twice", "start-unprepared", "prepare-after-output" -> { // would stretch the clock again
                    if (mode.equals("prepare-after-output")) {
                        Frames.write(out, Frames.OUT, "x".getBytes(StandardCharsets.UTF_8));
                    }
                    if (!mode.equals("start-unprepared")) {
                        Frames.write(out, Frames.PREPARING, new byte[0]);
                    }
                    Frames.write(out, mode.equals("prepare-twice") ? Frames.PREPARING : Frames.STARTED, new byte[0]);
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "forge-handle" -> { // answers with a handle that names its neighbour's worker (review 41)
                    Frames.write(out, Frames.RESULT, WireCodec.response(new WireResponse(
                            new RemoteGuestObject(workerId + 1, 1), null, null, null), o -> o));
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "slow-large" -> { // answers after 1.5 s with a result of 2,000 values, honestly
                    Thread.sleep(1500);
                    Frames.write(out, Frames.RESULT, WireCodec.response(new WireResponse(
                            java.util.Collections.nCopies(2000, pid), null, null, null), o -> o));
                }
                case "garbage" -> {
                    byte[] noise = new byte[4096];
                    new Random(pid).nextBytes(noise);
                    Frames.write(out, Frames.RESULT, noise);
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "raw-garbage" -> { // not even a frame: bytes straight onto the channel
                    byte[] noise = new byte[1 << 16];
                    new Random(pid).nextBytes(noise);
                    noise[0] = Frames.RESULT;
                    noise[1] = 0x7f;
                    out.write(noise);
                    out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "big-out" -> { // one output frame of 200 KiB, within the output limit, then nothing (review 50)
                    Frames.write(out, Frames.OUT, "x".repeat(200 << 10).getBytes(StandardCharsets.UTF_8));
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "flood" -> {
                    byte[] text = "x".repeat(8192).getBytes(StandardCharsets.UTF_8);
                    while (true) {
                        Frames.write(out, Frames.OUT, text);
                    }
                }
                case "header-lie" -> { // claims a large result, sends a little, then stalls
                    out.writeByte(Frames.RESULT);
                    out.writeInt(60 << 20);
                    out.write(new byte[10]);
                    out.flush();
                    Thread.sleep(Long.MAX_VALUE);
                }
                case "allocate" -> { // allocates without bound: its -Xmx ends it (ExitOnOutOfMemoryError)
                    List<long[]> hoard = new ArrayList<>();
                    while (true) {
                        hoard.add(new long[1 << 20]);
                    }
                }
                default -> throw new IllegalArgumentException(mode);
            }
        }
    }

    /** A well-behaved answer: the process id and the code as the value, one line of output. */
    private static void echo(Frames.Frame frame, DataOutputStream out, long workerId, long pid) throws Exception {
        WireRequest r = WireCodec.readRequest(frame.type(), frame.payload(), WireLimits.fromSystemProperties(),
                System.nanoTime() + 60_000_000_000L, h -> h);
        Frames.write(out, Frames.OUT, ("fresh " + pid + "\n").getBytes(StandardCharsets.UTF_8));
        Map<String, Object> globals = r.globals() == null ? null : new LinkedHashMap<>(r.globals());
        Object value = "handle".equals(r.code()) ? new RemoteGuestObject(workerId, 1)
                : List.of(pid, String.valueOf(r.code()));
        Frames.write(out, Frames.RESULT, WireCodec.response(new WireResponse(value, globals, null, null), o -> o));
    }
}
