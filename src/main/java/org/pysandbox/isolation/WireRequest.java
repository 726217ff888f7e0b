package org.pysandbox.isolation;

import java.util.List;
import java.util.Map;

/**
 * A run (code set) or a call (function set) as it travels to a worker process. The configuration is
 * the host's for this call, in its own field: nothing in the namespaces can change it.
 */
record WireRequest(WireConfig config, String code, String fileName, boolean wantValue, Map<String, Object> globals,
        Map<String, Object> locals, Object function, List<?> args) {
}
