package dev.kindling.examples;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How the examples run their command lines: the usage names the command the user typed (Maven's
 * exec goal passes it in {@code kindling.command}; otherwise the {@code spark-submit} or
 * {@code java} form), and a mistake on the command line or in the data (unknown option, bad value,
 * missing data folder) prints one line naming the option, the value and what is expected, then
 * exits with 2 (usage) or 1 (bad data) instead of a stack trace.
 */
final class Cli {
    private Cli() {}

    /** Parses args into command, runs it, and returns the exit code. */
    static int run(Object command, String defaultSynopsis, String... args) {
        return commandLine(command, defaultSynopsis).execute(args);
    }

    /** The command line that {@link #run} executes, for callers that redirect its output. */
    static CommandLine commandLine(Object command, String defaultSynopsis) {
        CommandLine cl = new CommandLine(command);
        String synopsis = System.getProperty("kindling.command", defaultSynopsis);
        cl.getCommandSpec().usageMessage().customSynopsis(synopsis);
        cl.setUsageHelpWidth(120);
        String name = command.getClass().getSimpleName();
        cl.setCommandName(name);
        cl.setParameterExceptionHandler((e, given) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(name + ": " + e.getMessage() + suggestion(e) + " (see --help)");
            err.flush();
            return 2;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (!(e instanceof IllegalArgumentException) && !(e instanceof UncheckedIOException)) throw e;
            commandLine.getErr().println(name + ": " + e.getMessage());
            commandLine.getErr().flush();
            return 1;
        });
        return cl;
    }

    private static String suggestion(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return "";
    }

    /** Fails with a usage error unless dir is a directory (the value of the named option). */
    static void requireDirectory(CommandLine.Model.CommandSpec spec, String option, Path dir, String expected) {
        if (dir != null && !Files.isDirectory(dir)) {
            invalid(spec, option, dir.toString(), expected + ", but " + (Files.exists(dir) ? "it is a file"
                    : "there is no such path (relative paths start from " + Path.of("").toAbsolutePath() + ")"));
        }
    }

    /** Fails with a usage error unless value is at least 1. */
    static void requirePositive(CommandLine.Model.CommandSpec spec, String option, long value) {
        if (value < 1) invalid(spec, option, Long.toString(value), "a positive integer");
    }

    /** A usage error naming the option, the value given and what is expected. */
    static void invalid(CommandLine.Model.CommandSpec spec, String option, String value, String expected) {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': '" + value + "'; expected " + expected);
    }
}
