package dev.kindling.metrics;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Shows how far an epoch has got while it runs, the way Spark's console progress does: on a
 * terminal a bar redrawn in place on standard error; otherwise (a log file, a pipe, Maven) a
 * plain line at each quarter of the epoch, handed to the caller's sink (usually its logger).
 * Trainers call {@link #epochStarted}, {@link #stepDone} after every optimizer step and
 * {@link #epochEnded} before they log the epoch's own line, which clears the bar.
 */
public final class TrainingProgress {
    private static final int LINES_PER_EPOCH = 4;
    private static final long REDRAW_NANOS = 100_000_000L;
    private static final int BAR_WIDTH = 30;

    private final Consumer<String> lines;
    private final PrintStream terminal;
    private int epoch;
    private int epochs;
    private int steps;
    private long lastDraw;
    private int drawnWidth;

    private TrainingProgress(Consumer<String> lines, PrintStream terminal) {
        this.lines = lines;
        this.terminal = terminal;
    }

    /** A bar on standard error when this JVM runs on a terminal, else quarter-epoch lines to the sink. */
    public static TrainingProgress forConsole(Consumer<String> lines) {
        java.io.Console console = System.console();
        return new TrainingProgress(lines, console != null && console.isTerminal() ? System.err : null);
    }

    /** Quarter-epoch lines to the sink, never a bar. */
    public static TrainingProgress lines(Consumer<String> lines) { return new TrainingProgress(lines, null); }

    /** A bar drawn on the given stream, never a line (for tests and for callers that own a terminal). */
    public static TrainingProgress bar(PrintStream terminal) { return new TrainingProgress(line -> {}, terminal); }

    /** Starts an epoch of the given number of optimizer steps (epochs 1-based; epochs 0 = open-ended). */
    public void epochStarted(int epoch, int epochs, int steps) {
        this.epoch = epoch;
        this.epochs = epochs;
        this.steps = steps;
        this.lastDraw = 0;
    }

    /**
     * Reports that stepInEpoch of the epoch's steps are done; metrics (e.g. "loss 0.3124  acc 91.2%")
     * is asked for only when something is shown.
     */
    public void stepDone(int stepInEpoch, Supplier<String> metrics) {
        if (terminal != null) {
            long now = System.nanoTime();
            if (stepInEpoch < steps && now - lastDraw < REDRAW_NANOS) return;
            lastDraw = now;
            draw(bar(stepInEpoch) + "  " + metrics.get());
        } else if (isQuarter(stepInEpoch, steps)) {
            lines.accept(String.format(Locale.ROOT, "%s  step %d/%d (%d%%)  %s", epochLabel(), stepInEpoch, steps,
                    100L * stepInEpoch / steps, metrics.get()));
        }
    }

    /** Clears the bar, so that the epoch's summary line starts on a clean line. */
    public void epochEnded() {
        if (terminal != null && drawnWidth > 0) {
            terminal.print("\r" + " ".repeat(drawnWidth) + "\r");
            terminal.flush();
            drawnWidth = 0;
        }
    }

    /** True for the last step of each of the first three quarters of an epoch of the given length. */
    static boolean isQuarter(int stepInEpoch, int steps) {
        if (stepInEpoch <= 0 || stepInEpoch >= steps) return false;
        for (int q = 1; q < LINES_PER_EPOCH; q++) {
            if (stepInEpoch == (int) Math.ceil((double) q * steps / LINES_PER_EPOCH)) return true;
        }
        return false;
    }

    private String epochLabel() {
        return epochs > 0 ? "epoch " + epoch + "/" + epochs : "epoch " + epoch;
    }

    private String bar(int done) {
        int filled = steps == 0 ? BAR_WIDTH : (int) ((long) BAR_WIDTH * done / steps);
        StringBuilder s = new StringBuilder(epochLabel()).append(" [");
        for (int i = 0; i < BAR_WIDTH; i++) s.append(i < filled ? '=' : i == filled ? '>' : ' ');
        return s.append("] ").append(done).append('/').append(steps).toString();
    }

    private void draw(String text) {
        String padded = text.length() < drawnWidth ? text + " ".repeat(drawnWidth - text.length()) : text;
        terminal.print("\r" + padded);
        terminal.flush();
        drawnWidth = Math.max(drawnWidth, text.length());
    }
}
