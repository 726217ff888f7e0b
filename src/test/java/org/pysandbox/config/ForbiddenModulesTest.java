package org.pysandbox.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** allowModule refuses the one list of forbidden modules and symbols, each with its reason. */
class ForbiddenModulesTest {
    @ParameterizedTest
    @ValueSource(strings = {"posix", "_io", "signal", "_signal", "_thread", "gc", "importlib", "importlib.util", "_imp",
        "_frozen_importlib", "_frozen_importlib_external", "__graalpython__", "polyglot", "java", "ctypes", "_ctypes",
        "_posixsubprocess", "subprocess", "multiprocessing", "inspect", "marshal", "pickle", "builtins", "__main__",
        "pysandbox_runtime", "pysandbox_anything", "socket", "mmap", "resource", "dis", "zipimport", "runpy",
        "timeit", "doctest", "copyreg", "pydoc", "linecache"})
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

    /** io opens files and wraps raw streams; its in-memory streams (StringIO, BytesIO) and constants can be allowed. */
    @Test
    void ioOnlyForItsInMemoryStreams() {
        SandboxConfig config = SandboxConfig.builder().allowModule("io", "StringIO", "BytesIO", "SEEK_END").build();
        assertThat(config.allowedModules().get("io")).containsExactly("StringIO", "BytesIO", "SEEK_END");
        for (String symbol : new String[] {"open", "FileIO", "open_code", "TextIOWrapper", "BufferedReader", "*"}) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule("io", symbol)).as(symbol)
                    .isInstanceOf(SandboxConfigurationException.class)
                    .hasMessageContaining("symbol '" + symbol + "' of module 'io' can never be allowed")
                    .hasMessageContaining("only its in-memory streams");
        }
        assertThatThrownBy(() -> SandboxConfig.builder().allowModule("io")).isInstanceOf(SandboxConfigurationException.class);
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
            {"os", "environ"}, {"os", "_exit"}, {"os", "kill"}, {"functools", "singledispatch"},
            {"functools", "singledispatchmethod"}, {"typing", "get_type_hints"}, {"typing", "ForwardRef"},
            {"typing", "_eval_type"}, {"email.charset", "add_alias"}, {"email.charset", "add_charset"},
            {"email.charset", "add_codec"}, {"cgi", "test"}, {"os", "fdopen"}, {"os", "close"}, {"os", "dup2"}};
        for (String[] r : refused) {
            assertThatThrownBy(() -> SandboxConfig.builder().allowModule(r[0], "ascii_letters", r[1]))
                    .as(r[0] + "." + r[1]).isInstanceOf(SandboxConfigurationException.class)
                    .hasMessageContaining("symbol '" + r[1] + "' of module '" + r[0] + "' can never be allowed");
        }
        assertThat(ForbiddenModules.symbols().get("string")).contains("Formatter");
    }

    /**
     * The Python import hook refuses from its own list (state.FORBIDDEN_MODULES, read before any configuration
     * reaches it): every module Java refuses must be in it, and every symbol Java refuses must be left out
     * of a module allowed with "*" (state.FORBIDDEN_SYMBOLS) unless its whole module is refused in Python.
     */
    @Test
    void pythonListsCoverTheJavaList() throws IOException {
        String state;
        try (InputStream in = ForbiddenModulesTest.class.getResourceAsStream("/org/pysandbox/python/pysandbox/state.py")) {
            state = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String modulesBlock = state.substring(state.indexOf("FORBIDDEN_MODULES = frozenset(("));
        modulesBlock = modulesBlock.substring(0, modulesBlock.indexOf("))"));
        Set<String> python = quoted(modulesBlock);
        assertThat(python).containsAll(ForbiddenModules.modules());
        String symbolsBlock = state.substring(state.indexOf("FORBIDDEN_SYMBOLS = {"));
        symbolsBlock = symbolsBlock.substring(0, symbolsBlock.indexOf("\n}"));
        for (Map.Entry<String, Set<String>> e : ForbiddenModules.symbols().entrySet()) {
            // string.Formatter and operator.attrgetter/methodcaller: "*" hands out checked versions (imports.py)
            if (python.contains(e.getKey()) || ForbiddenModules.onlySymbols().containsKey(e.getKey())
                    || e.getKey().equals("string") || e.getKey().equals("operator")) {
                continue;
            }
            int at = symbolsBlock.indexOf("'" + e.getKey() + "':");
            assertThat(at).as("state.FORBIDDEN_SYMBOLS has '%s'", e.getKey()).isNotNegative();
            String line = symbolsBlock.substring(at, symbolsBlock.indexOf(")),", at));
            assertThat(quoted(line)).as(e.getKey()).containsAll(e.getValue());
        }
    }

    private static Set<String> quoted(String text) {
        Set<String> names = new HashSet<>();
        Matcher m = Pattern.compile("'([^']*)'").matcher(text);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
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
