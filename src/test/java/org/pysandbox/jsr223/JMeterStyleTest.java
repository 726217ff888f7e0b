package org.pysandbox.jsr223;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import javax.script.Bindings;
import javax.script.Compilable;
import javax.script.CompiledScript;
import javax.script.ScriptContext;
import javax.script.ScriptEngine;
import javax.script.ScriptEngineManager;
import javax.script.SimpleScriptContext;

import org.junit.jupiter.api.Test;

/**
 * What JMeter's JSR223 samplers do: a static manager, an engine looked up per sample, fresh Bindings per
 * sample, and one CompiledScript cached globally by the MD5 of its text and evaluated from every thread.
 */
class JMeterStyleTest {
    private static final ScriptEngineManager MANAGER = new ScriptEngineManager();
    private static final Map<String, CompiledScript> CACHE = new ConcurrentHashMap<>();

    private static final String SCRIPT = """
            label = '%s-%d' % (Label, iteration)
            print(label)
            result = sum(vars['values']) * threadNum + iteration
            result
            """;

    private static String md5(String text) throws Exception {
        byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
        return new BigInteger(1, digest).toString(16);
    }

    @Test
    void eightThreadsThousandSamplesEachOneCachedCompiledScript() throws Exception {
        int threads = 8;
        int samples = 1000;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long start = System.nanoTime();
        try {
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int threadNum = t + 1;
                done.add(pool.submit(() -> {
                    StringWriter out = new StringWriter();
                    Map<String, Object> vars = new HashMap<>();
                    vars.put("values", List.of(threadNum, threadNum * 10));
                    StringBuilder expectedOut = new StringBuilder();
                    for (int i = 0; i < samples; i++) {
                        ScriptEngine engine = MANAGER.getEngineByName("pysandbox");
                        Bindings b = engine.createBindings();
                        b.put("Label", "T" + threadNum);
                        b.put("iteration", i);
                        b.put("threadNum", threadNum);
                        b.put("vars", vars);
                        b.put(ContextConfig.FEATURES, "stdout");
                        CompiledScript script = CACHE.computeIfAbsent(md5(SCRIPT), k -> {
                            try {
                                return ((Compilable) engine).compile(SCRIPT);
                            } catch (Exception e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        ScriptContext ctx = new SimpleScriptContext();
                        ctx.setBindings(b, ScriptContext.ENGINE_SCOPE);
                        ctx.setWriter(out);
                        Object result = script.eval(ctx);
                        int expected = (threadNum + threadNum * 10) * threadNum + i;
                        assertThat(result).isEqualTo(expected);
                        assertThat(b.get("result")).isEqualTo(expected);
                        assertThat(b.get("label")).isEqualTo("T" + threadNum + "-" + i);
                        expectedOut.append("T").append(threadNum).append('-').append(i).append('\n');
                    }
                    assertThat(out.toString()).isEqualTo(expectedOut.toString());
                    return samples;
                }));
            }
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get(170, TimeUnit.SECONDS);
            }
            assertThat(total).isEqualTo(threads * samples);
        } finally {
            pool.shutdownNow();
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        PySandboxEngine compiling = (PySandboxEngine) CACHE.values().iterator().next().getEngine();
        System.out.printf("JMeter-style: %d evaluations in %d ms on %d interpreters%n", threads * samples, ms,
                compiling.interpreterCount());
        assertThat(CACHE).hasSize(1);
        // at most one interpreter per thread for the samples' confinement, plus the one compile() checked with
        assertThat(compiling.interpreterCount()).isBetween(2, threads + 1);
        compiling.close();
    }
}
