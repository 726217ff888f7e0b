package org.pysandbox.hosts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;

import org.apache.jmeter.control.LoopController;
import org.apache.jmeter.engine.StandardJMeterEngine;
import org.apache.jmeter.protocol.java.sampler.JSR223Sampler;
import org.apache.jmeter.samplers.SampleEvent;
import org.apache.jmeter.samplers.SampleListener;
import org.apache.jmeter.samplers.SampleResult;
import org.apache.jmeter.testelement.AbstractTestElement;
import org.apache.jmeter.testelement.TestPlan;
import org.apache.jmeter.threads.JMeterContext;
import org.apache.jmeter.threads.JMeterContextService;
import org.apache.jmeter.threads.JMeterVariables;
import org.apache.jmeter.threads.ThreadGroup;
import org.apache.jmeter.util.JMeterUtils;
import org.apache.jorphan.collections.HashTree;
import org.apache.jorphan.collections.ListedHashTree;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * pysandbox inside Apache JMeter 5.6.3: JSR223 samplers with language {@code pysandbox}, driven the way
 * JMeter's threads drive them (a sampler clone per thread, {@code JMeterContextService}'s thread-local
 * context, fresh Bindings per sample holding {@code vars}, {@code ctx}, {@code log}, {@code props},
 * {@code sampler}, {@code Label}, ...), and once through {@link StandardJMeterEngine} with a test plan
 * built in code. JMeter needs only a home directory with a {@code jmeter.properties} to run headless.
 *
 * <p>Configuration goes where a JMeter user puts it: system properties ({@code jmeter -Dpysandbox.x=...}
 * or {@code bin/system.properties}); JMeter's own {@code -J} properties are the {@code props} binding,
 * data the script reads, not engine attributes.
 */
class JMeterHostTest {
    static final String VARS_GET_PUT = "org.apache.jmeter.threads.JMeterVariables#get,put";
    static final String VARS_PUT_SIGNATURE = "org.apache.jmeter.threads.JMeterVariables#put(java.lang.String,java.lang.String)";

    @TempDir
    static Path jmeterHome;

    @BeforeAll
    static void minimalJMeterHome() throws Exception {
        Path bin = Files.createDirectories(jmeterHome.resolve("bin"));
        Path properties = Files.writeString(bin.resolve("jmeter.properties"), "greeting=hello from props\n");
        JMeterUtils.setJMeterHome(jmeterHome.toString());
        JMeterUtils.loadJMeterProperties(properties.toString());
        JMeterUtils.initLocale();
    }

    private final List<String> properties = new ArrayList<>();

    private void systemProperty(String name, String value) {
        System.setProperty(name, value);
        properties.add(name);
    }

    @BeforeEach
    void freshThreadContext() {
        // none of these tests is about the time limit; the first sample of each confinement starts an
        // interpreter, which takes seconds on a busy machine
        systemProperty("pysandbox.timeout", "60s");
        JMeterContext context = JMeterContextService.getContext();
        context.setVariables(new JMeterVariables());
    }

    @AfterEach
    void clearSystemProperties() {
        properties.forEach(System::clearProperty);
        JMeterContextService.getContext().clear();
    }

    /**
     * A JSR223 sampler as the GUI saves it. It is a TestBean: JMeter's engine copies the element's
     * properties into its fields before each run (TestBeanHelper), so they are set both ways here.
     */
    private static JSR223Sampler sampler(String name, String script, boolean cache) {
        JSR223Sampler sampler = new JSR223Sampler();
        sampler.setName(name);
        bean(sampler, "scriptLanguage", "pysandbox");
        bean(sampler, "script", script);
        bean(sampler, "cacheKey", Boolean.toString(cache));
        bean(sampler, "parameters", "alpha beta");
        bean(sampler, "filename", "");
        return sampler;
    }

    private static void bean(JSR223Sampler sampler, String property, String value) {
        sampler.setProperty(property, value);
        switch (property) {
            case "scriptLanguage" -> sampler.setScriptLanguage(value);
            case "script" -> sampler.setScript(value);
            case "cacheKey" -> sampler.setCacheKey(value);
            case "parameters" -> sampler.setParameters(value);
            case "filename" -> sampler.setFilename(value);
            default -> throw new IllegalArgumentException(property);
        }
    }

    /** One sample on this thread, as a JMeterThread does it: the sampler is the context's current one. */
    private static SampleResult sample(JSR223Sampler sampler) {
        JMeterContextService.getContext().setCurrentSampler(sampler);
        return sampler.sample(null);
    }

    @Test
    void dataBindingsAreReadable() {
        // Proves: JMeter's plain-data bindings reach the script: Label, Parameters, args (a String[]) and
        // props (java.util.Properties, a Map), and the last expression becomes the response data.
        SampleResult result = sample(sampler("data", "'%s|%s|%s|%s' % (Label, Parameters, args[1], props['greeting'])", true));
        assertThat(result.isSuccessful()).as(result.getResponseMessage()).isTrue();
        assertThat(result.getResponseDataAsString()).isEqualTo("data|alpha beta|beta|hello from props");
    }

    @Test
    void hostObjectBindingsAreUsableWithTheAllowList() {
        // Proves: the host-object bindings (vars, ctx, log, sampler) answer the calls the allow-list names,
        // and those calls run on the sampling thread: JMeterVariables.getThreadName() reads
        // Thread.currentThread(), so it names the JMeter thread, not a pysandbox worker.
        systemProperty("pysandbox.hostAccess", String.join(";", VARS_GET_PUT,
                "org.apache.jmeter.threads.JMeterVariables#getThreadName",
                "org.apache.jmeter.threads.JMeterContext#getThreadNum",
                "org.apache.jmeter.testelement.TestElement#getName",
                "org.slf4j.Logger#info(java.lang.String)"));
        JMeterContextService.getContext().getVariables().put("user", "ada");
        String script = """
                log.info('sampling for ' + vars.get('user'))
                '%s|%s|%d|%s' % (vars.get('user'), sampler.getName(), ctx.getThreadNum(), vars.getThreadName())
                """;
        SampleResult result = sample(sampler("hosts", script, true));
        assertThat(result.isSuccessful()).as(result.getResponseMessage()).isTrue();
        assertThat(result.getResponseDataAsString())
                .isEqualTo("ada|hosts|0|" + Thread.currentThread().getName());
    }

    @Test
    void varsPutWorksWhenAllowed() {
        // Proves: vars.put, allowed by one rule, changes the thread's JMeterVariables.
        systemProperty("pysandbox.hostAccess", VARS_GET_PUT);
        JMeterVariables vars = JMeterContextService.getContext().getVariables();
        vars.put("user", "ada");
        SampleResult result = sample(sampler("put", "vars.put('greeting', 'hi ' + vars.get('user'))", true));
        assertThat(result.isSuccessful()).as(result.getResponseMessage()).isTrue();
        assertThat(vars.get("greeting")).isEqualTo("hi ada");
    }

    @Test
    void varsPutIsAFailedSampleWithoutTheAllowList() {
        // Proves: without the rule, the call is refused, JMeter records a failed sample whose message names
        // the signature to allow, and the variables are unchanged.
        JMeterVariables vars = JMeterContextService.getContext().getVariables();
        SampleResult result = sample(sampler("refused-put", "vars.put('greeting', 'hi')", true));
        assertThat(result.isSuccessful()).isFalse();
        assertThat(result.getResponseMessage()).contains(VARS_PUT_SIGNATURE);
        assertThat(vars.get("greeting")).isNull();
    }

    @Test
    void blockedImportIsAFailedSample() {
        // Proves: a sandbox refusal is JMeter's ordinary failed sample (response code 500, the message in
        // the response message), not an exception out of the sampler; nothing ran.
        SampleResult result = sample(sampler("escape",
                "import os\nos.system('touch /tmp/pysandbox-jmeter-escape')", true));
        assertThat(result.isSuccessful()).isFalse();
        assertThat(result.getResponseCode()).isEqualTo("500");
        assertThat(result.getResponseMessage()).contains("import of module 'os' is blocked by the sandbox");
        assertThat(new java.io.File("/tmp/pysandbox-jmeter-escape")).doesNotExist();
    }

    @Test
    void compiledScriptCacheOnAndOff() {
        // Proves: with "cache compiled script" on, JMeter compiles once (Compilable) and evaluates the
        // CompiledScript with each sample's bindings; off, it calls eval on a new engine for every sample,
        // which costs a new interpreter per sample unless the engines name a tenant (pysandbox.tenant), whose
        // warm interpreters they then share. All three give each sample its own Parameters; the time per
        // sample is printed.
        runSamples("cache on", true, 20);
        runSamples("cache off", false, 2);
        systemProperty("pysandbox.tenant", "jmeter-host-test");
        runSamples("cache off, pysandbox.tenant", false, 20);
    }

    private static void runSamples(String label, boolean cache, int samples) {
        long start = System.nanoTime();
        for (int i = 0; i < samples; i++) {
            JSR223Sampler sampler = sampler("cache-" + cache, "int(Parameters) * 2", cache);
            bean(sampler, "parameters", Integer.toString(i));
            SampleResult result = sample(sampler);
            assertThat(result.isSuccessful()).as(result.getResponseMessage()).isTrue();
            assertThat(result.getResponseDataAsString()).isEqualTo(Integer.toString(2 * i));
        }
        System.out.printf("JMeterHostTest: %s: %.1f ms per sample (%d samples, first included)%n",
                label, (System.nanoTime() - start) / 1e6 / samples, samples);
    }

    /** Collects every sample of a plan run; JMeter clones test elements per thread, so the queue is static. */
    public static final class Collector extends AbstractTestElement implements SampleListener {
        static final Queue<SampleResult> RESULTS = new ConcurrentLinkedQueue<>();

        @Override
        public void sampleOccurred(SampleEvent event) {
            RESULTS.add(event.getResult());
        }

        @Override
        public void sampleStarted(SampleEvent event) {
        }

        @Override
        public void sampleStopped(SampleEvent event) {
        }
    }

    @Test
    void aTestPlanOnThreeThreadsThroughStandardJMeterEngine() {
        // Proves: a plan built in code and run by JMeter's own engine (3 threads x 5 loops, cached compiled
        // script) gives every sample its own thread's variables, and vars.put from one thread stays in
        // that thread's JMeterVariables.
        systemProperty("pysandbox.hostAccess", VARS_GET_PUT + ";org.apache.jmeter.threads.JMeterVariables#getIteration,getThreadName");
        Collector.RESULTS.clear();
        JSR223Sampler sampler = sampler("plan", """
                count = int(vars.get('count') or '0') + 1
                vars.put('count', str(count))
                '%s#%d' % (vars.getThreadName(), count)
                """, true);
        LoopController loop = new LoopController();
        loop.setLoops(5);
        loop.setFirst(true);
        loop.initialize();
        ThreadGroup group = new ThreadGroup();
        group.setName("group");
        group.setNumThreads(3);  // each thread warms its own interpreter: seconds each on 2 cores
        group.setRampUp(0);
        group.setSamplerController(loop);
        HashTree plan = new ListedHashTree();  // the engine's tree type: it keeps the order of elements
        HashTree groupTree = plan.add(new TestPlan("pysandbox plan")).add(group);
        groupTree.add(sampler);
        groupTree.add(new Collector());

        StandardJMeterEngine engine = new StandardJMeterEngine();
        engine.configure(plan);
        engine.run();

        assertThat(Collector.RESULTS).hasSize(15).allSatisfy(r -> assertThat(r.isSuccessful()).as(r.getResponseMessage()).isTrue());
        List<String> answers = Collector.RESULTS.stream().map(SampleResult::getResponseDataAsString).sorted().toList();
        Consumer<Integer> thread = t -> assertThat(answers).containsSubsequence(
                "group " + 1 + "-" + t + "#1", "group 1-" + t + "#2", "group 1-" + t + "#3", "group 1-" + t + "#4",
                "group 1-" + t + "#5");
        for (int t = 1; t <= 3; t++) {
            thread.accept(t);
        }
    }
}
