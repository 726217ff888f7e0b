package org.pysandbox.isolation;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * For {@link JvmLoggingTest}: does what a worker does with its stdout before the protocol starts, then
 * collects garbage, marking where main began, so that the test can see whether any GC line came after it.
 */
public final class LogSwitchOffMain {
    private LogSwitchOffMain() {
    }

    public static void main(String[] args) throws Exception {
        OutputStream channel = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        WorkerMain.stopJvmLoggingToStdout();
        channel.write("MAIN\n".getBytes(StandardCharsets.US_ASCII));
        channel.flush();
        for (int i = 0; i < 3; i++) {
            byte[] garbage = new byte[8 << 20];
            garbage[i] = 1;
            System.gc();
        }
        channel.write("END\n".getBytes(StandardCharsets.US_ASCII));
        channel.flush();
        System.exit(0);
    }
}
