package dev.kindling.spark.ml;

import dev.kindling.spark.data.FeatureSpec;
import dev.kindling.spark.data.LabelSpec;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;

/**
 * The schema checks Kindling's Spark ML stages make in {@code transformSchema}, before any job
 * runs: the features column can become a tensor, the label column holds numbers, and each output
 * column is new. Each failure is an {@link IllegalArgumentException} naming the column, what was
 * expected and what the DataFrame has.
 */
final class StageSchemas {
    private StageSchemas() {}

    /** The feature spec of a column, or an exception naming it (missing, or a type that is not features). */
    static FeatureSpec features(StructType schema, String column, int[] imageShape) {
        return FeatureSpec.of(schema, column, imageShape);
    }

    /** A copy of an image shape after checking it is [C, H, W] or [H, W] with positive sizes. */
    static int[] imageShape(int[] shape) {
        if (shape == null || shape.length < 2 || shape.length > 3 || Arrays.stream(shape).anyMatch(s -> s <= 0)) {
            throw new IllegalArgumentException("imageShape must be [C, H, W] or [H, W] with positive sizes but got " + Arrays.toString(shape));
        }
        return shape.clone();
    }

    /** Checks the label column exists and is numeric (class indices or regression targets). */
    static void label(StructType schema, String column, boolean classIndex) {
        LabelSpec.of(schema, column, classIndex);
    }

    /** The schema with the prediction column (double) appended; its name must not be empty. */
    static StructType prediction(StructType schema, String column) {
        if (column.isEmpty()) throw new IllegalArgumentException("predictionCol must be a column name but is empty");
        return append(schema, column, DataTypes.DoubleType, "setPredictionCol");
    }

    /** The schema with one more column; an empty name means the column is not wanted. */
    static StructType append(StructType schema, String column, DataType type, String setter) {
        if (column.isEmpty()) return schema;
        if (Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("output column '" + column + "' already exists in the DataFrame (columns "
                    + Arrays.toString(schema.fieldNames()) + "); choose another name with " + setter);
        }
        return schema.add(column, type, false);
    }
}
