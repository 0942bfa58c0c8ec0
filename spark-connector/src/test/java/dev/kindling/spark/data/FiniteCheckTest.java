package dev.kindling.spark.data;

import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.catalyst.expressions.GenericInternalRow;
import org.apache.spark.sql.catalyst.expressions.UnsafeArrayData;
import org.apache.spark.sql.catalyst.expressions.UnsafeProjection;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * The NaN check of {@link PartitionWriter} tests float bits two at a time: every non-finite value
 * (any NaN payload, either sign, either infinity) fails in every position of even and odd widths,
 * and the largest, smallest and subnormal finite values pass.
 */
class FiniteCheckTest {
    private static final StructType SCHEMA = new StructType(new StructField[] {
            DataTypes.createStructField("features", DataTypes.createArrayType(DataTypes.FloatType, false), false),
            DataTypes.createStructField("label", DataTypes.IntegerType, false)});
    private static final float[] NON_FINITE = {Float.NaN, -Float.NaN, Float.intBitsToFloat(0x7f800001), Float.intBitsToFloat(0xffffffff),
            Float.intBitsToFloat(0x7fc00000), Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY};
    private static final float[] FINITE = {Float.MAX_VALUE, -Float.MAX_VALUE, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, -0.0f,
            0.0f, Float.intBitsToFloat(0x7f7fffff), Float.intBitsToFloat(0xff7fffff), 1.0f};

    private static void write(float[] row) {
        UnsafeProjection project = UnsafeProjection.create(SCHEMA);
        InternalRow u = project.apply(new GenericInternalRow(new Object[] {UnsafeArrayData.fromPrimitiveArray(row), 1})).copy();
        PartitionWriter writer = new PartitionWriter(FeatureSpec.of(SCHEMA, "features", null), LabelSpec.of(SCHEMA, "label", true), SCHEMA, 16, true);
        try (RootAllocator root = new RootAllocator()) {
            writer.write(0, List.of(u).iterator(), 0, root).close();
            assertEquals(0, root.getAllocatedMemory());
        }
    }

    @Test
    void everyNonFiniteValueFailsInEveryPosition() {
        for (int width : new int[] {1, 2, 7, 8}) {
            for (float bad : NON_FINITE) {
                for (int at = 0; at < width; at++) {
                    float[] row = new float[width];
                    java.util.Arrays.fill(row, 0.5f);
                    row[at] = bad;
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> write(row),
                            "bits " + Integer.toHexString(Float.floatToRawIntBits(bad)) + " at " + at + " of " + width);
                    String what = Float.isNaN(bad) ? "has NaN" : "has an infinite value";
                    assertEquals("features column 'features' " + what + " (element " + at + ") at row 0 of partition 0", e.getMessage());
                }
            }
        }
    }

    @Test
    void extremeFiniteValuesPass() {
        for (int width : new int[] {1, 2, 7, 8, 784}) {
            float[] row = new float[width];
            for (int i = 0; i < width; i++) row[i] = FINITE[i % FINITE.length];
            write(row);
        }
    }
}
