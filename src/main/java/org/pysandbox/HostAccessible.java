package org.pysandbox;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks host code you own as callable by sandboxed scripts, like a {@code pysandbox.hostAccess} rule
 * written into the code: on a method, that public method (and its implementations in subclasses); on a
 * class or interface, every public method it declares. Getters so marked are also readable as
 * attributes ({@code getName()} as {@code name}). The members that are never reachable (reflection,
 * class loaders, threads, processes; see docs/javax-script.md, "Host access") stay unreachable.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface HostAccessible {
}
