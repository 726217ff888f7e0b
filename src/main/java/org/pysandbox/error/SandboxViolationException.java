package org.pysandbox.error;

/**
 * The script tried something the sandbox blocks. The message says what was blocked and, when something
 * can allow it, how, in the words of the surface the sandbox was configured through (the Java API's
 * builder methods unless {@link #forSurface} says otherwise); {@link #getSetting()} is that setting as the
 * guest reported it.
 */
public class SandboxViolationException extends PythonScriptException {
    private static final long serialVersionUID = 1L;
    private final String blocked;
    private final String setting;

    public SandboxViolationException(String pythonType, String blocked, String setting, String fileName, int lineNumber,
            int columnNumber) {
        this(pythonType, blocked, setting, Surface.JAVA_API, fileName, lineNumber, columnNumber);
    }

    /** The same with the script's frames, outermost first (see {@link PythonScriptException#MAX_FRAMES}). */
    public SandboxViolationException(String pythonType, String blocked, String setting, String fileName, int lineNumber,
            int columnNumber, java.util.List<PythonFrame> frames) {
        this(pythonType, blocked, setting, fileName, lineNumber, columnNumber);
        setPythonFrames(frames);
    }

    private SandboxViolationException(String pythonType, String blocked, String setting, Surface surface,
            String fileName, int lineNumber, int columnNumber) {
        super(pythonType, blocked + (setting == null ? "" : " (allowed by " + surface.render(setting) + ")"), fileName,
                lineNumber, columnNumber);
        this.blocked = blocked;
        this.setting = setting;
    }

    /** The feature or setting that would allow the blocked action, or null when nothing can. */
    public String getSetting() {
        return setting;
    }

    /** What was blocked, without the hint. */
    public String getBlocked() {
        return blocked;
    }

    /** The same violation with its hint in the words of {@code surface} (same cause, position and frames). */
    public SandboxViolationException forSurface(Surface surface) {
        SandboxViolationException copy = new SandboxViolationException(getPythonType(), blocked, setting, surface,
                getFileName(), getLineNumber(), getColumnNumber());
        copy.setPythonFrames(getPythonFrames());
        if (getCause() != null) {
            copy.initCause(getCause());
        }
        copy.setStackTrace(getStackTrace());
        return copy;
    }
}
