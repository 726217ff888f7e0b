package org.pysandbox.error;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the user configures the sandbox, so that a refusal's hint names what that user can change: a CLI
 * option on the command line, a {@code pysandbox.*} attribute through javax.script, a builder method in the
 * Java API. The guest reports the setting in the Java API's words ({@code feature 'os'},
 * {@code allowModule('os', ...)}, {@code allowPath('/x')}); {@link #render} translates it.
 */
public enum Surface {
    JAVA_API, JAVAX_SCRIPT, COMMAND_LINE;

    private static final Pattern FEATURE = Pattern.compile("feature '([^']*)'");
    private static final Pattern MODULE = Pattern.compile("allowModule\\('([^']*)'(?:, (\\.\\.\\.|'([^']*)'))?\\)");
    private static final Pattern PATH = Pattern.compile("allowPath\\('(.*)'\\)");

    /** The setting in this surface's words; a setting of an unknown form is returned as it is. */
    public String render(String setting) {
        if (setting == null) {
            return null;
        }
        Matcher m = FEATURE.matcher(setting);
        if (m.matches()) {
            String f = m.group(1);
            return switch (this) {
                case JAVA_API -> "enable(\"" + f + "\")";
                case JAVAX_SCRIPT -> "pysandbox.features=\"" + f + "\"";
                case COMMAND_LINE -> "-f " + f;
            };
        }
        m = MODULE.matcher(setting);
        if (m.matches()) {
            String module = m.group(1);
            String symbol = m.group(3);
            return switch (this) {
                case JAVA_API -> "allowModule(\"" + module + "\", " + (symbol == null ? "..." : "\"" + symbol + "\"")
                        + ")";
                case JAVAX_SCRIPT -> "pysandbox.allowModules=\"" + module + (symbol == null ? "" : ":" + symbol)
                        + "\"";
                case COMMAND_LINE -> "--allow-module " + module + (symbol == null ? "" : ":" + symbol);
            };
        }
        m = PATH.matcher(setting);
        if (m.matches()) {
            String path = m.group(1);
            return switch (this) {
                case JAVA_API -> "allowPath(\"" + path + "\")";
                case JAVAX_SCRIPT -> "pysandbox.allowPaths=\"" + path + "\"";
                case COMMAND_LINE -> "--allow-path " + path;
            };
        }
        return setting;
    }

    /** A resource limit's attribute ({@code pysandbox.timeout}) in this surface's words. */
    public String renderLimit(String attribute) {
        String name = attribute.startsWith("pysandbox.") ? attribute.substring("pysandbox.".length()) : attribute;
        return switch (this) {
            case JAVA_API -> name + "(...)";
            case JAVAX_SCRIPT -> attribute;
            case COMMAND_LINE -> "--" + name.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
        };
    }
}
