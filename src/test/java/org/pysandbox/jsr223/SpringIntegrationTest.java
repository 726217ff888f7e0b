package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import javax.script.ScriptException;

import org.junit.jupiter.api.Test;
import org.pysandbox.error.PythonScriptException;
import org.pysandbox.error.SandboxViolationException;
import org.pysandbox.error.ScriptTimeoutException;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.scripting.ScriptCompilationException;
import org.springframework.scripting.support.ScriptFactoryPostProcessor;
import org.springframework.scripting.support.StandardScriptEvalException;
import org.springframework.scripting.support.StandardScriptEvaluator;
import org.springframework.scripting.support.StandardScriptFactory;
import org.springframework.scripting.support.StaticScriptSource;

/** Spring Framework's own JSR-223 classes drive the engine, unchanged. */
class SpringIntegrationTest {
    public interface Calculator {
        int add(int a, int b);

        String describe();
    }

    @Test
    void standardScriptEvaluatorWithArguments() {
        StandardScriptEvaluator evaluator = new StandardScriptEvaluator();
        evaluator.setEngineName("pysandbox");
        Object result = evaluator.evaluate(new StaticScriptSource("a * b + len(names)"),
                Map.of("a", 6, "b", 7, "names", List.of("x", "y")));
        assertThat(result).isEqualTo(44);
        assertThat(evaluator.evaluate(new StaticScriptSource("'no arguments'"))).isEqualTo("no arguments");

        // script failures reach Spring as ScriptExceptions, which it wraps in its own exception
        assertThatThrownBy(() -> evaluator.evaluate(new StaticScriptSource("1 / 0")))
                .isInstanceOf(ScriptCompilationException.class)
                .satisfies(e -> assertThat(scriptException(e)).isInstanceOf(PythonScriptException.class)
                        .hasMessageContaining("ZeroDivisionError"));
        assertThatThrownBy(() -> evaluator.evaluate(new StaticScriptSource("import os\nos.getcwd()")))
                .isInstanceOf(ScriptCompilationException.class)
                .satisfies(e -> assertThat(scriptException(e)).isInstanceOf(SandboxViolationException.class));
    }

    @Test
    void scriptFactoryBeansImplementedByPython() throws Exception {
        String functions = """
                def add(a, b):
                    return a + b
                def describe():
                    return 'functions in a sandbox'
                """;
        String object = """
                class Calc:
                    def __init__(self, base):
                        self.base = base
                    def add(self, a, b):
                        return self.base + a + b
                    def describe(self):
                        return 'an object in a sandbox'
                Calc(100)
                """;
        try (GenericApplicationContext spring = new GenericApplicationContext()) {
            spring.registerBeanDefinition("scriptFactoryPostProcessor",
                    new RootBeanDefinition(ScriptFactoryPostProcessor.class));
            spring.registerBeanDefinition("fromFunctions", scriptBean("inline:" + functions));
            spring.registerBeanDefinition("fromObject", scriptBean("inline:" + object));
            spring.refresh();

            Calculator fromFunctions = spring.getBean("fromFunctions", Calculator.class);
            assertThat(fromFunctions.add(2, 3)).isEqualTo(5);
            assertThat(fromFunctions.describe()).isEqualTo("functions in a sandbox");
            Calculator fromObject = spring.getBean("fromObject", Calculator.class);
            assertThat(fromObject.add(2, 3)).isEqualTo(105);
            assertThat(fromObject.describe()).isEqualTo("an object in a sandbox");
        }

        // used directly, as ScriptFactoryPostProcessor does
        StandardScriptFactory factory = new StandardScriptFactory("pysandbox", "inline:ignored", Calculator.class);
        factory.setBeanClassLoader(getClass().getClassLoader());
        Calculator direct = (Calculator) factory.getScriptedObject(new StaticScriptSource(functions), Calculator.class);
        assertThat(direct.add(40, 2)).isEqualTo(42);
        // a script that implements nothing cannot become the bean
        StandardScriptFactory empty = new StandardScriptFactory("pysandbox", "inline:ignored", Calculator.class);
        empty.setBeanClassLoader(getClass().getClassLoader());
        assertThatThrownBy(() -> empty.getScriptedObject(new StaticScriptSource("x = 1"), Calculator.class))
                .isInstanceOf(ScriptCompilationException.class).hasMessageContaining("adapt");
    }

    /** Spring keeps the engine's ScriptException inside its StandardScriptEvalException. */
    private static ScriptException scriptException(Throwable thrown) {
        return ((StandardScriptEvalException) thrown.getCause()).getScriptException();
    }

    private static RootBeanDefinition scriptBean(String locator) {
        RootBeanDefinition bean = new RootBeanDefinition(StandardScriptFactory.class);
        bean.getConstructorArgumentValues().addIndexedArgumentValue(0, "pysandbox");
        bean.getConstructorArgumentValues().addIndexedArgumentValue(1, locator);
        bean.getConstructorArgumentValues().addIndexedArgumentValue(2, new Class<?>[] {Calculator.class});
        return bean;
    }

    @Test
    void scriptExceptionIsWhatSpringCatches() {
        // Spring only translates ScriptException: anything else would escape as a raw runtime failure
        StandardScriptEvaluator evaluator = new StandardScriptEvaluator();
        evaluator.setEngineName("pysandbox");
        assertThatThrownBy(() -> evaluator.evaluate(new StaticScriptSource("while True:\n    pass\n"),
                Map.of(ContextConfig.TIMEOUT, "300ms")))
                .isInstanceOf(ScriptCompilationException.class)
                .satisfies(e -> assertThat(scriptException(e)).isInstanceOf(ScriptTimeoutException.class)
                        .hasMessageContaining("pysandbox.timeout"));
    }
}
