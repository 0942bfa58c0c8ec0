package dev.kindling.tensor;

import java.lang.foreign.ValueLayout;
import java.util.Locale;

/**
 * The element types a tensor can hold, with PyTorch's type-promotion rules.
 *
 * <p>With these six types PyTorch's promotion lattice is a total order
 * (bool &lt; uint8 &lt; int32 &lt; int64 &lt; float32 &lt; float64), so promoting two types means taking
 * the higher one. {@link #resultType} adds PyTorch's rule that zero-dimensional tensors and Java
 * scalars only raise the result's <em>category</em> (bool, integer, floating point), never its
 * width: {@code float32 tensor + 2.0} stays float32, {@code int64 tensor + 2.5} becomes float32.
 */
public enum DType {
    BOOL(1, Category.BOOL, ValueLayout.JAVA_BYTE),
    UINT8(1, Category.INTEGER, ValueLayout.JAVA_BYTE),
    INT32(4, Category.INTEGER, ValueLayout.JAVA_INT_UNALIGNED),
    INT64(8, Category.INTEGER, ValueLayout.JAVA_LONG_UNALIGNED),
    FLOAT32(4, Category.FLOATING, ValueLayout.JAVA_FLOAT_UNALIGNED),
    FLOAT64(8, Category.FLOATING, ValueLayout.JAVA_DOUBLE_UNALIGNED);

    /** The three kinds PyTorch's scalar promotion distinguishes, in increasing order. */
    public enum Category { BOOL, INTEGER, FLOATING }

    private final int itemSize;
    private final Category category;
    private final ValueLayout layout;

    DType(int itemSize, Category category, ValueLayout layout) {
        this.itemSize = itemSize;
        this.category = category;
        this.layout = layout;
    }

    /** Bytes per element. */
    public int itemSize() { return itemSize; }

    public Category category() { return category; }

    /** The unaligned value layout used to read this type from foreign memory. */
    public ValueLayout layout() { return layout; }

    public boolean isFloatingPoint() { return category == Category.FLOATING; }

    /** True for integer types and bool. */
    public boolean isIntegral() { return category != Category.FLOATING; }

    /** The default floating-point type, as {@code torch.get_default_dtype()}. */
    public static DType defaultFloat() { return FLOAT32; }

    /** The type a value of the given category becomes when it is a Java scalar. */
    public static DType defaultFor(Category category) {
        return switch (category) {
            case BOOL -> BOOL;
            case INTEGER -> INT64;
            case FLOATING -> FLOAT32;
        };
    }

    /** {@code torch.promote_types}: the smallest type both can be converted to without loss of kind. */
    public static DType promote(DType a, DType b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    /**
     * PyTorch's {@code result_type}: dimensioned tensors decide the type; zero-dim tensors and then
     * Java scalars only matter when their category is higher.
     *
     * @param dimensioned types of the operands with at least one dimension (may be empty)
     * @param zeroDim     types of zero-dimensional tensor operands (may be empty)
     * @param scalars     categories of Java scalar operands (may be empty)
     */
    public static DType resultType(DType[] dimensioned, DType[] zeroDim, Category[] scalars) {
        DType dim = null;
        for (DType d : dimensioned) dim = dim == null ? d : promote(dim, d);
        DType zero = null;
        for (DType d : zeroDim) zero = zero == null ? d : promote(zero, d);
        Category scalar = null;
        for (Category c : scalars) scalar = scalar == null || c.compareTo(scalar) > 0 ? c : scalar;

        DType result = dim;
        if (zero != null) result = result == null || zero.category.compareTo(result.category) > 0
                ? (result == null ? zero : promote(result, zero)) : result;
        if (scalar != null) {
            DType wrapped = defaultFor(scalar);
            result = result == null || scalar.compareTo(result.category) > 0
                    ? (result == null ? wrapped : promote(result, wrapped)) : result;
        }
        if (result == null) throw new IllegalArgumentException("resultType: no operands given");
        return result;
    }

    /** Parses PyTorch-style names: {@code float32}, {@code float}, {@code torch.int64}, {@code long}, {@code bool}... */
    public static DType parse(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace("torch.", "");
        return switch (n) {
            case "float32", "float", "f32" -> FLOAT32;
            case "float64", "double", "f64" -> FLOAT64;
            case "int32", "int", "i32" -> INT32;
            case "int64", "long", "i64" -> INT64;
            case "uint8", "u8" -> UINT8;
            case "bool" -> BOOL;
            default -> throw new IllegalArgumentException(
                    "dtype: expected one of float32, float64, int32, int64, uint8, bool but got '" + name + "'");
        };
    }

    /** The lower-case PyTorch name, e.g. {@code float32}. */
    @Override
    public String toString() { return name().toLowerCase(Locale.ROOT); }
}
