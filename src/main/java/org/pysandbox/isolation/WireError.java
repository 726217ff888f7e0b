package org.pysandbox.isolation;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import javax.script.ScriptException;

import org.pysandbox.error.MemoryLimitException;
import org.pysandbox.error.OutputLimitException;
import org.pysandbox.error.PythonFrame;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.RecursionLimitException;
import org.pysandbox.error.ResourceLimitException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptExitException;
import org.pysandbox.error.ScriptTimeoutException;

/**
 * A failure as it crosses from a worker: what kind of script exception it was and its fields, as data.
 * The host builds its own exception of the matching class from them ({@link #toException()}); an
 * object that arrived is never thrown, and an unknown kind becomes a plain ScriptException.
 *
 * @param kind       python, violation, exit, timeout, memory, output, recursion or script
 * @param message    the message without the parts the exception classes add themselves
 * @param status     the exit status of a {@code sys.exit} (an int, a str or None)
 * @param frames     the script's frames, outermost first, at most {@link PythonScriptException#MAX_FRAMES}
 */
record WireError(String kind, String pythonType, String message, String file, int line, int column, String setting,
        Object status, List<PythonFrame> frames) {

    WireError {
        frames = frames == null ? List.of() : frames;
    }

    static WireError of(ScriptException e) {
        String kind;
        String message = rawMessage(e);
        String type = null;
        String setting = null;
        Object status = null;
        if (e instanceof ScriptExitException x) {
            kind = "exit";
            status = x.getStatus() instanceof Number n && !(n instanceof Integer) ? (Object) n.longValue() : x.getStatus();
            if (status != null && !(status instanceof Number) && !(status instanceof String)) {
                status = String.valueOf(status);
            }
        } else if (e instanceof SandboxViolationException v) {
            kind = "violation";
            type = v.getPythonType();
            setting = v.getSetting();
            // without the hint, which the host's exception adds again (review 37: the strip expected the setting
            // unrendered, so a violation's message had its hint twice in process isolation)
            message = v.getBlocked();
        } else if (e instanceof PythonScriptException p) {
            kind = "python";
            type = p.getPythonType();
            message = p.getPythonMessage();
        } else if (e instanceof ResourceLimitException r) {
            kind = r instanceof ScriptTimeoutException ? "timeout" : r instanceof MemoryLimitException ? "memory"
                    : r instanceof OutputLimitException ? "output" : r instanceof RecursionLimitException ? "recursion"
                    : "script";
            message = strip(message, "; raise " + r.getSetting() + " to allow more");
        } else {
            kind = "script";
        }
        return new WireError(kind, type, message, e.getFileName(), e.getLineNumber(), e.getColumnNumber(), setting,
                status, e instanceof PythonScriptException p ? p.getPythonFrames() : List.of());
    }

    /** ScriptException.getMessage() appends the position; the constructors take the message without it. */
    private static String rawMessage(ScriptException e) {
        String m = e.getMessage();
        if (e.getFileName() != null) {
            String suffix = " in " + e.getFileName() + (e.getLineNumber() != -1 ? " at line number " + e.getLineNumber()
                    : "") + (e.getLineNumber() != -1 && e.getColumnNumber() != -1
                            ? " at column number " + e.getColumnNumber() : "");
            m = strip(m, suffix);
        }
        return m;
    }

    private static String strip(String s, String suffix) {
        return s != null && s.endsWith(suffix) ? s.substring(0, s.length() - suffix.length()) : s;
    }

    /**
     * This error cut to what the host reads (review 36: a message over the host's maxString replaced the
     * script's own exception by "the result cannot cross"). Each text keeps its beginning, on a character
     * boundary, up to its share of the host's frame and at most maxString bytes, and says how much was cut:
     * the message and an exit status a quarter of the frame each, the type, file and setting a sixteenth, the
     * frames a fifth together, the innermost kept when not all fit. The rest of the frame is for the fields'
     * tags and lengths, so that under the least limits a host may set ({@link WireLimits#LEAST_FRAME}) any
     * error still crosses.
     */
    WireError within(WireLimits host) {
        long text = Math.min(host.maxString(), host.maxFrame() / 4);
        long name = Math.min(host.maxString(), host.maxFrame() / 16);
        long framesShare = host.maxFrame() / 5;
        int kept = (int) Math.min(frames.size(), framesShare / (FRAME_OVERHEAD + 16));
        long frameName = kept == 0 ? 0 : Math.min(host.maxString(), (framesShare / kept - FRAME_OVERHEAD) / 2);
        List<PythonFrame> cutFrames = new ArrayList<>(kept);
        for (PythonFrame f : frames.subList(frames.size() - kept, frames.size())) {
            cutFrames.add(new PythonFrame(cut(f.fileName(), frameName), f.lineNumber(), cut(f.function(), frameName)));
        }
        return new WireError(kind, cut(pythonType, name), cut(message, text), cut(file, name), line, column,
                cut(setting, name), status instanceof String s ? cut(s, text) : status, cutFrames);
    }

    /** A frame's bytes on the wire besides its names: two str tags and lengths, an int's tag and value. */
    private static final int FRAME_OVERHEAD = 15;

    /** {@code s} in at most {@code budget} UTF-8 bytes, with a note of what was left out when there is room. */
    static String cut(String s, long budget) {
        if (s == null || (long) s.length() * 3 <= budget) {
            return s;
        }
        long total = WireCodec.utf8Length(s);
        if (total <= budget) {
            return s;
        }
        long room = budget - note(total).length(); // the note is ASCII, and no longer than for all of s
        if (room < 0) {
            room = budget;
        }
        int end = 0;
        long kept = 0;
        while (end < s.length()) {
            int cp = s.codePointAt(end);
            int bytes = WireCodec.utf8Length(cp);
            if (kept + bytes > room) {
                break;
            }
            kept += bytes;
            end += Character.charCount(cp);
        }
        return room == budget ? s.substring(0, end) : s.substring(0, end) + note(total - kept);
    }

    private static String note(long cutBytes) {
        return " [... " + cutBytes + " more bytes cut]";
    }

    void writeTo(WireWriter w) throws IOException {
        w.value(kind).value(pythonType).value(message).value(file).value(line).value(column).value(setting)
                .value(status).value(frames.size());
        for (PythonFrame f : frames) {
            w.value(f.fileName()).value(f.lineNumber()).value(f.function());
        }
    }

    static WireError read(WireReader r) throws BadFrameException {
        String kind = r.string();
        String type = r.stringOrNull();
        String message = r.stringOrNull();
        String file = r.stringOrNull();
        int line = r.intValue();
        int column = r.intValue();
        String setting = r.stringOrNull();
        Object status = r.value();
        // a worker sends an Integer or a Long (of); a big int would be turned into text by the exception, in
        // time quadratic in its length, on the caller's thread after the decoding clock (review 38: a 16-MiB
        // one held it 262 s)
        if (status != null && !(status instanceof Integer) && !(status instanceof Long) && !(status instanceof String)) {
            throw new BadFrameException("an exit status that is not an int of at most 64 bits, a str or None",
                    "wrong type");
        }
        int count = r.intValue();
        if (count < 0 || count > PythonScriptException.MAX_FRAMES) {
            throw new BadFrameException(count + " frames in an error, more than " + PythonScriptException.MAX_FRAMES,
                    "frame layout");
        }
        List<PythonFrame> frames = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            frames.add(new PythonFrame(r.string(), r.intValue(), r.string()));
        }
        return new WireError(kind, type, message, file, line, column, setting, status, frames);
    }

    /** The host's own exception for this failure. */
    ScriptException toException() {
        String text = message == null ? "" : message;
        ScriptException e = switch (kind) {
            case "python" -> new PythonScriptException(type(), text, file, line, column, frames);
            case "violation" -> new SandboxViolationException(type(), text, setting, file, line, column, frames);
            case "exit" -> new ScriptExitException(status, file);
            case "timeout" -> new ScriptTimeoutException(text, file, line);
            case "memory" -> new MemoryLimitException(text, file, line);
            case "output" -> new OutputLimitException(text, file, line);
            case "recursion" -> new RecursionLimitException(text, file, line);
            default -> new ScriptException(text, file, line, column);
        };
        if (!frames.isEmpty()) {
            e.initCause(RemoteTraceback.of(frames));
        }
        return e;
    }

    private String type() {
        return pythonType == null ? "Exception" : pythonType;
    }
}
