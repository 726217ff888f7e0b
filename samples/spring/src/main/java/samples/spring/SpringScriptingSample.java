package samples.spring;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.ClassPathResource;
import org.springframework.scripting.ScriptEvaluator;
import org.springframework.scripting.ScriptSource;
import org.springframework.scripting.support.ResourceScriptSource;
import org.springframework.scripting.support.StandardScriptEvaluator;
import org.springframework.scripting.support.StandardScriptFactory;

/**
 * A small Spring application whose business rules are Python files run by the pysandbox engine through
 * Spring's own javax.script support: a bean implemented by a script ({@link StandardScriptFactory}) and a
 * script evaluated per call ({@link StandardScriptEvaluator}). Spring needs no pysandbox-specific code:
 * it finds the engine by the name {@code pysandbox}.
 */
public final class SpringScriptingSample {

    /** Implemented by the Python function {@code discount} in samples/spring/discount.py. */
    public interface DiscountPolicy {
        double discount(double total, String tier);
    }

    /** Uses both scripted rules; plain Spring wiring. */
    public static final class CheckoutService {
        private final DiscountPolicy discounts;
        private final ScriptEvaluator evaluator;
        private final ScriptSource shipping = new ResourceScriptSource(new ClassPathResource("samples/spring/shipping.py"));

        public CheckoutService(DiscountPolicy discounts, ScriptEvaluator evaluator) {
            this.discounts = discounts;
            this.evaluator = evaluator;
        }

        public String quote(double total, String tier, List<Map<String, Object>> items) {
            double discount = discounts.discount(total, tier);
            Object shippingCost = evaluator.evaluate(shipping, Map.of("order", Map.of("items", items)));
            return String.format("total %.2f - discount %.2f + shipping %.2f", total, discount,
                    ((Number) shippingCost).doubleValue());
        }
    }

    @Configuration
    public static class AppConfig {
        @Bean
        public DiscountPolicy discountPolicy() throws Exception {
            StandardScriptFactory factory = new StandardScriptFactory("pysandbox", "classpath:samples/spring/discount.py",
                    DiscountPolicy.class);
            return (DiscountPolicy) factory.getScriptedObject(
                    new ResourceScriptSource(new ClassPathResource("samples/spring/discount.py")), DiscountPolicy.class);
        }

        @Bean
        public ScriptEvaluator pythonEvaluator() {
            StandardScriptEvaluator evaluator = new StandardScriptEvaluator();
            evaluator.setEngineName("pysandbox");
            return evaluator;
        }

        @Bean
        public CheckoutService checkoutService(DiscountPolicy discountPolicy, ScriptEvaluator pythonEvaluator) {
            return new CheckoutService(discountPolicy, pythonEvaluator);
        }
    }

    private SpringScriptingSample() {
    }

    public static void main(String[] args) {
        run(System.out);
    }

    public static void run(PrintStream out) {
        try (AnnotationConfigApplicationContext spring = new AnnotationConfigApplicationContext(AppConfig.class)) {
            CheckoutService checkout = spring.getBean(CheckoutService.class);
            List<Map<String, Object>> light = List.of(Map.of("name", "book", "weight", 1.0));
            List<Map<String, Object>> heavy = List.of(Map.of("name", "desk", "weight", 20.0), Map.of("name", "lamp", "weight", 2.0));
            out.println("silver, light: " + checkout.quote(100.0, "silver", light));
            out.println("gold, heavy:   " + checkout.quote(1200.0, "gold", heavy));
            out.println("discount bean is a " + (spring.getBean(DiscountPolicy.class) instanceof java.lang.reflect.Proxy
                    ? "Java proxy over the Python function" : spring.getBean(DiscountPolicy.class).getClass()));
        }
    }
}
