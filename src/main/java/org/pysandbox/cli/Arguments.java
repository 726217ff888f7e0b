package org.pysandbox.cli;

import java.io.PrintWriter;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.pysandbox.config.Units;

/**
 * The command's options and arguments, as parsed from its command line.
 *
 * <p>Parsed with Apache Commons CLI. picocli, used before, ships Java 5 class files, which the JDK's AOT cache
 * cannot hold ("Old class has been linked"): its 172 classes were loaded and run cold at every start, 110-170
 * ms before the first option was read.
 */
record Arguments(String code, List<String> features, List<Path> paths, List<String> modules, List<String> hostAccess,
        Duration timeout, Long maxMemory, Long maxOutput, Integer recursionLimit, String isolation, boolean jit,
        List<String> positional, boolean help, boolean version) {

    /** A command line that does not parse; the message says what is wrong with it. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    private static final Option HELP = flag("h", "help", "Show this help message and exit.");
    private static final Option VERSION = flag("V", "version", "Print version information and exit.");
    private static final Option CODE = valued("c", null, "CODE", "Program passed in as a string.");
    private static final Option FEATURE = valued("f", "feature", "NAME",
            "Enable a sandbox feature (repeatable or comma-separated); see the list below.");
    private static final Option ALLOW_PATH = valued(null, "allow-path", "PATH",
            "Allow reading this file or directory tree (repeatable).");
    private static final Option ALLOW_MODULE = valued(null, "allow-module", "NAME[:SYM,SYM]",
            "Allow importing a module, only the listed symbols ('*' = all public ones) (repeatable).");
    private static final Option ALLOW_HOST = valued(null, "allow-host", "SIGNATURE",
            "Allow scripts to call host methods, e.g. com.example.Vars#get,put or com.example.Api (repeatable; "
                    + "same rules as pysandbox.hostAccess).");
    private static final Option TIMEOUT = valued(null, "timeout", "DURATION",
            "Wall-clock limit per script run or REPL input: 250ms, 1.5s, 2m, PT1M; 0 = none (default 5s).");
    private static final Option MAX_MEMORY = valued(null, "max-memory", "SIZE",
            "Memory limit per run: bytes, 512k, 64m, 1g; 0 = none (the default; the heap guard still protects the host).");
    private static final Option MAX_OUTPUT = valued(null, "max-output", "SIZE",
            "Bytes of stdout+stderr per run before it is stopped; 0 = none (default 4m).");
    private static final Option RECURSION_LIMIT = valued(null, "recursion-limit", "FRAMES",
            "Frames of sandboxed code (default 50).");
    private static final Option ISOLATION = valued(null, "isolation", "MODE",
            "context (in this JVM, the default) or process (a pooled worker JVM).");
    private static final Option JIT = flag(null, "jit", "Start the JVM with the Graal JIT (read by bin/pysandbox): "
            + "slower to start, several times faster on long runs. Without it the command starts interpreter-only, "
            + "in about a second.");
    /** In the order the help lists them. */
    private static final Options OPTIONS = options(CODE, FEATURE, ALLOW_PATH, ALLOW_MODULE, ALLOW_HOST, TIMEOUT, MAX_MEMORY,
            MAX_OUTPUT, RECURSION_LIMIT, ISOLATION, JIT, HELP, VERSION);
    /**
     * The spellings of the options that take the next token as their value (-c apart: its value ends the
     * options). bin/jit-requested keeps the same list.
     */
    static final Set<String> VALUED = OPTIONS.getOptions().stream().filter(o -> o.hasArg() && o != CODE)
            .flatMap(o -> spellings(o).stream()).collect(Collectors.toUnmodifiableSet());

    static final String USAGE = "pysandbox [OPTIONS] [-c CODE | script.py | -] [args...]";
    static final List<String> DESCRIPTION = List.of(
            "Runs untrusted Python 3 confined on GraalPy.",
            "With no script and no -c, starts an interactive sandboxed interpreter (feature 'interpreter' on).",
            "script.py is the script to run, '-' reads it from stdin; what follows it, or follows -c CODE, is its arguments:",
            "they are in the read-only global 'argv' (argv[0] is the script, or '-c'); sys.argv is not exposed.");
    static final List<String> EXIT_STATUS = List.of(
            "0  success",
            "1  the script raised an exception",
            "2  usage or configuration error",
            "3  sandbox violation (the script tried something the configuration does not allow)",
            "4  limit exceeded (timeout, memory, output, recursion)",
            "n  sys.exit(n) called by the script (needs feature 'exit')");

    /**
     * Parses a command line. Options end at the script, at {@code -c CODE} or at {@code --}: what follows
     * belongs to the script, as with python. Long options take two dashes and must be spelled out in full.
     */
    static Arguments parse(String[] args) throws UsageException {
        // Find where the options end before the parser sees them: -c's code and everything after it are the
        // script's, taken as typed (the parser would read "-c 'print(a=1)' -v" as more options).
        int end = args.length;
        String code = null;
        List<String> afterCode = List.of();
        for (int i = 0; i < args.length; i++) {
            String token = args[i];
            if (token.equals("--") || token.equals("-") || !token.startsWith("-")) {
                break;
            }
            if (token.startsWith("-c")) {
                int codeAt = token.length() > 2 ? i : i + 1;
                if (codeAt >= args.length) {
                    throw new UsageException("option '-c' needs a value (CODE)");
                }
                code = codeAt == i ? token.substring(2) : args[codeAt];
                afterCode = List.of(args).subList(codeAt + 1, args.length);
                end = i;
                break;
            }
            refuseSingleDashWords(token);
            if (VALUED.contains(token)) {
                i++; // its value, whatever it looks like
            }
        }
        String[] options = Arrays.copyOf(args, end);
        org.apache.commons.cli.CommandLine line;
        try {
            line = DefaultParser.builder().setAllowPartialMatching(false).setStripLeadingAndTrailingQuotes(false).get()
                    .parse(OPTIONS, options, true);
        } catch (MissingArgumentException e) {
            throw new UsageException("option '" + name(e.getOption()) + "' needs a value (" + e.getOption().getArgName() + ")");
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
        List<String> positional = line.getArgList();
        // The parser stops at the first token that is not one of its options and keeps it as the script's
        // name, so a mistyped option would be run as a script; after an explicit "--" such a name is meant.
        int first = options.length - positional.size();
        boolean afterDoubleDash = first > 0 && options[first - 1].equals("--");
        if (!positional.isEmpty() && positional.get(0).startsWith("-") && !positional.get(0).equals("-") && !afterDoubleDash) {
            throw new UsageException("unknown option '" + positional.get(0) + "'");
        }
        if (code != null) {
            positional = afterCode;
        }
        List<String> features = new ArrayList<>();
        for (String value : values(line, FEATURE)) {
            features.addAll(List.of(value.split(",")));
        }
        List<Path> paths = new ArrayList<>();
        for (String value : values(line, ALLOW_PATH)) {
            try {
                paths.add(Path.of(value));
            } catch (InvalidPathException e) {
                throw invalid(ALLOW_PATH, "'" + value + "' is not a path: " + e.getReason());
            }
        }
        return new Arguments(code, List.copyOf(features), List.copyOf(paths), values(line, ALLOW_MODULE),
                values(line, ALLOW_HOST), convert(line, TIMEOUT, Units::parseDuration), convert(line, MAX_MEMORY, Units::parseBytes),
                convert(line, MAX_OUTPUT, Units::parseBytes), convert(line, RECURSION_LIMIT, Arguments::frames),
                last(line, ISOLATION), line.hasOption(JIT), List.copyOf(positional), line.hasOption(HELP),
                line.hasOption(VERSION));
    }

    /**
     * One dash and more than one letter is only ever a short option with its value attached (-fstdout). The
     * parser would also take -jit or -timeout for the long options, which bin/pysandbox, looking for --jit,
     * would not see.
     */
    private static void refuseSingleDashWords(String token) throws UsageException {
        if (token.startsWith("--") || token.length() <= 2) {
            return;
        }
        String word = token.substring(1).split("=", 2)[0];
        boolean longName = OPTIONS.getOptions().stream().map(Option::getLongOpt)
                .anyMatch(name -> name != null && word.startsWith(name));
        if (longName) {
            throw new UsageException("unknown option '" + token + "' (long options take two dashes)");
        }
        Option attachedTo = OPTIONS.getOption(token.substring(1, 2));
        if (attachedTo == null || !attachedTo.hasArg()) {
            throw new UsageException("unknown option '" + token + "'");
        }
    }

    /** The help text: usage, description, options, exit statuses, then the caller's footer. */
    static void printHelp(PrintWriter out, String footer) {
        out.println("Usage: " + USAGE);
        DESCRIPTION.forEach(out::println);
        out.println();
        out.println("Options:");
        for (Option option : OPTIONS.getOptions()) {
            String names = String.join(", ", spellings(option)) + (option.hasArg() ? " " + option.getArgName() : "");
            out.println(String.format("  %-32s", names) + wrap(option.getDescription(), 46, " ".repeat(34)));
        }
        out.println();
        out.println("Exit status:");
        EXIT_STATUS.forEach(s -> out.println("  " + s));
        out.print(footer);
    }

    /** Wraps text at word boundaries; continuation lines get the indent. */
    static String wrap(String text, int width, String indent) {
        StringBuilder out = new StringBuilder();
        int column = 0;
        for (String word : text.split(" ")) {
            if (column > 0 && column + 1 + word.length() > width) {
                out.append('\n').append(indent);
                column = 0;
            } else if (column > 0) {
                out.append(' ');
                column++;
            }
            out.append(word);
            column += word.length();
        }
        return out.toString();
    }

    private static int frames(String text) {
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a whole number of frames");
        }
    }

    private static <T> T convert(org.apache.commons.cli.CommandLine line, Option option, Function<String, T> conversion)
            throws UsageException {
        String value = last(line, option);
        if (value == null) {
            return null;
        }
        try {
            return conversion.apply(value);
        } catch (IllegalArgumentException e) {
            throw invalid(option, e.getMessage());
        }
    }

    private static UsageException invalid(Option option, String why) {
        return new UsageException("invalid value for option '" + name(option) + "': " + why);
    }

    /** The last occurrence wins, as for python's own options. */
    private static String last(org.apache.commons.cli.CommandLine line, Option option) {
        String[] values = line.getOptionValues(option);
        return values == null || values.length == 0 ? null : values[values.length - 1];
    }

    private static List<String> values(org.apache.commons.cli.CommandLine line, Option option) {
        String[] values = line.getOptionValues(option);
        return values == null ? List.of() : List.of(values);
    }

    /** The long spelling where there is one, as messages name an option. */
    private static String name(Option option) {
        List<String> spellings = spellings(option);
        return spellings.get(spellings.size() - 1);
    }

    /** How an option can be written: "-f", "--feature", short first. */
    private static List<String> spellings(Option option) {
        return Stream.of(option.getOpt() == null ? null : "-" + option.getOpt(),
                option.getLongOpt() == null ? null : "--" + option.getLongOpt()).filter(Objects::nonNull).toList();
    }

    private static Option flag(String shortName, String longName, String description) {
        return Option.builder(shortName).longOpt(longName).desc(description).get();
    }

    private static Option valued(String shortName, String longName, String argName, String description) {
        return Option.builder(shortName).longOpt(longName).argName(argName).hasArg().desc(description).get();
    }

    private static Options options(Option... all) {
        Options options = new Options();
        for (Option option : all) {
            options.addOption(option);
        }
        return options;
    }
}
