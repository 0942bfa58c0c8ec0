package dev.kindling.data;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Reads a numeric CSV file (gzipped or not) into a float64 [rows, cols] tensor, as the small
 * tabular datasets (sklearn's digits, iris, wine) are shipped. A non-numeric cell or a row of the
 * wrong width is an {@link IllegalArgumentException} naming the file, line and column; a header
 * line is skipped when asked.
 */
public final class Csv {
    private Csv() {}

    public static Tensor readNumeric(Path path, boolean skipHeader) throws IOException {
        try (InputStream in = open(Files.newInputStream(path))) {
            return readNumeric(in, path.toString(), skipHeader);
        }
    }

    /** Reads from a stream (e.g. a classpath resource); {@code name} is used in error messages. */
    public static Tensor readNumeric(InputStream stream, String name, boolean skipHeader) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(open(stream), StandardCharsets.UTF_8));
        List<double[]> rows = new ArrayList<>();
        String line;
        int lineNo = 0;
        int width = -1;
        while ((line = r.readLine()) != null) {
            lineNo++;
            if (lineNo == 1 && skipHeader) continue;
            if (line.isBlank()) continue;
            String[] cells = line.split(",", -1);
            if (width < 0) width = cells.length;
            if (cells.length != width) {
                throw new IllegalArgumentException("CSV " + name + ": line " + lineNo + " has " + cells.length + " columns but the first row has " + width);
            }
            double[] row = new double[width];
            for (int c = 0; c < width; c++) {
                try {
                    row[c] = Double.parseDouble(cells[c].trim());
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("CSV " + name + ": line " + lineNo + ", column " + (c + 1) + ": '" + cells[c]
                            + "' is not a number");
                }
            }
            rows.add(row);
        }
        if (rows.isEmpty()) throw new IllegalArgumentException("CSV " + name + " has no data rows");
        double[] flat = new double[rows.size() * width];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, flat, i * width, width);
        return Tensors.fromArray(flat, rows.size(), width);
    }

    private static InputStream open(InputStream raw) throws IOException {
        BufferedInputStream in = raw instanceof BufferedInputStream b ? b : new BufferedInputStream(raw);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        return b0 == 0x1f && b1 == 0x8b ? new GZIPInputStream(in) : in;
    }

    /** Column c of a numeric table as int64 class labels (values must be whole numbers). */
    public static Tensor labels(Tensor table, int column) {
        Tensor col = table.select(1, column);
        if (!col.eq(col.floor()).all().toBooleanArray()[0]) {
            throw new IllegalArgumentException("labels: column " + column + " holds non-integer values");
        }
        return col.to(DType.INT64);
    }
}
