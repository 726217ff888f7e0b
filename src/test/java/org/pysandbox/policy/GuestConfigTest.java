package org.pysandbox.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.pysandbox.Sandbox;
import org.pysandbox.config.SandboxConfig;
import org.pysandbox.error.SandboxViolationException;

/**
 * The configuration crosses into each context as a JSON document that GuestPolicy writes and the runtime
 * reads with the builtin JSON scanner (not the json module, for start-up time). A path that the two read
 * differently would widen or break the file allow-list, so paths with every character that JSON escapes
 * must arrive exactly: the allowed directory readable, its prefix-named sibling not.
 */
class GuestConfigTest {
    @Test
    void allowedPathsWithJsonSpecialCharactersArriveExactly(@TempDir Path dir) throws Exception {
        String name = "q\"b\\s\ttab\nline é \u20ac \uD83D\uDE00 \u0001";
        Path allowed = Files.createDirectory(dir.resolve(name));
        Files.writeString(allowed.resolve("data.txt"), "inside");
        Path sibling = Files.createDirectory(dir.resolve(name + "x"));
        Files.writeString(sibling.resolve("secret.txt"), "secret");
        try (Sandbox sandbox = new Sandbox(SandboxConfig.builder().allowPath(allowed).build())) {
            assertThat(sandbox.eval("open(p).read()", Map.of("p", allowed.resolve("data.txt").toString())))
                    .isEqualTo("inside");
            assertThatThrownBy(() -> sandbox.eval("open(p).read()", Map.of("p", sibling.resolve("secret.txt").toString())))
                    .isInstanceOf(SandboxViolationException.class);
        }
    }
}
