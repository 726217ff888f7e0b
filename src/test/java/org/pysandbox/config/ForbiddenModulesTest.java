package org.pysandbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** allowModule refuses the one list of forbidden modules and symbols, each with its reason. */
class ForbiddenModulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"posix", "_io", "signal", "_signal", "_thread", "gc", "importlib", "importlib.util", "_imp",
        "_frozen_importlib", "_frozen_importlib_external", "__graalpython__", "polyglot", "java", "ctypes", "_ctypes",
        "_posixsubprocess", "subprocess", "multiprocessing", "inspect", "marshal", "pickle", "builtins", "__main__",
        "pysandbox_runtime", "pysandbox_anything", "socket", "mmap", "resource", "dis", "zipimport", "runpy"})
    void forbiddenModulesAreRefusedWithTheirReason(String module) {
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule(module, "*"))
                .isInstanceOf(SandboxConfigurationException.class)
                .hasMessageContaining("module '" + module + "' can never be allowed: " + ForbiddenModules.reason(module).get());
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule(module))
                .isInstanceOf(SandboxConfigurationException.class);
    }

    @Test
    void sysOnlyForItsPlainData() {
        SandboxConfig config = SandboxConfig.builder().allowModule("sys", "version", "version_info", "maxsize").build();
        assertThat(config.allowedModules().get("sys")).containsExactly("version", "version_info", "maxsize");
        for (String symbol : new String[] {"modules", "settrace", "setprofile", "stdout", "*", "exc_info", "_current_frames"}) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule("sys", symbol)).as(symbol)
                    .isInstanceOf(SandboxConfigurationException.class)
                    .hasMessageContaining("symbol '" + symbol + "' of module 'sys' can never be allowed")
                    .hasMessageContaining("only its plain data");
        }
    }

    /** The original's frame access (pysandbox 1.5 traceback feature): only beside that feature. */
    @Test
    void sysGetframeOnlyWithTheTracebackFeature() {
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("sys", "_getframe").build())
                .isInstanceOf(SandboxConfigurationException.class).hasMessageContaining("traceback feature");
        assertThat(SandboxConfig.builder().enable(Feature.TRACEBACK).allowModule("sys", "_getframe").build()
                .allowedModules().get("sys")).containsExactly("_getframe");
        assertThat(SandboxConfig.builder().enable(Feature.INTERPRETER).allowModule("sys", "_getframe").build()
                .has(Feature.TRACEBACK)).isTrue();
    }

    @Test
    void symbolsThatWalkAttributesOrBuildCodeAreRefused() {
        String[][] refused = {{"string", "Formatter"}, {"operator", "attrgetter"}, {"operator", "methodcaller"},
            {"types", "CodeType"}, {"types", "FunctionType"}, {"traceback", "walk_stack"}, {"os", "system"},
            {"os", "environ"}, {"os", "_exit"}, {"os", "kill"}};
        for (String[] r : refused) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule(r[0], "ascii_letters", r[1]))
                    .as(r[0] + "." + r[1]).isInstanceOf(SandboxConfigurationException.class)
                    .hasMessageContaining("symbol '" + r[1] + "' of module '" + r[0] + "' can never be allowed");
        }
        assertThat(ForbiddenModules.symbols().get("string")).contains("Formatter");
    }

    @Test
    void ordinaryModulesAndSymbolsStayAllowed() {
        SandboxConfig config = SandboxConfig.builder().allowModule("os", "path", "sep").allowModule("string", "*")
                .allowModule("types", "SimpleNamespace").allowModule("operator", "add", "itemgetter")
                .allowModule("json", "loads").build();
        assertThat(config.allowedModules().keySet()).containsExactly("os", "string", "types", "operator", "json");
    }

    @Test
    void aRefusedCallLeavesTheBuilderAsItWas() {
        SandboxConfig.Builder builder = SandboxConfig.builder().allowModule("string", "ascii_letters");
        assertThatThrownBy(() -> builder.allowModule("string", "digits", "Formatter"))
                .isInstanceOf(SandboxConfigurationException.class);
        assertThat(builder.build().allowedModules().get("string")).isEqualTo(List.of("ascii_letters"));
    }
}
