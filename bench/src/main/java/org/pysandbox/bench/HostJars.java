package org.pysandbox.bench;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;

/**
 * The class path of a host packaged as jars, for the AOT cache recipe: a JDK 25 AOT cache refuses a class path
 * with a non-empty directory, and the harness runs from {@code target/classes} directories. The harness's own
 * classes go into a jar made here; the library is its packaged jar and the dependencies their jars.
 */
final class HostJars {
    private HostJars() {
    }

    /** The jars-only class path, in the harness's order; makes {@code bench-classes.jar} in {@code dir}. */
    static String classPath(Path root, Path dir) throws IOException {
        List<String> entries = new ArrayList<>();
        entries.add(jarOf(root.resolve("bench/target/classes"), dir.resolve("bench-classes.jar")).toString());
        entries.add(libraryJar(root.resolve("target")).toString());
        entries.addAll(jarsIn(root.resolve("target/lib")));
        entries.addAll(jarsIn(root.resolve("bench/target/lib")));
        return String.join(File.pathSeparator, entries);
    }

    private static Path jarOf(Path classes, Path jar) throws IOException {
        try (OutputStream file = Files.newOutputStream(jar); JarOutputStream out = new JarOutputStream(file);
                Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile).sorted()::iterator) {
                out.putNextEntry(new JarEntry(classes.relativize(f).toString().replace(File.separatorChar, '/')));
                Files.copy(f, out);
                out.closeEntry();
            }
        }
        return jar;
    }

    private static Path libraryJar(Path target) throws IOException {
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> {
                String name = f.getFileName().toString();
                return name.startsWith("pysandbox-") && name.endsWith(".jar") && !name.endsWith("-sources.jar")
                        && !name.endsWith("-javadoc.jar");
            }).findFirst().orElseThrow(() -> new IOException("no pysandbox jar in " + target + " (bench/run packages it)"));
        }
    }

    private static List<String> jarsIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().endsWith(".jar")).sorted().map(Path::toString).toList();
        }
    }
}
