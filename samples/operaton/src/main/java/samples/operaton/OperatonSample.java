package samples.operaton;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineConfiguration;
import org.operaton.bpm.engine.ProcessEngineException;
import org.operaton.bpm.engine.RuntimeService;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;

/**
 * A BPMN process on Operaton whose script tasks are untrusted Python run by pysandbox: a process modeller
 * writes {@code scriptFormat="pysandbox"} and Operaton finds the engine through javax.script, with nothing
 * else to install. The process engine runs in memory (H2), without a job executor.
 *
 * <p>The order process: "price" computes the total from the order lines (its value becomes the process
 * variable {@code total}: resultVariable), "classify" calls {@code execution.setVariable}, which the
 * engine allows through one line of configuration, then the process waits in the user task "review".
 */
public final class OperatonSample {
    /** The one host method the scripts may call, as pysandbox names it in a refusal. */
    static final String SET_VARIABLE =
            "org.operaton.bpm.engine.delegate.VariableScope#setVariable(java.lang.String,java.lang.Object)";

    private OperatonSample() {
    }

    static BpmnModelInstance orderProcess() {
        return Bpmn.createExecutableProcess("order")
                .operatonHistoryTimeToLive(1)
                .startEvent()
                .scriptTask("price").scriptFormat("pysandbox").operatonResultVariable("total")
                .scriptText("sum(line['qty'] * line['price'] for line in lines)")
                .scriptTask("classify").scriptFormat("pysandbox")
                .scriptText("execution.setVariable('priority', 'high' if total >= 100 else 'normal')")
                .userTask("review")
                .endEvent()
                .done();
    }

    /** The same process with a script that tries to read a host file. */
    static BpmnModelInstance hostileProcess() {
        return Bpmn.createExecutableProcess("hostile")
                .operatonHistoryTimeToLive(1)
                .startEvent()
                .scriptTask("peek").scriptFormat("pysandbox").scriptText("open('/etc/passwd').read()")
                .endEvent()
                .done();
    }

    static ProcessEngine start() {
        ProcessEngineConfigurationImpl configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:operaton-sample;DB_CLOSE_DELAY=-1")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP)
                .setJobExecutorActivate(false)
                .setHistory(ProcessEngineConfiguration.HISTORY_NONE);
        ProcessEngine engine = configuration.buildProcessEngine();
        // pysandbox settings for every script of this process engine: GLOBAL_SCOPE attributes of the
        // ScriptEngineManager Operaton looks engines up with (system properties of the same names work too).
        var settings = configuration.getScriptingEngines().getScriptEngineManager().getBindings();
        settings.put("pysandbox.hostAccess", SET_VARIABLE);
        settings.put("pysandbox.timeout", "10s");
        return engine;
    }

    public static void run(PrintStream out) {
        ProcessEngine engine = start();
        try {
            engine.getRepositoryService().createDeployment()
                    .addModelInstance("order.bpmn", orderProcess())
                    .addModelInstance("hostile.bpmn", hostileProcess())
                    .deploy();
            RuntimeService runtime = engine.getRuntimeService();
            for (var lines : List.of(
                    List.of(Map.of("qty", 3, "price", 40), Map.of("qty", 1, "price", 5)),
                    List.of(Map.of("qty", 2, "price", 10)))) {
                ProcessInstance order = runtime.startProcessInstanceByKey("order", Map.of("lines", lines));
                Map<String, Object> vars = runtime.getVariables(order.getId());
                out.printf("order %s: total=%s priority=%s, waiting in %s%n", order.getId(), vars.get("total"),
                        vars.get("priority"), runtime.getActiveActivityIds(order.getId()));
            }
            try {
                runtime.startProcessInstanceByKey("hostile");
                out.println("hostile: ran (unexpected)");
            } catch (ProcessEngineException e) {
                // Operaton's normal failure for a script task: the transaction rolls back, nothing started.
                String message = e.getMessage();
                int reason = message.indexOf("': ");  // after Operaton's "... process definition with id '...'"
                out.println("hostile: refused: " + (reason >= 0 ? message.substring(reason + 3) : message));
            }
        } finally {
            engine.close();
        }
    }

    public static void main(String[] args) {
        run(System.out);
    }
}
