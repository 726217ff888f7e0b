package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import javax.script.Bindings;
import javax.script.Invocable;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineFactory;
import javax.script.ScriptEngineManager;

import org.junit.jupiter.api.Test;
import org.pysandbox.bridge.GuestObject;

/**
 * What NiFi's ExecuteScript / InvokeScriptedProcessor do: pick the factory, make an engine per task, put
 * objects into the engine's own ENGINE_SCOPE bindings, eval the script body without Bindings, then call
 * methods of the object the script made, also through getInterface from framework threads.
 */
class NiFiStyleTest {
    /** A flow file as the script sees it: a read-only bean. */
    public static final class FlowFile {
        private final String id;
        private final Map<String, String> attributes;

        FlowFile(String id, Map<String, String> attributes) {
            this.id = id;
            this.attributes = attributes;
        }

        public String getId() {
            return id;
        }

        public Map<String, String> getAttributes() {
            return attributes;
        }
    }

    /** The processor interface the framework drives. */
    public interface Processor {
        String onTrigger(FlowFile flowFile);

        int processed();
    }

    private static final String SCRIPT = """
            class UpperProcessor:
                def __init__(self):
                    self.count = 0
                    self.logger = None
                def setLogger(self, logger):
                    self.logger = logger
                def onTrigger(self, flow_file):
                    self.count += 1
                    route = REL_SUCCESS if flow_file.attributes.get('kind') == 'ok' else REL_FAILURE
                    if self.logger is not None:
                        self.logger('routing %s to %s' % (flow_file.id, route))
                    return route
                def processed(self):
                    return self.count
            processor = UpperProcessor()
            processor
            """;

    @Test
    void engineScopeObjectsEvalWithoutBindingsThenInvokeMethod() throws Exception {
        ScriptEngineFactory factory = new ScriptEngineManager().getEngineFactories().stream()
                .filter(f -> f.getNames().contains("pysandbox")).findFirst().orElseThrow();
        // NiFi probes every factory like this when the component loads
        assertThat(factory.getScriptEngine()).isInstanceOf(Invocable.class);
        assertThat(factory.getLanguageName()).isEqualTo("python");

        ScriptEngine engine = factory.getScriptEngine();
        Bindings b = engine.getBindings(ScriptContext.ENGINE_SCOPE);
        // FlowFile's getters are host code: the flow's configuration allows them, as a NiFi user would
        b.put("pysandbox.hostAccess", FlowFile.class.getName() + "#getId,getAttributes");
        b.put("REL_SUCCESS", "success");
        b.put("REL_FAILURE", "failure");
        Object returned = engine.eval(SCRIPT);
        assertThat(returned).isInstanceOf(GuestObject.class);
        Object processor = engine.get("processor");
        assertThat(processor).isInstanceOf(GuestObject.class);

        Invocable invocable = (Invocable) engine;
        List<String> log = Collections.synchronizedList(new ArrayList<>());
        invocable.invokeMethod(processor, "setLogger", (Consumer<String>) log::add);
        assertThat(invocable.invokeMethod(returned, "onTrigger", new FlowFile("f1", Map.of("kind", "ok"))))
                .isEqualTo("success");
        assertThat(log).containsExactly("routing f1 to success");
        // InvokeScriptedProcessor tolerates a missing optional method
        assertThatThrownBy(() -> invocable.invokeMethod(processor, "onScheduled"))
                .isInstanceOf(NoSuchMethodException.class);

        // the framework calls the processor through an interface, from its own threads
        Processor proxy = invocable.getInterface(processor, Processor.class);
        ExecutorService framework = Executors.newFixedThreadPool(3);
        try {
            List<Future<String>> routes = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                String kind = i % 3 == 0 ? "bad" : "ok";
                String id = "f" + (i + 2);
                routes.add(framework.submit(() -> proxy.onTrigger(new FlowFile(id, Map.of("kind", kind)))));
            }
            for (int i = 0; i < routes.size(); i++) {
                assertThat(routes.get(i).get(120, TimeUnit.SECONDS)).isEqualTo(i % 3 == 0 ? "failure" : "success");
            }
        } finally {
            framework.shutdownNow();
        }
        assertThat(proxy.processed()).isEqualTo(31);
        assertThat(log).hasSize(31);
        // objects put into the bindings stay as the host made them
        assertThat(b.get("REL_SUCCESS")).isEqualTo("success");
        ((PySandboxEngine) engine).close();
    }
}
