package org.pysandbox.policy;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Checked code shared between the interpreters of one JVM, so that a fresh sandbox's first script skips the
 * checker when another interpreter of the same policy has already checked the same source (5-15 ms of parse,
 * rewrite and compile from a syntax tree interpreter-only, against ~1 ms to load the marshalled code).
 *
 * <p>Only an interpreter that has run no guest code publishes ({@link ConfinedInterpreter}): its checker is
 * the policy's, untouched, so what it publishes is what any interpreter of that policy would have made of
 * the source. An interpreter whose guest code has run (and might have subverted its own Python layer) never
 * publishes; it may still be handed code, which changes nothing of its own.
 *
 * <p>The checked code names the guards with its maker's guard token, a secret of that context: an adopting
 * interpreter gets the code with its own token in its place. The maker's token cannot occur in the source
 * itself: the source was fixed before any guest code ran in the maker's context, and the token never left it.
 * Nothing else in checked code may depend on the context that checked it, and nothing a check does may be
 * visible to the guest (two reviews found a per-context count in class-pattern site names, now drawn per
 * compilation, and compile-time warnings printed by the checking context only, now ignored):
 * SharedCheckedCodeTest compares two contexts' checks of one source byte for byte, token and site values masked.
 *
 * <p>Set the system property {@value #PROPERTY} to {@code false} to check every first script in its own
 * interpreter: with sharing on, a tenant that can time fresh sandboxes can tell whether the same source was
 * recently the first script of another sandbox of its configuration (docs/security-model.md).
 */
final class SharedCheckedCode {
    static final String PROPERTY = "pysandbox.shareCheckedCode";
    private static final int MAX_ENTRIES = 512;
    /** Chars of keys and code kept in all; the code is one char per byte, and both are Latin-1 mostly. */
    private static final long MAX_CHARS = 32L << 20;

    /** What the checker's result depends on: the policy (the configuration without a token) and its inputs. */
    record Key(String policy, String fileName, boolean wantValue, String source) {
        long chars() {
            return (long) policy.length() + fileName.length() + source.length();
        }
    }

    /** The marshalled checked code (one char per byte) and the guard token of the context that made it. */
    private record Made(String code, String guardToken) {
        long chars() {
            return code.length();
        }
    }

    private static final Map<Key, Made> CODE = new LinkedHashMap<>(64, 0.75f, true);
    private static long chars;

    private SharedCheckedCode() {
    }

    static boolean enabled() {
        return !"false".equalsIgnoreCase(System.getProperty(PROPERTY));
    }

    /** The checked code for the key with the guards named by {@code guardToken}, or null. */
    static String forContext(Key key, String guardToken) {
        Made made;
        synchronized (CODE) {
            made = CODE.get(key);
        }
        return made == null ? null : made.code().replace(made.guardToken(), guardToken);
    }

    /** Keeps what an interpreter that had run no guest code made of the key's source. */
    static void publish(Key key, String code, String guardToken) {
        Made made = new Made(code, guardToken);
        long size = made.chars() + key.chars();
        if (size > MAX_CHARS / 4) {
            return;
        }
        synchronized (CODE) {
            Made old = CODE.put(key, made);
            chars += size - (old == null ? 0 : old.chars() + key.chars());
            var eldest = CODE.entrySet().iterator();
            while ((CODE.size() > MAX_ENTRIES || chars > MAX_CHARS) && eldest.hasNext()) {
                Map.Entry<Key, Made> e = eldest.next();
                chars -= e.getValue().chars() + e.getKey().chars();
                eldest.remove();
            }
        }
    }

    /** Forgets everything (tests). */
    static void clear() {
        synchronized (CODE) {
            CODE.clear();
            chars = 0;
        }
    }

    static int size() {
        synchronized (CODE) {
            return CODE.size();
        }
    }

    static boolean contains(Key key) {
        synchronized (CODE) {
            return CODE.containsKey(key);
        }
    }
}
