package dev.kindling.bench.results;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One table cell over repeated whole runs. A cell that starts with a number ("12.3 (14.1)",
 * "85%", "1.20x", "0.47 GB/s") becomes the same text with every number replaced by its median over
 * the runs, followed by the min-max spread of its first number: "12.4 (14.0) [11.9-12.8]". Each
 * run's figure is already that run's median (or best) of its own samples, so the first number
 * becomes the median of the run medians. Other cells ("met", "MISSED (1.20x)") are counted:
 * "met 2/3, MISSED (1.31x) 1/3".
 *
 * @param text   the summary as the table shows it
 * @param median the median over the runs of the cell's first number (NaN for a non-numeric cell)
 * @param min    the smallest run's first number (NaN for a non-numeric cell)
 * @param max    the largest run's first number (NaN for a non-numeric cell)
 */
record CellSummary(String text, double median, double min, double max) {
    private static final Pattern NUMBER = Pattern.compile("\\d+(?:\\.\\d+)?");

    boolean numeric() { return !Double.isNaN(median); }

    /** Summarises the cells the runs printed for one case and column (null: the run lacked the row). */
    static CellSummary of(List<String> perRun) {
        List<String> present = new ArrayList<>();
        for (String s : perRun) if (s != null) present.add(s);
        if (present.isEmpty()) return new CellSummary("—", Double.NaN, Double.NaN, Double.NaN);
        String template = present.get(0).replaceAll(NUMBER.pattern(), "#");
        List<double[]> numbers = new ArrayList<>();
        boolean sameShape = startsWithNumber(present.get(0));
        for (String s : present) {
            sameShape &= s.replaceAll(NUMBER.pattern(), "#").equals(template);
            numbers.add(numbers(s));
        }
        if (!sameShape) return counted(present);
        int count = numbers.get(0).length;
        double[] medians = new double[count];
        for (int k = 0; k < count; k++) {
            double[] v = new double[present.size()];
            for (int r = 0; r < v.length; r++) v[r] = numbers.get(r)[k];
            medians[k] = median(v);
        }
        double[] first = new double[present.size()];
        for (int r = 0; r < first.length; r++) first[r] = numbers.get(r)[0];
        double min = Arrays.stream(first).min().orElseThrow();
        double max = Arrays.stream(first).max().orElseThrow();
        // Each median keeps the decimals the benchmark printed; the spread uses the first number's.
        Matcher m = NUMBER.matcher(present.get(0));
        StringBuilder sb = new StringBuilder();
        int k = 0;
        int decimalsOfFirst = 0;
        while (m.find()) {
            int decimals = decimals(m.group());
            if (k == 0) decimalsOfFirst = decimals;
            m.appendReplacement(sb, format(medians[k++], decimals));
        }
        m.appendTail(sb);
        if (present.size() > 1) {
            String unit = unitAfterFirstNumber(present.get(0));
            sb.append(" [").append(format(min, decimalsOfFirst)).append(unit).append('-').append(format(max, decimalsOfFirst))
                    .append(unit).append(']');
        }
        if (present.size() < perRun.size()) sb.append(" (").append(present.size()).append(" runs)");
        return new CellSummary(sb.toString(), medians[0], min, max);
    }

    private static CellSummary counted(List<String> present) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        for (String s : present) counts.merge(s, 1, Integer::sum);
        if (counts.size() == 1) return new CellSummary(present.get(0), Double.NaN, Double.NaN, Double.NaN);
        List<String> parts = new ArrayList<>();
        counts.forEach((s, n) -> parts.add(s + " " + n + "/" + present.size()));
        return new CellSummary(String.join(", ", parts), Double.NaN, Double.NaN, Double.NaN);
    }

    /** "%" or "x" when the first number carries it ("85%", "1.20x"), so the spread reads "[80%-90%]". */
    private static String unitAfterFirstNumber(String s) {
        Matcher m = NUMBER.matcher(s);
        if (!m.find() || m.end() >= s.length()) return "";
        char c = s.charAt(m.end());
        return c == '%' || c == 'x' ? String.valueOf(c) : "";
    }

    static boolean startsWithNumber(String s) { return !s.isEmpty() && Character.isDigit(s.charAt(0)); }

    /** The first number of a cell, or NaN when the cell does not start with one. */
    static double leadingNumber(String s) {
        if (!startsWithNumber(s)) return Double.NaN;
        Matcher m = NUMBER.matcher(s);
        return m.find() ? Double.parseDouble(m.group()) : Double.NaN;
    }

    private static double[] numbers(String s) {
        Matcher m = NUMBER.matcher(s);
        List<Double> out = new ArrayList<>();
        while (m.find()) out.add(Double.parseDouble(m.group()));
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    private static int decimals(String number) {
        int dot = number.indexOf('.');
        return dot < 0 ? 0 : number.length() - dot - 1;
    }

    private static String format(double v, int decimals) {
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
