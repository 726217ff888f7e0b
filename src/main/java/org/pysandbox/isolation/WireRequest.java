package org.pysandbox.isolation;

import java.io.Serializable;
import java.util.Map;

/** A run (code set) or a call (function set) as it travels to a worker process. */
record WireRequest(String code, String fileName, Map<String, Object> globals, Map<String, Object> locals,
        boolean wantValue, Object function, Object[] args, WireConfig config) implements Serializable {
}
