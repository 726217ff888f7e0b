package org.pysandbox.isolation;

import java.io.Serializable;
import java.util.Map;

import javax.script.ScriptException;

/** The outcome of a run or call in a worker: the value and the namespaces after it, or the failure. */
record WireResponse(Object value, Map<String, Object> globals, Map<String, Object> locals, ScriptException error)
        implements Serializable {
}
