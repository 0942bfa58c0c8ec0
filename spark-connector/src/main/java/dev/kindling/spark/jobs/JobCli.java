package dev.kindling.spark.jobs;

import dev.kindling.spark.PredictJob;
import dev.kindling.spark.TrainJob;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * How {@code TrainJob} and {@code PredictJob} run their command lines: a mistake on the command
 * line (unknown option, bad value) prints one line naming the option, the value and what is
 * expected and exits with 2; a mistake in the data (missing input, missing column, unreadable
 * format) prints one line and exits with 1. No stack trace reaches the user for either; any
 * other failure is a bug and keeps its stack trace.
 */
public final class JobCli {
    /** Exit code of a command-line mistake. */
    public static final int USAGE = 2;
    /** Exit code of a data mistake. */
    public static final int BAD_DATA = 1;

    private JobCli() {}

    /** The command line of a job: usage width, the synopsis users type, one-line errors. */
    public static CommandLine commandLine(Object command, String synopsis) {
        CommandLine cl = new CommandLine(command);
        String name = command.getClass().getSimpleName();
        cl.setCommandName(name);
        cl.setUsageHelpWidth(120);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.getCommandSpec().usageMessage().customSynopsis(synopsis);
        cl.setParameterExceptionHandler((e, given) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println(name + ": " + firstLine(e.getMessage()) + suggestion(e) + " (see --help)");
            err.flush();
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            Throwable cause = dataError(e);
            if (cause == null) throw e;
            commandLine.getErr().println(name + ": " + firstLine(cause.getMessage()));
            commandLine.getErr().flush();
            return BAD_DATA;
        });
        return cl;
    }

    /** The data mistake behind e (Spark wraps executor-side checks), or null when e is a bug. */
    static Throwable dataError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IllegalArgumentException || t instanceof UncheckedIOException || t instanceof IOException) return t;
        }
        return null;
    }

    /** The first line of a message: Spark's messages often carry a query plan after it. */
    public static String firstLine(String message) {
        if (message == null) return "(no message)";
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).strip();
    }

    private static String suggestion(CommandLine.ParameterException e) {
        if (e instanceof CommandLine.UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            return "; did you mean " + String.join(" or ", u.getSuggestions()) + "?";
        }
        return "";
    }

    /** A usage error naming the option, the value given and what is expected. */
    public static CommandLine.ParameterException invalid(CommandLine.Model.CommandSpec spec, String option, String value, String expected) {
        return new CommandLine.ParameterException(spec.commandLine(),
                "Invalid value for option '" + option + "': '" + value + "'; expected " + expected);
    }
}
