package org.pysandbox.isolation;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the Graal JIT compiler jars for worker JVMs, so that process isolation runs compiled Python
 * whatever options the host JVM was started with. The library starts the workers, so it can give them
 * the JIT options itself ({@link #jitOptions}). Looked up in this order:
 * <ol>
 * <li>the system property {@value #PROPERTY}: a directory holding the jars, or a list of jars (path separator);</li>
 * <li>the host's own {@code --upgrade-module-path}, when it runs with the JIT;</li>
 * <li>a {@code graal-compiler} directory beside a class path entry (the build copies the jars to
 *     {@code target/graal-compiler}, beside {@code target/classes});</li>
 * <li>the local Maven repository ({@code maven.repo.local}, else {@code ~/.m2/repository}), for the version
 *     of the polyglot jar on the class path.</li>
 * </ol>
 */
final class CompilerPath {
    static final String PROPERTY = "pysandbox.worker.compilerPath";
    /** groupId path and artifactId of the jars the upgrade module path needs, all at GraalPy's version. */
    private static final String[][] ARTIFACTS = {{"org/graalvm/compiler", "compiler"},
            {"org/graalvm/truffle", "truffle-compiler"}, {"org/graalvm/sdk", "word"}, {"org/graalvm/sdk", "collections"},
            {"org/graalvm/sdk", "nativeimage"}};
    private static final Pattern POLYGLOT_JAR = Pattern.compile("polyglot-([0-9][^/\\\\]*)\\.jar$");

    private CompilerPath() {
    }

    /** The upgrade module path for a worker, or empty when no compiler jars were found (workers then interpret). */
    static Optional<String> locate(String property, List<String> hostJvmArguments, String classPath, Path mavenRepo) {
        if (property != null && !property.isBlank()) {
            return Optional.of(property.trim());
        }
        for (String arg : hostJvmArguments) {
            if (arg.startsWith("--upgrade-module-path=")) {
                return Optional.of(arg.substring("--upgrade-module-path=".length()));
            }
        }
        String version = null;
        for (String entry : classPath.split(Pattern.quote(File.pathSeparator))) {
            if (entry.isEmpty()) {
                continue;
            }
            Path p = Path.of(entry).toAbsolutePath();
            Path beside = p.getParent() == null ? null : p.getParent().resolve("graal-compiler");
            if (beside != null && Files.isRegularFile(beside.resolve("compiler-" + versionOr(beside) + ".jar"))) {
                return Optional.of(beside.toString());
            }
            Matcher m = POLYGLOT_JAR.matcher(entry);
            if (m.find()) {
                version = m.group(1);
            }
        }
        if (version == null || mavenRepo == null) {
            return Optional.empty();
        }
        List<String> jars = new ArrayList<>();
        for (String[] a : ARTIFACTS) {
            Path jar = mavenRepo.resolve(a[0]).resolve(a[1]).resolve(version).resolve(a[1] + "-" + version + ".jar");
            if (!Files.isRegularFile(jar)) {
                return Optional.empty();
            }
            jars.add(jar.toString());
        }
        return Optional.of(String.join(File.pathSeparator, jars));
    }

    /** The version part of the compiler jar in a directory ("compiler-25.0.3.jar"), or "" when there is none. */
    private static String versionOr(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.matches("compiler-[0-9].*\\.jar"))
                    .map(n -> n.substring("compiler-".length(), n.length() - ".jar".length())).findFirst().orElse("");
        } catch (java.io.IOException e) {
            return "";
        }
    }

    /** This JVM's lookup. */
    static Optional<String> locate() {
        String repo = System.getProperty("maven.repo.local");
        Path maven = repo != null ? Path.of(repo) : Path.of(System.getProperty("user.home"), ".m2", "repository");
        return locate(System.getProperty(PROPERTY),
                java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments(),
                System.getProperty("java.class.path", ""), maven);
    }

    /** The options that turn the Graal JIT on in a worker JVM of the given feature version. */
    static List<String> jitOptions(String upgradeModulePath, int javaFeatureVersion) {
        List<String> options = new ArrayList<>(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI",
                "--upgrade-module-path=" + upgradeModulePath, "--enable-native-access=ALL-UNNAMED"));
        if (javaFeatureVersion >= 23) {
            options.add("--sun-misc-unsafe-memory-access=allow"); // Truffle still uses sun.misc.Unsafe
        }
        return options;
    }
}
