package samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The samples stay usable as documented, checked cheaply (no Maven run): every sample has a README with
 * the command that runs it, the README's table lists every sample with that command, and every Java
 * sample is a standalone Maven project on this version of the library whose main class exists. Running
 * the samples themselves is {@code samples/run NAME test} (minutes each; see samples/run).
 */
class SamplesLayoutTest {
    private static final Path SAMPLES = Path.of("samples");

    private static List<String> samples() throws IOException {
        try (Stream<Path> dirs = Files.list(SAMPLES)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void everySampleHasAReadmeWithItsCommandAndIsInTheReadmeTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        assertThat(samples()).contains("hello", "javax-script", "rules", "spring", "llm-tool", "operaton", "langchain4j");
        for (String sample : samples()) {
            Path own = SAMPLES.resolve(sample).resolve("README.md");
            assertThat(own).as(sample + " README").exists();
            assertThat(Files.readString(own)).as(own.toString()).contains("samples/run " + sample);
            assertThat(readme).as("README table row of " + sample)
                    .contains("| [" + sample + "](samples/" + sample + "/) |")
                    .contains("`samples/run " + sample + "` |");
        }
        assertThat(Files.isExecutable(SAMPLES.resolve("run"))).isTrue();
    }

    @Test
    void javaSamplesAreStandaloneMavenProjectsOnThisLibraryVersion() throws IOException {
        String version = tag(Files.readString(Path.of("pom.xml")), "version");
        for (String sample : samples()) {
            Path pom = SAMPLES.resolve(sample).resolve("pom.xml");
            if (sample.equals("hello")) {
                assertThat(pom).doesNotExist();  // the CLI sample: a Python file for bin/pysandbox
                continue;
            }
            String text = Files.readString(pom);
            assertThat(text).as(pom.toString()).doesNotContain("<parent>")
                    .contains("<groupId>org.pysandbox</groupId>\n      <artifactId>pysandbox</artifactId>\n      <version>"
                            + version + "</version>");
            String main = tag(text, "exec.mainClass");
            Path source = SAMPLES.resolve(sample).resolve("src/main/java").resolve(main.replace('.', '/') + ".java");
            assertThat(source).as(sample + " main class").exists();
            assertThat(Files.readString(source)).contains("public static void main(String[] args)");
            try (Stream<Path> tests = Files.walk(SAMPLES.resolve(sample).resolve("src/test/java"))) {
                assertThat(tests.filter(p -> p.toString().endsWith("Test.java")).count()).as(sample + " tests").isPositive();
            }
        }
    }

    private static String tag(String xml, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(xml);
        assertThat(m.find()).as("<" + name + "> in pom").isTrue();
        return m.group(1);
    }
}
