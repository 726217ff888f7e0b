package org.pysandbox.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One entry of the host-access allow-list ({@code pysandbox.hostAccess}): host methods a script may call,
 * named the way Jenkins script-security names approved signatures.
 *
 * <ul>
 * <li>{@code com.example.Type#name(java.lang.String,int)} one overload;</li>
 * <li>{@code com.example.Type#name} every overload of {@code name};</li>
 * <li>{@code com.example.Type#get,put} several names at once (one rule per name);</li>
 * <li>{@code com.example.Type} or {@code com.example.Type#*} every public method the type declares.</li>
 * </ul>
 *
 * The type is the one that <em>declares</em> the method, anywhere in the hierarchy of the object's class:
 * allowing {@code VariableScope#setVariable} lets a script call it on any implementation of that interface.
 * Nested classes use their binary name ({@code Outer$Inner}).
 *
 * @param className binary name of the declaring class or interface
 * @param method    method name, or {@code "*"} for every public method the type declares
 * @param parameterTypes parameter type names ({@code java.lang.String}, {@code int}, {@code byte[]}), or
 *                  null for every overload
 */
public record HostAccessRule(String className, String method, List<String> parameterTypes) {
    private static final String JAVA_NAME = "[\\p{L}_$][\\p{L}\\p{N}_$]*";
    private static final Pattern CLASS = Pattern.compile(JAVA_NAME + "(\\." + JAVA_NAME + ")*");
    private static final Pattern METHOD = Pattern.compile(JAVA_NAME + "|\\*");
    private static final Pattern TYPE = Pattern.compile(JAVA_NAME + "(\\." + JAVA_NAME + ")*(\\[\\])*");

    public HostAccessRule {
        Objects.requireNonNull(className, "className");
        Objects.requireNonNull(method, "method");
        if (!CLASS.matcher(className).matches()) {
            throw new SandboxConfigurationException("invalid class name '" + className + "' in a host-access rule");
        }
        if (!METHOD.matcher(method).matches()) {
            throw new SandboxConfigurationException("invalid method name '" + method + "' in a host-access rule");
        }
        if (parameterTypes != null) {
            if ("*".equals(method)) {
                throw new SandboxConfigurationException("a host-access rule for every method ('*') takes no parameter "
                        + "types: " + className + "#*");
            }
            for (String type : parameterTypes) {
                if (!TYPE.matcher(type).matches()) {
                    throw new SandboxConfigurationException("invalid parameter type '" + type + "' in a host-access "
                            + "rule for " + className + "#" + method);
                }
            }
            parameterTypes = List.copyOf(parameterTypes);
        }
    }

    /**
     * Parses one rule as written in {@code pysandbox.hostAccess}; {@code Type#a,b} gives one rule per name.
     *
     * @throws SandboxConfigurationException naming the expected form when the text is not a rule
     */
    public static List<HostAccessRule> parse(String text) {
        String rule = Objects.requireNonNull(text, "rule").strip().replaceAll("\\s*([,()#])\\s*", "$1");
        int hash = rule.indexOf('#');
        if (hash < 0) {
            return List.of(new HostAccessRule(rule, "*", null));
        }
        String className = rule.substring(0, hash);
        String members = rule.substring(hash + 1);
        int open = members.indexOf('(');
        if (open >= 0) {
            if (!members.endsWith(")")) {
                throw new SandboxConfigurationException("invalid host-access rule '" + text + "': expected "
                        + "Type#method(param.Type,...)");
            }
            String params = members.substring(open + 1, members.length() - 1);
            List<String> types = new ArrayList<>();
            for (String p : params.split(",")) {
                if (!p.isEmpty()) {
                    types.add(p);
                }
            }
            return List.of(new HostAccessRule(className, members.substring(0, open), types));
        }
        List<HostAccessRule> rules = new ArrayList<>();
        for (String name : members.split(",")) {
            if (!name.isEmpty()) {
                rules.add(new HostAccessRule(className, name, null));
            }
        }
        if (rules.isEmpty()) {
            throw new SandboxConfigurationException("invalid host-access rule '" + text + "': no method after '#'");
        }
        return rules;
    }

    /** True when this rule covers every public method its type declares. */
    public boolean wholeClass() {
        return "*".equals(method);
    }

    /** The rule as written in {@code pysandbox.hostAccess}. */
    @Override
    public String toString() {
        if (parameterTypes == null) {
            return className + "#" + method;
        }
        return className + "#" + method + "(" + String.join(",", parameterTypes) + ")";
    }
}
