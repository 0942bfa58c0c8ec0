package dev.kindling.arrow;

import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BaseVariableWidthViewVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.TypeLayout;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static dev.kindling.arrow.IpcMessage.guard;

/**
 * Checks a record batch's layout and loads it into vectors for {@link IpcFile}: the metadata's
 * row, node and buffer numbers before the body is read, node lengths against the body's size
 * before Arrow allocates for them, and every vector's buffers against its length before the row
 * count is set. Each check fails with an {@link IllegalArgumentException} saying what is wrong.
 */
final class IpcBatchLoader {
    private IpcBatchLoader() {}

    /**
     * Loads the (uncompressed) buffers into the vectors as Arrow's VectorLoader does, but checks
     * every vector's buffers against its length before setting the row count: Arrow would grow a
     * too-small buffer there, and leak the new one when the copy into it fails.
     */
    static void loadInto(VectorSchemaRoot root, ArrowRecordBatch batch) {
        Iterator<ArrowBuf> buffers = batch.getBuffers().iterator();
        Iterator<ArrowFieldNode> nodes = batch.getNodes().iterator();
        for (FieldVector v : root.getFieldVectors()) loadVector(v, buffers, nodes);
        if (nodes.hasNext() || buffers.hasNext()) {
            throw new IllegalArgumentException("it has more field nodes or buffers than the schema's fields use");
        }
        for (FieldVector v : root.getFieldVectors()) {
            validate(v);
            if (v.getValueCount() != batch.getLength()) {
                throw new IllegalArgumentException("column '" + v.getName() + "' has " + v.getValueCount() + " rows but the batch "
                        + batch.getLength());
            }
        }
        root.setRowCount(batch.getLength());
    }

    /**
     * Arrow's full validation (buffer sizes, then offsets) of {@code v}; Arrow 19's data check
     * throws UnsupportedOperationException on any FixedSizeList, so a subtree holding one gets the
     * buffer check, its own list offsets checked here, and its children validated in turn.
     */
    private static void validate(FieldVector v) {
        if (!holdsFixedSizeList(v)) {
            ValueVectorUtility.validateFull(v);
            return;
        }
        ValueVectorUtility.validate(v);
        if (v instanceof ListVector list) {
            int previous = list.getOffsetBuffer().getInt(0);
            for (int i = 1; i <= list.getValueCount(); i++) {
                int offset = list.getOffsetBuffer().getInt(4L * i);
                if (offset < previous) throw new IllegalArgumentException("column '" + v.getName() + "' has decreasing list offsets at row " + i);
                previous = offset;
            }
            if (list.getValueCount() > 0 && previous > list.getDataVector().getValueCount()) {
                throw new IllegalArgumentException("column '" + v.getName() + "' has list offsets past its " + list.getDataVector().getValueCount() + " values");
            }
        } else if (!(v instanceof FixedSizeListVector)) {
            throw new IllegalArgumentException("column '" + v.getName() + "' nests a fixed-size list in " + v.getField().getType() + ", not supported");
        }
        for (FieldVector c : v.getChildrenFromFields()) validate(c);
    }

    private static boolean holdsFixedSizeList(FieldVector v) {
        return v instanceof FixedSizeListVector || v.getChildrenFromFields().stream().anyMatch(IpcBatchLoader::holdsFixedSizeList);
    }

    private static void loadVector(FieldVector v, Iterator<ArrowBuf> buffers, Iterator<ArrowFieldNode> nodes) {
        if (v instanceof BaseVariableWidthViewVector) {
            throw new IllegalArgumentException("column '" + v.getName() + "' has view type " + v.getField().getType() + ", not supported");
        }
        if (!nodes.hasNext()) throw new IllegalArgumentException("it has fewer field nodes than the schema has fields");
        ArrowFieldNode node = nodes.next();
        int count = TypeLayout.getTypeBufferCount(v.getField().getType());
        List<ArrowBuf> own = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (!buffers.hasNext()) throw new IllegalArgumentException("it has too few buffers for field '" + v.getName() + "'");
            own.add(buffers.next());
        }
        v.loadFieldBuffers(node, own);
        for (FieldVector child : v.getChildrenFromFields()) loadVector(child, buffers, nodes);
    }

    /** Node and buffer counts and sizes in the metadata, before anything is allocated for the body. */
    static void checkLayout(RecordBatch fb, IpcMessage m) {
        guard("record batch at byte " + m.position(), () -> {
            if (fb.length() < 0 || fb.length() > Integer.MAX_VALUE) throw new IllegalArgumentException("row count " + fb.length());
            for (int i = 0; i < fb.nodesLength(); i++) {
                long length = fb.nodes(i).length();
                long nulls = fb.nodes(i).nullCount();
                if (length < 0 || length > Integer.MAX_VALUE || nulls < 0 || nulls > length) {
                    throw new IllegalArgumentException("field node " + i + " has length " + length + " and null count " + nulls);
                }
            }
            for (int i = 0; i < fb.buffersLength(); i++) {
                long offset = fb.buffers(i).offset();
                long length = fb.buffers(i).length();
                if (offset < 0 || length < 0 || offset > m.bodyLength() - length) {
                    throw new IllegalArgumentException("buffer " + i + " [" + offset + ", +" + length + ") lies outside the body of "
                            + m.bodyLength() + " bytes");
                }
            }
            if (fb.compression() != null && fb.compression().method() != 0) {
                throw new IllegalArgumentException("body compression method " + fb.compression().method() + " (expected BUFFER, 0)");
            }
            return null;
        });
    }

    /**
     * Arrow gives a column without nulls a validity buffer of one bit per row, so a node length
     * the data cannot back would be an allocation the file does not justify; every field but the
     * Null type needs at least one bit per row of body.
     */
    static void checkNodes(ArrowRecordBatch batch, Schema schema, long dataBytes, IpcMessage m) {
        List<Field> flat = new ArrayList<>();
        schema.getFields().forEach(f -> flatten(f, flat));
        if (batch.getNodes().size() != flat.size()) {
            throw new IllegalArgumentException("the record batch at byte " + m.position() + " has " + batch.getNodes().size()
                    + " field nodes but the schema has " + flat.size() + " fields");
        }
        for (int i = 0; i < flat.size(); i++) {
            long length = batch.getNodes().get(i).getLength();
            if (!(flat.get(i).getType() instanceof ArrowType.Null) && length > 8 * dataBytes + 64) {
                throw new IllegalArgumentException("the record batch at byte " + m.position() + ": field '" + flat.get(i).getName()
                        + "' has " + length + " rows but the batch holds only " + dataBytes + " bytes of data");
            }
        }
    }

    private static void flatten(Field f, List<Field> out) {
        out.add(f);
        f.getChildren().forEach(c -> flatten(c, out));
    }
}
