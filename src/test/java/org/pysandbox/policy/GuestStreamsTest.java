package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/** The host side of the guest's standard streams: nothing of one call's bytes reaches another call. */
class GuestStreamsTest {
    private final GuestStreams streams = new GuestStreams(true, true, true, 0);

    private static String readAll(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        byte[] buf = new byte[1000];
        for (int n; (n = in.read(buf, 0, buf.length)) > 0;) {
            bytes.write(buf, 0, n);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aSurrogatePairCutByTheReadersChunkArrivesWhole() throws IOException {
        // the first fill reads 4,096 chars: the pair's high half is its last
        String text = "x".repeat(4095) + "\uD83D\uDE00" + "end\n";
        streams.bind(Writer.nullWriter(), Writer.nullWriter(), new StringReader(text), 0);
        assertThat(readAll(streams.in())).isEqualTo(text);
    }

    @Test
    void aCharacterTheLastCallLeftUnfinishedIsNotTheNextCallsFirst() throws IOException {
        byte[] euro = "\u20ac".getBytes(StandardCharsets.UTF_8);
        StringWriter first = new StringWriter();
        streams.bind(first, Writer.nullWriter(), Reader.nullReader(), 0);
        streams.out().write(euro, 0, 2);
        StringWriter second = new StringWriter();
        streams.bind(second, Writer.nullWriter(), Reader.nullReader(), 0);
        streams.out().write("ok".getBytes(StandardCharsets.UTF_8));
        assertThat(first.toString()).isEmpty();
        assertThat(second.toString()).isEqualTo("ok");
    }

    @Test
    void inputEncodedFromOneReaderIsNotReadFromTheNext() throws IOException {
        Reader first = new StringReader("first reader's text\n");
        streams.bind(Writer.nullWriter(), Writer.nullWriter(), first, 0);
        assertThat(streams.in().read()).isEqualTo('f');
        assertThat(streams.holdsInputOtherThan(first)).isFalse();
        Reader second = new StringReader("second\n");
        assertThat(streams.holdsInputOtherThan(second)).isTrue();
        streams.bind(Writer.nullWriter(), Writer.nullWriter(), second, 0);
        assertThat(readAll(streams.in())).isEqualTo("second\n");
        streams.discarding(true, () -> { });
        assertThat(streams.holdsInputOtherThan(first)).isFalse();
    }

    /** Review 29: an emptying that a limit cut short leaves the read-ahead counted as there. */
    @Test
    void anEmptyingThatFailedIsNotCountedAsDone() throws IOException {
        Reader first = new StringReader("first\n");
        streams.bind(Writer.nullWriter(), Writer.nullWriter(), first, 0);
        assertThat(streams.in().read()).isEqualTo('f');
        Reader second = new StringReader("second\n");
        streams.bind(Writer.nullWriter(), Writer.nullWriter(), second, 0);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> streams.discarding(true, () -> {
            throw new IllegalStateException("stopped by the call's timeout");
        })).isInstanceOf(IllegalStateException.class);
        assertThat(streams.holdsInputOtherThan(new StringReader("third\n"))).isTrue();
    }

    /** Emptying only the output keeps the reader and what was encoded from it (review 28). */
    @Test
    void emptyingTheOutputKeepsTheInputAndChargesNothing() throws IOException {
        GuestStreams limited = new GuestStreams(true, true, true, 4);
        StringWriter out = new StringWriter();
        limited.bind(out, Writer.nullWriter(), new StringReader("ab\ncd\n"), 4);
        assertThat(limited.in().read()).isEqualTo('a');
        limited.discarding(false, () -> {
            try {
                limited.out().write("left by a stopped call".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new AssertionError(e);
            }
        });
        limited.out().write("ok".getBytes(StandardCharsets.UTF_8));
        assertThat(out.toString()).isEqualTo("ok");
        assertThat(limited.outputLimitHit()).isFalse();
        assertThat(readAll(limited.in())).isEqualTo("b\ncd\n");
    }
}
