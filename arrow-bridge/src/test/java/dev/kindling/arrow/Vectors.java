package dev.kindling.arrow;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.impl.UnionListWriter;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Small Arrow vectors with known contents, built the way Arrow users build them. */
final class Vectors {
    private Vectors() {}

    static Float4Vector floats(BufferAllocator a, String name, float... values) {
        Float4Vector v = new Float4Vector(name, a);
        v.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) v.set(i, values[i]);
        v.setValueCount(values.length);
        return v;
    }

    static Float8Vector doubles(BufferAllocator a, String name, double... values) {
        Float8Vector v = new Float8Vector(name, a);
        v.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) v.set(i, values[i]);
        v.setValueCount(values.length);
        return v;
    }

    static IntVector ints(BufferAllocator a, String name, int... values) {
        IntVector v = new IntVector(name, a);
        v.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) v.set(i, values[i]);
        v.setValueCount(values.length);
        return v;
    }

    static BigIntVector longs(BufferAllocator a, String name, long... values) {
        BigIntVector v = new BigIntVector(name, a);
        v.allocateNew(values.length);
        for (int i = 0; i < values.length; i++) v.set(i, values[i]);
        v.setValueCount(values.length);
        return v;
    }

    /** A FixedSizeList<float32>[width] column, rows in row-major order. */
    static FixedSizeListVector fixedFloatLists(BufferAllocator a, String name, int width, float[][] rows) {
        FixedSizeListVector v = FixedSizeListVector.empty(name, width, a);
        v.addOrGetVector(FieldType.nullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)));
        Float4Vector child = (Float4Vector) v.getDataVector();
        v.allocateNew();
        child.allocateNew(rows.length * width);
        for (int i = 0; i < rows.length; i++) {
            v.setNotNull(i);
            for (int j = 0; j < rows[i].length; j++) child.set(i * width + j, rows[i][j]);
        }
        child.setValueCount(rows.length * width);
        v.setValueCount(rows.length);
        return v;
    }

    /** A List<float32> column; rows may have any lengths (null rows are null lists). */
    static ListVector floatLists(BufferAllocator a, String name, float[][] rows) {
        ListVector v = ListVector.empty(name, a);
        UnionListWriter w = v.getWriter();
        w.allocate();
        for (int i = 0; i < rows.length; i++) {
            w.setPosition(i);
            if (rows[i] == null) {
                w.writeNull();
                continue;
            }
            w.startList();
            for (float x : rows[i]) w.float4().writeFloat4(x);
            w.endList();
        }
        w.setValueCount(rows.length);
        return v;
    }
}
