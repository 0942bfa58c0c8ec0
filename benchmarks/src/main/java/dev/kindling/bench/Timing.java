package dev.kindling.bench;

import java.util.Arrays;

/**
 * The measured seconds per call of one contender on one case: one value per timed sample (each
 * sample averages a batch of calls so that short operations are not lost in timer resolution).
 * The median is the number the tables quote; the minimum shows the best the code can do when
 * nothing else (GC, the other tenant of the machine) gets in the way.
 */
public record Timing(double[] secondsPerCall) {
    public Timing {
        if (secondsPerCall.length == 0) throw new IllegalArgumentException("Timing: no samples");
        secondsPerCall = secondsPerCall.clone();
        Arrays.sort(secondsPerCall);
    }

    public double median() {
        int n = secondsPerCall.length;
        return n % 2 == 1 ? secondsPerCall[n / 2] : (secondsPerCall[n / 2 - 1] + secondsPerCall[n / 2]) / 2;
    }

    public double min() { return secondsPerCall[0]; }

    public int samples() { return secondsPerCall.length; }
}
