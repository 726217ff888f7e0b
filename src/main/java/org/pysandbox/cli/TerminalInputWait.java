package org.pysandbox.cli;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.util.Locale;
import java.util.Optional;

/**
 * Waits, for at most a given time, until reading standard input (a terminal) would not block, by {@code poll(2)}.
 * A read of a terminal in its line mode blocks until a whole line is typed, and nothing unblocks it (a timed
 * read of JLine's terminal times out only in the line editor's raw mode, and in line mode it reads again,
 * blocking, after the end of input), so a read that may have to give the terminal back waits here, in slices,
 * and reads only once a line or the end of input was typed.
 *
 * <p>{@code poll} is called through the JDK's foreign function API, final since Java 22 and looked up by
 * reflection because the library is compiled for Java 21 (where it is a preview). Absent on Java 21, on
 * Windows, and where the JVM denies native access: there {@link ConsoleInput} watches the terminal's available
 * bytes instead, which do not show the end of input.
 */
final class TerminalInputWait implements ConsoleInput.InputReady {
    private static final short POLLIN = 1;
    /** {@code int poll(struct pollfd *fds, nfds_t nfds, int timeout)}, as (MemorySegment, long or int, int)int. */
    private final MethodHandle poll;
    private final boolean longCount;
    /** One {@code struct pollfd} asking for standard input's POLLIN: {@code int fd; short events; short revents;}. */
    private final Object pollfd;

    private TerminalInputWait(MethodHandle poll, boolean longCount, Object pollfd) {
        this.poll = poll;
        this.longCount = longCount;
        this.pollfd = pollfd;
    }

    /** The wait for standard input, or null where {@code poll(2)} cannot be called. */
    static TerminalInputWait forStandardInput() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        if (os.contains("win") || Runtime.version().feature() < 22) {
            return null;
        }
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayout = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            // methods through the public interfaces: the implementations are classes reflection may not call
            Optional<?> symbol = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup")
                    .getMethod("find", String.class).invoke(lookup, "poll");
            if (symbol.isEmpty()) {
                return null;
            }
            // nfds_t is an unsigned long on Linux, an unsigned int on the BSDs and macOS
            boolean longCount = os.contains("linux");
            Object javaInt = valueLayout.getField("JAVA_INT").get(null);
            Object parameters = Array.newInstance(layoutType, 3);
            Array.set(parameters, 0, valueLayout.getField("ADDRESS").get(null));
            Array.set(parameters, 1, longCount ? valueLayout.getField("JAVA_LONG").get(null) : javaInt);
            Array.set(parameters, 2, javaInt);
            Object signature = descriptorType.getMethod("of", layoutType, parameters.getClass())
                    .invoke(null, javaInt, parameters);
            MethodHandle poll = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType,
                    Array.newInstance(optionType, 0).getClass())
                    .invoke(linker, symbol.get(), signature, Array.newInstance(optionType, 0));
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");
            Object arena = arenaType.getMethod("ofAuto").invoke(null);
            Object pollfd = arenaType.getMethod("allocate", long.class, long.class).invoke(arena, 8L, 4L);
            Class<?> shortLayout = Class.forName("java.lang.foreign.ValueLayout$OfShort");
            // fd 0 and its events never change; poll writes only revents, which the result already tells
            segmentType.getMethod("set", shortLayout, long.class, short.class)
                    .invoke(pollfd, valueLayout.getField("JAVA_SHORT").get(null), 4L, POLLIN);
            TerminalInputWait wait = new TerminalInputWait(poll, longCount, pollfd);
            wait.await(0); // fails here, not at the first read, where the JVM denies native access
            return wait;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** True once a read of standard input would not block (a line, or the end, was typed); false after millis. */
    @Override
    public synchronized boolean await(int millis) {
        int ready;
        try {
            ready = longCount ? (int) poll.invoke(pollfd, 1L, millis) : (int) poll.invoke(pollfd, 1, millis);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IllegalStateException(e);
        }
        // POLLIN, POLLHUP and POLLERR all mean that a read returns at once; -1 (EINTR, a signal): look again
        return ready > 0;
    }
}
