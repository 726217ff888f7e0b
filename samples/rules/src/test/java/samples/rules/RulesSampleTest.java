package samples.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Runs the rule-engine sample over the rules it ships, and checks its report. */
class RulesSampleTest {
    @Test
    void sampleRulesFireAsDocumentedAndHostileRulesAreRefused() throws Exception {
        Map<String, List<String>> report = RulesSample.evaluate(RulesSample.shippedRules());
        String sneaky = "sneaky: refused (SandboxViolationException)";
        String runaway = "runaway: refused (ScriptTimeoutException)";
        assertThat(report).containsOnlyKeys("A-1", "B-2", "C-3");
        assertThat(report.get("A-1")).containsExactly("big-order", "loyal-customer", "eu-shipping", "bulk-item",
                sneaky, runaway);
        assertThat(report.get("B-2")).containsExactly(sneaky, runaway);
        assertThat(report.get("C-3")).containsExactly("loyal-customer", "eu-shipping", "free-gift", sneaky,
                runaway);
    }
}
