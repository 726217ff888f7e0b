package org.pysandbox.error;

import java.io.Serializable;

/**
 * One frame of the script's own code in a Python traceback: the file, the line and the function, as CPython
 * prints them ({@code File "x.py", line 3, in f}). Frames of the sandbox's machinery are never included.
 */
public record PythonFrame(String fileName, int lineNumber, String function) implements Serializable {
}
