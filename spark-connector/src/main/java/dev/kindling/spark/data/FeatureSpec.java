package dev.kindling.spark.data;

import dev.kindling.spark.internal.SparkInternals;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.BinaryType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;

/**
 * Which DataFrame column(s) hold the features and how they become a float32 tensor of
 * {@code [rows, ...shape]}, decided from the schema on the driver before any job runs:
 * <ul>
 *   <li>{@code array<float|double|int|long>}: one row per sample; every row must have the same length;</li>
 *   <li>a Spark ML {@code Vector} (dense or sparse), densified;</li>
 *   <li>several numeric scalar columns, gathered into one [rows, C] matrix;</li>
 *   <li>{@code binary} raw images of a given shape (uint8), converted to float on use;</li>
 *   <li>anything else that Spark's {@code ArrowWriter} can write (e.g. nested arrays), through it.</li>
 * </ul>
 * A missing column or a type that cannot be features fails here with an
 * {@link IllegalArgumentException} naming the column, its type and what is accepted.
 */
public record FeatureSpec(Kind kind, List<String> columns, int[] shape, DataType elementType) implements Serializable {

    /** How the feature bytes are laid out in the row. */
    public enum Kind { ARRAY, VECTOR, SCALARS, IMAGE, ARROW_WRITER }

    /** One column of array, vector or binary type; {@code imageShape} is required for binary columns. */
    public static FeatureSpec of(StructType schema, String column, int[] imageShape) {
        DataType type = field(schema, column).dataType();
        if (SparkInternals.isMlVector(type)) return new FeatureSpec(Kind.VECTOR, List.of(column), null, null);
        if (type instanceof BinaryType) {
            if (imageShape == null || imageShape.length == 0) {
                throw new IllegalArgumentException("features column '" + column + "' is binary: give the image shape "
                        + "(e.g. [1, 28, 28]) so its bytes can be read as uint8 pixels");
            }
            return new FeatureSpec(Kind.IMAGE, List.of(column), imageShape.clone(), DataTypes.ByteType);
        }
        if (type instanceof ArrayType a) {
            DataType e = a.elementType();
            if (e.equals(DataTypes.FloatType) || e.equals(DataTypes.DoubleType) || e.equals(DataTypes.IntegerType)
                    || e.equals(DataTypes.LongType)) {
                return new FeatureSpec(Kind.ARRAY, List.of(column), null, e);
            }
            if (e instanceof NumericType || e instanceof ArrayType) return new FeatureSpec(Kind.ARROW_WRITER, List.of(column), null, e);
        }
        if (type instanceof NumericType) return new FeatureSpec(Kind.SCALARS, List.of(column), new int[] {1}, null);
        throw new IllegalArgumentException("features column '" + column + "' has type " + type.simpleString()
                + "; expected array<float|double|int|long>, a Spark ML Vector, numeric scalars or binary images");
    }

    /** Several numeric scalar columns gathered into one [rows, C] matrix. */
    public static FeatureSpec scalars(StructType schema, List<String> columns) {
        if (columns.isEmpty()) throw new IllegalArgumentException("features: at least one column is needed");
        if (columns.size() == 1) {
            FeatureSpec single = of(schema, columns.get(0), null);
            if (single.kind != Kind.SCALARS) return single;
        }
        for (String c : columns) {
            DataType t = field(schema, c).dataType();
            if (!(t instanceof NumericType)) {
                throw new IllegalArgumentException("features column '" + c + "' has type " + t.simpleString()
                        + "; several feature columns must all be numeric scalars (use VectorAssembler for others)");
            }
        }
        return new FeatureSpec(Kind.SCALARS, List.copyOf(columns), new int[] {columns.size()}, null);
    }

    static StructField field(StructType schema, String column) {
        if (!Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column '" + column + "' does not exist; the DataFrame has columns "
                    + Arrays.toString(schema.fieldNames()));
        }
        return schema.apply(column);
    }

    /** The per-sample shape once known (set after the first row for arrays and vectors). */
    FeatureSpec withShape(int[] s) { return new FeatureSpec(kind, columns, s.clone(), elementType); }

    /** Elements per sample. */
    int width() {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FeatureSpec f && f.kind == kind && f.columns.equals(columns) && Arrays.equals(f.shape, shape);
    }

    @Override
    public int hashCode() { return kind.hashCode() * 31 + columns.hashCode(); }

    @Override
    public String toString() {
        return kind + " " + columns + (shape == null ? "" : " shape " + Arrays.toString(shape));
    }
}
