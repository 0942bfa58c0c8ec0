package dev.kindling.spark.data;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * The instance-weight column of a fit, as MLlib's {@code weightCol}: a numeric column whose value
 * scales each row's loss (the loss of a batch is sum w_i * loss_i / sum w_i). Weights are
 * converted to float32 beside the labels; a null, NaN, negative or infinite weight fails naming
 * the column and the row.
 */
public record WeightSpec(String column, DataType type) implements Serializable {

    /** The weight spec of column, or an exception naming it (missing, or not a number). */
    public static WeightSpec of(StructType schema, String column) {
        DataType t = FeatureSpec.field(schema, column).dataType();
        if (!LabelSpec.isNumber(t)) {
            throw new IllegalArgumentException("weight column '" + column + "' has type " + t.simpleString()
                    + "; expected int, long, float or double");
        }
        return new WeightSpec(column, t);
    }

    /** Checks one weight, naming the row when it is not a finite number >= 0. */
    void check(double w, int partition, int row) {
        if (!(w >= 0) || Double.isInfinite(w)) {
            throw new IllegalArgumentException("weight column '" + column + "' holds " + w + " at row " + row + " of partition " + partition
                    + "; instance weights must be finite numbers >= 0");
        }
    }
}
