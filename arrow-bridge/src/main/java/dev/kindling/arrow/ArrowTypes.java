package dev.kindling.arrow;

import dev.kindling.tensor.DType;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.UInt1Vector;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;

/**
 * The correspondence between Arrow's fixed-width vector types and Kindling dtypes, in one place:
 * which Arrow types a tensor can view in place (same bytes, same layout), which need a copy, and
 * the Arrow type each dtype is written as.
 */
final class ArrowTypes {
    private ArrowTypes() {}

    /** What the bridge supports, for error messages. */
    static final String SUPPORTED = "Float4 (float32), Float8 (float64), Int (int32), BigInt (int64) and UInt1 (uint8) as views; "
            + "Bit (to bool) and SmallInt/TinyInt (to int32) as copies; FixedSizeList and List of those";

    /** The dtype whose elements have exactly this vector's data-buffer layout, or null. */
    static DType viewable(FieldVector v) {
        return switch (v) {
            case Float4Vector _ -> DType.FLOAT32;
            case Float8Vector _ -> DType.FLOAT64;
            case IntVector _ -> DType.INT32;
            case BigIntVector _ -> DType.INT64;
            case UInt1Vector _ -> DType.UINT8;
            default -> null;
        };
    }

    /** The dtype a vector of a type with no same-layout dtype is copied into, or null. */
    static DType copyable(FieldVector v) {
        return switch (v) {
            case BitVector _ -> DType.BOOL;
            case SmallIntVector _, TinyIntVector _ -> DType.INT32;
            default -> null;
        };
    }

    /** Why {@link #copyable} needs a copy, for the message that asks the caller to allow it. */
    static String whyCopy(FieldVector v) {
        return switch (v) {
            case BitVector _ -> "Bit is bit-packed and a bool tensor holds one byte per element, so it must be unpacked";
            case SmallIntVector _ -> "Kindling has no int16 dtype, so it must be widened to int32";
            case TinyIntVector _ -> "Kindling has no int8 dtype, so it must be widened to int32";
            default -> throw new IllegalStateException("no copy conversion for " + describe(v));
        };
    }

    /** The Arrow type a tensor of this dtype is written as. */
    static ArrowType arrowType(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
            case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
            case INT32 -> new ArrowType.Int(32, true);
            case INT64 -> new ArrowType.Int(64, true);
            case UINT8 -> new ArrowType.Int(8, false);
            case BOOL -> ArrowType.Bool.INSTANCE;
        };
    }

    /** E.g. {@code SMALLINT (Int(16, true))}: Arrow Java's vector kind and the schema type. */
    static String describe(FieldVector v) {
        return v.getMinorType() + " (" + v.getField().getType() + ")";
    }
}
