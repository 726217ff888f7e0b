package org.pysandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.script.Bindings;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.operaton.bpm.engine.ProcessEngine;
import org.operaton.bpm.engine.ProcessEngineConfiguration;
import org.operaton.bpm.engine.ScriptEvaluationException;
import org.operaton.bpm.engine.impl.cfg.ProcessEngineConfigurationImpl;
import org.operaton.bpm.engine.runtime.ProcessInstance;
import org.operaton.bpm.engine.task.Task;
import org.operaton.bpm.model.bpmn.Bpmn;
import org.operaton.bpm.model.bpmn.BpmnModelInstance;

/**
 * pysandbox inside a real Operaton 1.0 process engine (in-memory H2, no job executor), with BPMN models
 * built in code whose script tasks and conditions say {@code pysandbox}. Operaton looks the engine up
 * through its {@code ScriptEngineManager}, caches it (THREADING is set), compiles scripts
 * ({@code Compilable}) and evaluates them with {@code ScriptBindings}: the process variables resolved
 * through {@code VariableScopeResolver}, plus {@code execution}. Every process below stops at a user task
 * so that its variables can be read back from the runtime service.
 *
 * <p>Configuration goes where an Operaton user can put it without touching process data: the global
 * bindings of Operaton's own {@code ScriptEngineManager} (GLOBAL_SCOPE attributes) or system properties.
 */
class OperatonHostTest {
    private static ProcessEngineConfigurationImpl configuration;
    private static ProcessEngine engine;

    @BeforeAll
    static void startEngine() {
        configuration = (ProcessEngineConfigurationImpl) ProcessEngineConfiguration
                .createStandaloneInMemProcessEngineConfiguration()
                .setJdbcUrl("jdbc:h2:mem:operaton-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1")
                .setDatabaseSchemaUpdate(ProcessEngineConfiguration.DB_SCHEMA_UPDATE_CREATE_DROP)
                .setJobExecutorActivate(false)
                .setHistory(ProcessEngineConfiguration.HISTORY_NONE)
                .setProcessEngineName("pysandbox-host-test");
        configuration.setHistoryTimeToLive("P1D");
        engine = configuration.buildProcessEngine();
    }

    @AfterAll
    static void stopEngine() {
        if (engine != null) {
            engine.close();
        }
    }

    /** Attributes a test put into Operaton's global script bindings, removed after each test. */
    private final List<String> globals = new ArrayList<>();

    /**
     * A generous limit for every test that is not about the limit: the first script of each confinement
     * starts an interpreter, which takes seconds on a busy machine, and the default 5 s would fail it.
     */
    @BeforeEach
    void roomyTimeout() {
        global("pysandbox.timeout", "60s");
    }

    @AfterEach
    void clearGlobals() {
        globals.forEach(globalBindings()::remove);
        configuration.setAutoStoreScriptVariables(false);
    }

    private static Bindings globalBindings() {
        return configuration.getScriptingEngines().getScriptEngineManager().getBindings();
    }

    private void global(String attribute, Object value) {
        globalBindings().put(attribute, value);
        globals.add(attribute);
    }

    /** start -> script task (pysandbox, result in "result") -> user task "wait". */
    private static String deployScriptTask(String script) {
        String key = "p" + UUID.randomUUID().toString().replace("-", "");
        BpmnModelInstance model = Bpmn.createExecutableProcess(key)
                .startEvent()
                .scriptTask("script").scriptFormat("pysandbox").scriptText(script).operatonResultVariable("result")
                .userTask("wait")
                .endEvent()
                .done();
        engine.getRepositoryService().createDeployment().addModelInstance(key + ".bpmn", model).deploy();
        return key;
    }

    private static ProcessInstance start(String key, Map<String, Object> variables) {
        return engine.getRuntimeService().startProcessInstanceByKey(key, variables);
    }

    private static Object variable(ProcessInstance instance, String name) {
        return engine.getRuntimeService().getVariable(instance.getId(), name);
    }

    @Test
    void aProcessVariableNamedLikeASettingGrantsNothingWhenSettingsComeFromGlobalScope() {
        // Attack from reading ScriptBindings: Operaton's ENGINE_SCOPE is the process variables, and settings
        // are read from ENGINE_SCOPE first by default. Whoever can start a process with variables (a REST
        // call) could widen the sandbox by naming a variable pysandbox.hostAccess or pysandbox.timeout.
        // pysandbox.settingsFrom=global (set by the host in the global bindings) closes that: both stay refused.
        global("pysandbox.settingsFrom", "global");
        String key = deployScriptTask("execution.setVariable('greeting', 'pwned')");
        assertThatThrownBy(() -> start(key, Map.of("pysandbox.hostAccess", SET_VARIABLE)))
                .isInstanceOf(ScriptEvaluationException.class)
                .hasMessageContaining("pysandbox.hostAccess");
        assertThat(engine.getRuntimeService().createVariableInstanceQuery().variableName("greeting").count()).isZero();
        global("pysandbox.timeout", "300ms");
        String loop = deployScriptTask("while True:\n    pass");
        assertThatThrownBy(() -> start(loop, Map.of("pysandbox.timeout", "0")))
                .isInstanceOf(ScriptEvaluationException.class)
                .hasMessageContaining("ran longer than");
    }

    @Test
    void scriptTaskResultBecomesTheResultVariable() {
        // Proves: Operaton finds the engine by scriptFormat, passes process variables as bindings, and
        // stores the value of the last expression (eval's return value) in resultVariable.
        String key = deployScriptTask("sum(i['qty'] * i['price'] for i in items) + shipping");
        ProcessInstance instance = start(key, Map.of(
                "items", List.of(Map.of("qty", 2, "price", 10), Map.of("qty", 1, "price", 5)),
                "shipping", 7));
        assertThat(variable(instance, "result")).isEqualTo(32);
        assertThat(currentTask(instance)).isEqualTo("wait");
    }

    @Test
    void gatewayConditionIsAPysandboxExpression() {
        // Proves: a sequence flow condition with language="pysandbox" is evaluated by the engine and its
        // Boolean result routes the token (Operaton's ScriptCondition).
        // Written as XML: the model API's condition() makes a JUEL expression and leaves out the
        // xsi:type="tFormalExpression" that a language attribute needs, and cannot declare its prefix.
        String key = "g" + UUID.randomUUID().toString().replace("-", "");
        String big = "amount &gt; 100 and customer['tier'] != 'blocked'";
        String xml = """
                <definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL"
                    xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" targetNamespace="test">
                  <process id="%s" isExecutable="true">
                    <startEvent id="start"/>
                    <sequenceFlow id="f0" sourceRef="start" targetRef="route"/>
                    <exclusiveGateway id="route"/>
                    <sequenceFlow id="toBig" sourceRef="route" targetRef="big">
                      <conditionExpression xsi:type="tFormalExpression" language="pysandbox">%s</conditionExpression>
                    </sequenceFlow>
                    <sequenceFlow id="toSmall" sourceRef="route" targetRef="small">
                      <conditionExpression xsi:type="tFormalExpression" language="pysandbox">not (%s)</conditionExpression>
                    </sequenceFlow>
                    <userTask id="big"/>
                    <userTask id="small"/>
                  </process>
                </definitions>
                """.formatted(key, big, big);
        engine.getRepositoryService().createDeployment().addString(key + ".bpmn", xml).deploy();

        assertThat(currentTask(start(key, Map.of("amount", 250, "customer", Map.of("tier", "gold"))))).isEqualTo("big");
        assertThat(currentTask(start(key, Map.of("amount", 250, "customer", Map.of("tier", "blocked"))))).isEqualTo("small");
        assertThat(currentTask(start(key, Map.of("amount", 20, "customer", Map.of("tier", "gold"))))).isEqualTo("small");
    }

    private static String currentTask(ProcessInstance instance) {
        Task task = engine.getTaskService().createTaskQuery().processInstanceId(instance.getId()).singleResult();
        return task.getTaskDefinitionKey();
    }

    @Test
    void blockedImportFailsTheTaskAsOperatonsScriptEvaluationException() {
        // Proves: a refusal reaches Operaton as a ScriptException, which Operaton turns into its normal
        // failure (ScriptEvaluationException rolls the start back: no instance, no file).
        String key = deployScriptTask("import os\nos.system('touch /tmp/pysandbox-operaton-escape')");
        assertThatThrownBy(() -> start(key, Map.of()))
                .isInstanceOf(ScriptEvaluationException.class)
                .hasMessageContaining("import of module 'os' is blocked by the sandbox");
        assertThat(new java.io.File("/tmp/pysandbox-operaton-escape")).doesNotExist();
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count()).isZero();
    }

    @Test
    void timeoutFromTheGlobalBindingsStopsARunawayTask() {
        // Proves: pysandbox.timeout set once for every script of this process engine (a GLOBAL_SCOPE
        // attribute of Operaton's ScriptEngineManager) stops a loop, and the task fails normally.
        global("pysandbox.timeout", "300ms");
        String key = deployScriptTask("while True:\n    pass");
        long start = System.nanoTime();
        assertThatThrownBy(() -> start(key, Map.of()))
                .isInstanceOf(ScriptEvaluationException.class)
                .hasMessageContaining("ran longer than");
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start)).isLessThan(30);
    }

    @Test
    void timeoutFromASystemProperty() {
        // Proves: with no attribute anywhere, the system property of the same name applies.
        globalBindings().remove("pysandbox.timeout");
        String key = deployScriptTask("while True:\n    pass");
        String before = System.setProperty("pysandbox.timeout", "300ms");
        try {
            assertThatThrownBy(() -> start(key, Map.of()))
                    .isInstanceOf(ScriptEvaluationException.class)
                    .hasMessageContaining("ran longer than");
        } finally {
            if (before == null) {
                System.clearProperty("pysandbox.timeout");
            } else {
                System.setProperty("pysandbox.timeout", before);
            }
        }
    }

    @Test
    void processInstancesOnSeveralThreadsRunConcurrently() throws Exception {
        // Proves: one cached engine (Operaton keeps one per language) serves several process instances
        // started from several threads at once, each with its own variables and result.
        String key = deployScriptTask("'%s:%d' % (name, n * n)");
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Object>> results = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                int n = i;
                results.add(pool.submit(() -> variable(start(key, Map.of("name", "t" + n, "n", n)), "result")));
            }
            for (int i = 0; i < 12; i++) {
                assertThat(results.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("t" + i + ":" + (i * i));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void autoStoreScriptVariablesKeepsDataAndSurvivesATopLevelDef() {
        // Proves: with autoStoreScriptVariables, Operaton's ScriptBindings.put stores every name the script
        // binds as a process variable. Data goes back; a top-level def (a script object Operaton cannot
        // serialize) must not fail the task.
        configuration.setAutoStoreScriptVariables(true);
        String key = deployScriptTask("""
                def double(x):
                    return 2 * x
                doubled = [double(v) for v in values]
                label = 'n=%d' % len(doubled)
                label
                """);
        ProcessInstance instance = start(key, Map.of("values", List.of(1, 2, 3)));
        assertThat(variable(instance, "doubled")).isEqualTo(List.of(2, 4, 6));
        assertThat(variable(instance, "label")).isEqualTo("n=3");
        assertThat(variable(instance, "result")).isEqualTo("n=3");
        assertThat(engine.getRuntimeService().getVariables(instance.getId())).doesNotContainKey("double");
    }

    @Test
    void setVariableOnExecutionIsRefusedByDefaultNamingTheSignature() {
        // Proves: execution is a host object whose mutators are not callable unless the host allows them;
        // the refusal names a rule for that exact overload, and nothing was stored (the start rolled back).
        // ExecutionEntity inherits setVariable(String, Object) from several interfaces; the refusal names
        // one of them (today PvmExecution's), and a rule for any of them, VariableScope's included, allows it.
        String key = deployScriptTask("execution.setVariable('greeting', 'hi ' + name)");
        assertThatThrownBy(() -> start(key, Map.of("name", "Ada")))
                .isInstanceOf(ScriptEvaluationException.class)
                .hasMessageContaining("allow it with pysandbox.hostAccess")
                .hasMessageMatching("(?s).*org\\.operaton\\.bpm\\.engine\\.[\\w.]+#setVariable\\(java\\.lang\\.String,java\\.lang\\.Object\\).*");
        assertThat(engine.getRuntimeService().createProcessInstanceQuery().processDefinitionKey(key).count()).isZero();
    }

    @Test
    void setVariableOnExecutionWorksWhenTheHostAllowsIt() {
        // Proves: one allow-list line (pysandbox.hostAccess, here for every script of this process engine)
        // makes execution.setVariable callable, and the variable lands in the process instance.
        global("pysandbox.hostAccess", SET_VARIABLE);
        String key = deployScriptTask("execution.setVariable('greeting', 'hi ' + name)\n'done'");
        ProcessInstance instance = start(key, Map.of("name", "Ada"));
        assertThat(variable(instance, "greeting")).isEqualTo("hi Ada");
        assertThat(variable(instance, "result")).isEqualTo("done");
    }

    @Test
    void hostCallsThroughExecutionSeeOperatonsThreadLocalContext() {
        // Proves: host methods run on the thread that called eval. ExecutionEntity.getProcessEngine() reads
        // Operaton's thread-local Context, which exists only on the thread running the command; on another
        // thread it throws a NullPointerException.
        global("pysandbox.hostAccess", String.join(";",
                "org.operaton.bpm.engine.delegate.ProcessEngineServicesAware#getProcessEngine,getProcessEngineServices",
                "org.operaton.bpm.engine.ProcessEngine#getName",
                "org.operaton.bpm.engine.delegate.VariableScope#getVariable(java.lang.String)"));
        String key = deployScriptTask(
                "'%s/%s' % (execution.getProcessEngine().getName(), execution.getVariable('name'))");
        ProcessInstance instance = start(key, Map.of("name", "Ada"));
        assertThat(variable(instance, "result")).isEqualTo("pysandbox-host-test/Ada");
    }

    static final String SET_VARIABLE =
            "org.operaton.bpm.engine.delegate.VariableScope#setVariable(java.lang.String,java.lang.Object)";
}
