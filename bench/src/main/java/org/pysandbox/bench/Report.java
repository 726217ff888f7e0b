package org.pysandbox.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The one table a run prints: sections of rows measured in this run, then the targets with
 * what was measured against each. Cells are preformatted strings; columns are padded to fit.
 */
final class Report {
    record Section(String title, List<String> header, List<List<String>> rows, List<String> notes) {
    }

    private final List<Section> sections = new ArrayList<>();
    private final List<List<String>> targets = new ArrayList<>();
    private final List<String> preamble = new ArrayList<>();

    void preamble(String line) {
        preamble.add(line);
    }

    Section section(String title, String... header) {
        Section s = new Section(title, new ArrayList<>(List.of(header)), new ArrayList<>(), new ArrayList<>());
        sections.add(s);
        return s;
    }

    static void row(Section s, String... cells) {
        s.rows().add(List.of(cells));
    }

    static void note(Section s, String note) {
        s.notes().add(note);
    }

    /** One target line: what the issue asks, what this run measured, and whether it is met. */
    void target(String what, String goal, String measured, Boolean met, String shortfall) {
        String verdict = met == null ? "n/a" : met ? "met" : "MISSED" + (shortfall.isEmpty() ? "" : " (" + shortfall + ")");
        targets.add(List.of(what, goal, measured, verdict));
    }

    String render() {
        StringBuilder out = new StringBuilder();
        preamble.forEach(line -> out.append(line).append('\n'));
        for (Section s : sections) {
            out.append('\n').append("## ").append(s.title()).append("\n\n");
            table(out, s.header(), s.rows());
            s.notes().forEach(n -> out.append("\n- ").append(n));
            if (!s.notes().isEmpty()) {
                out.append('\n');
            }
        }
        if (!targets.isEmpty()) {
            out.append("\n## Targets (issue 13)\n\n");
            table(out, List.of("target", "goal", "measured", "verdict"), targets);
        }
        return out.toString();
    }

    /** A Markdown table, so the output pastes into BENCHMARKS.md as it is. */
    private static void table(StringBuilder out, List<String> header, List<List<String>> rows) {
        int[] width = new int[header.size()];
        for (int i = 0; i < width.length; i++) {
            width[i] = header.get(i).length();
            for (List<String> r : rows) {
                width[i] = Math.max(width[i], i < r.size() ? r.get(i).length() : 0);
            }
        }
        line(out, header, width);
        List<String> rule = new ArrayList<>();
        for (int w : width) {
            rule.add("-".repeat(Math.max(3, w)));
        }
        line(out, rule, width);
        rows.forEach(r -> line(out, r, width));
    }

    private static void line(StringBuilder out, List<String> cells, int[] width) {
        out.append('|');
        for (int i = 0; i < width.length; i++) {
            String c = i < cells.size() ? cells.get(i) : "";
            out.append(' ').append(c).append(" ".repeat(Math.max(0, width[i] - c.length()))).append(" |");
        }
        out.append('\n');
    }

    static String ms(double millis) {
        if (Double.isNaN(millis)) {
            return "-";
        }
        return millis >= 100 ? String.format(Locale.ROOT, "%.0f ms", millis)
                : millis >= 1 ? String.format(Locale.ROOT, "%.1f ms", millis)
                : String.format(Locale.ROOT, "%.3f ms", millis);
    }

    static String ratio(double r) {
        // small ratios (the rule path against its peers) keep two significant digits instead of reading 0.00x
        return Double.isNaN(r) ? "-" : String.format(Locale.ROOT, r < 0.1 ? "%.4fx" : "%.2fx", r);
    }

    static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%+.1f%%", fraction * 100);
    }

    static String count(double n) {
        return Double.isNaN(n) ? "-" : String.format(Locale.ROOT, "%,.0f", n);
    }

    static String mb(double bytes) {
        return Double.isNaN(bytes) ? "-" : String.format(Locale.ROOT, "%.2f MB", bytes / (1024.0 * 1024.0));
    }
}
