package org.pysandbox.bench;

import org.pysandbox.Sandbox;

/** JVM start to first result: a one-shot main that creates a sandbox and prints the value of 1+1. */
public final class FirstResult {
    private FirstResult() {
    }

    public static void main(String[] args) throws Exception {
        try (Sandbox sandbox = new Sandbox()) {
            System.out.println(sandbox.eval(args.length > 0 ? args[0] : "1+1"));
        }
        System.out.flush();
        // The measurement ends at the printed line; don't wait for the engine's shutdown hooks.
        Runtime.getRuntime().halt(0);
    }
}
