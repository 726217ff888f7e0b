package org.pysandbox.isolation;

import java.util.Map;

/** The outcome of a run or call in a worker: the value and the namespaces after it, or the failure. */
record WireResponse(Object value, Map<String, Object> globals, Map<String, Object> locals, WireError error) {
}
