package dev.kindling.examples;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import picocli.CommandLine.Model.CommandSpec;

import java.util.Locale;

/**
 * Sets how much Spark says, before Spark starts: its loggers (the root) at the level asked for,
 * Kindling's progress at INFO whatever that level is. Spark's {@code sc.setLogLevel} would do
 * the first half only after start-up, and would silence Kindling's lines under a spark-submit
 * log configuration that does not name them.
 */
final class SparkLogLevels {
    private SparkLogLevels() {}

    static void apply(CommandSpec spec, String level) {
        Level parsed = Level.getLevel(level.toUpperCase(Locale.ROOT));
        if (parsed == null) Cli.invalid(spec, "--spark-log-level", level, "one of ERROR, WARN, INFO, DEBUG, TRACE, OFF");
        Configurator.setRootLevel(parsed);
        Configurator.setLevel("dev.kindling", Level.INFO);
    }
}
