package dev.kindling.examples;

import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A mistake on an example's command line is one line naming the option, the value and what is expected. */
class CliTest {
    private record Outcome(int exitCode, String out, String err) {}

    private static Outcome run(Object job, String synopsis, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        var cl = Cli.commandLine(job, synopsis);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args);
        return new Outcome(code, out.toString(), err.toString());
    }

    private static void assertOneLine(Outcome o, int exitCode, String... parts) {
        assertEquals(exitCode, o.exitCode(), o.err());
        assertEquals(1, o.err().lines().count(), "one line: " + o.err());
        for (String p : parts) assertTrue(o.err().contains(p), "'" + p + "' in: " + o.err());
    }

    @Test
    void unknownOptionsAndBadValuesAreOneLineAndExitTwo() {
        assertOneLine(run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--epoch", "3"), 2,
                "TrainClassifier: ", "'--epoch'", "did you mean --epochs", "(see --help)");
        assertOneLine(run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--epochs", "x"), 2,
                "option '--epochs'", "'x'", "is not an int");
        assertOneLine(run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--epochs", "0"), 2,
                "option '--epochs': '0'", "expected a positive integer");
        assertOneLine(run(new SparkClassifierJob(), SparkClassifierJob.SYNOPSIS, "--lr", "-1"), 2,
                "SparkClassifierJob: ", "option '--lr': '-1.0'", "expected a positive learning rate");
        assertOneLine(run(new SparkClassifierJob(), SparkClassifierJob.SYNOPSIS, "--spark-log-level", "LOUD"), 2,
                "option '--spark-log-level': 'LOUD'", "one of ERROR, WARN, INFO");
    }

    @Test
    void aMissingDataFolderIsNamedWithWhereRelativePathsStart() {
        Outcome o = run(new SparkClassifierJob(), SparkClassifierJob.SYNOPSIS, "--data", "no/such/mnist");
        assertOneLine(o, 2, "option '--data': 'no/such/mnist'", "MNIST", "there is no such path (relative paths start from ");
        o = run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--data", "pom.xml");
        assertOneLine(o, 2, "'pom.xml'", "it is a file");
    }

    @Test
    void badDataIsOneLineAndExitsOne() {
        Outcome o = run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--model", "lenet5");
        assertOneLine(o, 1, "TrainClassifier: --model lenet5 needs image data");
    }

    @Test
    void helpNamesTheCommandTheUserTyped() {
        Outcome o = run(new TrainClassifier(), TrainClassifier.SYNOPSIS, "--help");
        assertEquals(0, o.exitCode());
        assertTrue(o.out().startsWith("Usage: java [JVM OPTIONS] -cp CLASSPATH dev.kindling.examples.TrainClassifier [OPTIONS]"), o.out());
        assertTrue(o.out().contains("--output=DIR") && o.out().contains("(default: kindling-output)"), o.out());
        String before = System.getProperty("kindling.command");
        System.setProperty("kindling.command", "mvn -pl examples exec:exec -Dkindling.args=\"[OPTIONS]\"");
        try {
            o = run(new SparkClassifierJob(), SparkClassifierJob.SYNOPSIS, "--help");
            assertTrue(o.out().startsWith("Usage: mvn -pl examples exec:exec -Dkindling.args=\"[OPTIONS]\""), o.out());
            assertTrue(o.out().contains("--spark-log-level=LEVEL"), o.out());
        } finally {
            if (before == null) System.clearProperty("kindling.command");
            else System.setProperty("kindling.command", before);
        }
    }
}
