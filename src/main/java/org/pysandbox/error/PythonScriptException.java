package org.pysandbox.error;

import java.util.List;

import javax.script.ScriptException;

/**
 * A script failed: it raised a Python exception that it did not catch. Carries the Python exception's
 * type and message and where it was raised.
 */
public class PythonScriptException extends ScriptException {
    private static final long serialVersionUID = 1L;
    /** Most frames a failure keeps (the innermost ones); deeper recursion is cut, as Python's own limit does. */
    public static final int MAX_FRAMES = 100;
    private final String pythonType;
    private final String pythonMessage;
    private List<PythonFrame> frames = List.of();

    public PythonScriptException(String pythonType, String pythonMessage, String fileName, int lineNumber,
            int columnNumber) {
        super(pythonType + (pythonMessage == null || pythonMessage.isEmpty() ? "" : ": " + pythonMessage), fileName,
                lineNumber, columnNumber);
        this.pythonType = pythonType;
        this.pythonMessage = pythonMessage;
    }

    /**
     * The same with the script's frames, outermost first; only the innermost {@link #MAX_FRAMES} are kept
     * (a process-isolation worker's failure is rebuilt on the host this way).
     */
    public PythonScriptException(String pythonType, String pythonMessage, String fileName, int lineNumber,
            int columnNumber, List<PythonFrame> frames) {
        this(pythonType, pythonMessage, fileName, lineNumber, columnNumber);
        setPythonFrames(frames);
    }

    /** The Python exception's class name, for example {@code ZeroDivisionError}. */
    public String getPythonType() {
        return pythonType;
    }

    /**
     * The frames of the script's own code from the outermost call to where the exception was raised, as
     * in a Python traceback; empty when unknown (a syntax error has none).
     */
    public List<PythonFrame> getPythonFrames() {
        return frames;
    }

    void setPythonFrames(List<PythonFrame> frames) {
        this.frames = List.copyOf(frames.subList(Math.max(0, frames.size() - MAX_FRAMES), frames.size()));
    }

    /**
     * The same failure with a sentence added to its message, as Python's {@code add_note}: type, place,
     * frames and cause stay. Only for this class itself (a subclass's meaning would be lost in the copy).
     */
    public PythonScriptException withNote(String note) {
        if (getClass() != PythonScriptException.class) {
            return this;
        }
        String message = pythonMessage == null || pythonMessage.isEmpty() ? note : pythonMessage + " (" + note + ")";
        PythonScriptException copy = new PythonScriptException(pythonType, message, getFileName(), getLineNumber(),
                getColumnNumber());
        copy.frames = frames;
        copy.initCause(getCause());
        copy.setStackTrace(getStackTrace());
        return copy;
    }

    /** {@code str()} of the Python exception. */
    public String getPythonMessage() {
        return pythonMessage;
    }
}
