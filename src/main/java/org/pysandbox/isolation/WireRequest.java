package org.pysandbox.isolation;

import java.util.List;
import java.util.Map;

/**
 * A run (code set) or a call (function set) as it travels to a worker process. The configuration is
 * the host's for this call, in its own field: nothing in the namespaces can change it. {@code sameInput}:
 * the call reads the host reader of the previous call, so input the worker's interpreter read ahead from
 * it is this call's; otherwise the worker drops it (GuestStreams). {@code writeBack}: whether the worker
 * answers a run with its namespaces (Executor.Request).
 */
record WireRequest(WireConfig config, boolean sameInput, String code, String fileName, boolean wantValue,
        Map<String, Object> globals, Map<String, Object> locals, Object function, List<?> args, boolean writeBack) {
}
