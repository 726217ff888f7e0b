package org.pysandbox.isolation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * {@code isolation} builds on {@code limits}, never the reverse, and nothing in the library reads Java
 * serialization (issue 12). Checked on the sources, which is what a reviewer reads.
 */
class PackageDirectionTest {
    private static final Path MAIN = Path.of("src/main/java/org/pysandbox");

    private static List<Path> sources(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(f -> f.toString().endsWith(".java")).toList();
        }
    }

    @Test
    void limitsDoesNotDependOnIsolation() throws IOException {
        List<Path> limits = sources(MAIN.resolve("limits"));
        assertThat(limits).isNotEmpty();
        for (Path f : limits) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("org.pysandbox.isolation");
        }
    }

    @Test
    void nothingInTheLibraryUsesJavaObjectStreams() throws IOException {
        for (Path f : sources(MAIN)) {
            assertThat(Files.readString(f)).as(f.toString()).doesNotContain("ObjectInputStream")
                    .doesNotContain("ObjectOutputStream").doesNotContain("readObject(");
        }
    }
}
