package dev.kindling.spark.data;

import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;

/**
 * The label column and what it means: class indices (int64; a double column from StringIndexer
 * must hold whole numbers) or real-valued regression targets (float32). A string label, or a label
 * of another type, fails on the driver naming the column.
 */
public record LabelSpec(String column, boolean classIndex, DataType type) implements Serializable {

    public static LabelSpec of(StructType schema, String column, boolean classIndex) {
        DataType t = FeatureSpec.field(schema, column).dataType();
        if (!isNumber(t)) {
            throw new IllegalArgumentException("label column '" + column + "' has type " + t.simpleString() + "; expected int, long, "
                    + "float or double" + (t.equals(DataTypes.StringType) ? " (index string labels with StringIndexer first)" : ""));
        }
        return new LabelSpec(column, classIndex, t);
    }

    /** Whether a column of type t holds plain numbers (what labels and weights may be). */
    static boolean isNumber(DataType t) {
        return t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.FloatType)
                || t.equals(DataTypes.DoubleType) || t.equals(DataTypes.ShortType) || t.equals(DataTypes.ByteType);
    }
}
