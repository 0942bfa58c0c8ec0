package dev.kindling.spark;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.spark.serializer.KryoRegistrator;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Registers everything Kindling sends through Spark with explicit serializers, so fits run with
 * {@code spark.serializer=KryoSerializer} and {@code spark.kryo.registrationRequired=true}: tensors
 * as dtype, shape and raw little-endian bytes; the broadcast model state; the per-partition
 * partial sums; a cached partition when a task fetches it from another executor. (Kryo's reflective serializer cannot write Java records on JDK 25, and explicit
 * layouts are smaller and faster anyway.)
 *
 * <p>It also registers the Spark classes that Spark's own ML stages, used around Kindling's in a
 * pipeline, send through Kryo without registering them ({@link #SPARK_ML_CLASSES}), so a pipeline
 * runs with this registrator alone under {@code registrationRequired}.
 *
 * <p>Use with {@code spark.kryo.registrator=dev.kindling.spark.KindlingKryoRegistrator}.
 */
public final class KindlingKryoRegistrator implements KryoRegistrator {
    /**
     * Spark classes that Spark ML ships through Kryo unregistered (found with
     * registrationRequired=true): StringIndexerModel's Parquet reader sends a schema holding an
     * ArrayType; RegressionEvaluator aggregates SummarizerBuffers and the metric objects they hold.
     * Named, not referenced, since most are private to Spark; a name this Spark lacks is skipped.
     */
    static final String[] SPARK_ML_CLASSES = {
        "[Lorg.apache.spark.sql.types.DataType;",
        "org.apache.spark.sql.types.ArrayType",
        "org.apache.spark.ml.stat.SummarizerBuffer",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
    };

    @Override
    public void registerClasses(Kryo kryo) {
        ClassLoader loader = kryo.getClassLoader();
        for (String name : SPARK_ML_CLASSES) {
            try {
                kryo.register(Class.forName(name, false, loader));
            } catch (ClassNotFoundException e) {
                // another Spark version: nothing of that name to send
            }
        }
        kryo.register(float[].class);
        kryo.register(float[][].class);
        kryo.register(double[].class);
        kryo.register(long[].class);
        kryo.register(int[].class);
        kryo.register(int[][].class);
        kryo.register(int[][][].class);
        kryo.register(String[].class);
        kryo.register(LinkedHashMap.class);
        kryo.register(Tensor.class, new TensorSerializer());
        kryo.register(Partial.class, new PartialSerializer());
        kryo.register(OptimizerState.class, new OptimizerStateSerializer());
        kryo.register(ModelState.class, new ModelStateSerializer());
        kryo.register(PartitionData.class, new PartitionDataSerializer());
    }

    /** A tensor as dtype, shape and its elements' bytes (contiguous, native order). */
    static final class TensorSerializer extends Serializer<Tensor> {
        @Override
        public void write(Kryo kryo, Output out, Tensor t) {
            Tensor c = t.detach().to(dev.kindling.tensor.Device.CPU).contiguous();
            out.writeByte(c.dtype().ordinal());
            out.writeInt(c.dim(), true);
            for (int s : c.shape()) out.writeInt(s, true);
            byte[] bytes = c.dataSegment().toArray(java.lang.foreign.ValueLayout.JAVA_BYTE);
            out.writeInt(bytes.length, true);
            out.writeBytes(bytes);
        }

        @Override
        public Tensor read(Kryo kryo, Input in, Class<Tensor> type) {
            DType dtype = DType.values()[in.readByte()];
            int[] shape = new int[in.readInt(true)];
            for (int i = 0; i < shape.length; i++) shape[i] = in.readInt(true);
            byte[] bytes = in.readBytes(in.readInt(true));
            Tensor t = Tensors.empty(dtype, shape);
            java.lang.foreign.MemorySegment.copy(java.lang.foreign.MemorySegment.ofArray(bytes), 0, t.dataSegment(), 0, bytes.length);
            return t;
        }
    }

    static void writeFloats(Output out, float[] v) {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        out.writeFloats(v);
    }

    static float[] readFloats(Input in) {
        int n = in.readInt();
        return n < 0 ? null : in.readFloats(n);
    }

    static void writeMatrix(Output out, float[][] m) {
        if (m == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(m.length);
        for (float[] row : m) writeFloats(out, row);
    }

    static float[][] readMatrix(Input in) {
        int n = in.readInt();
        if (n < 0) return null;
        float[][] m = new float[n][];
        for (int i = 0; i < n; i++) m[i] = readFloats(in);
        return m;
    }

    static void writeStrings(Output out, String[] s) {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(s.length);
        for (String x : s) out.writeString(x);
    }

    static String[] readStrings(Input in) {
        int n = in.readInt();
        if (n < 0) return null;
        String[] s = new String[n];
        for (int i = 0; i < n; i++) s[i] = in.readString();
        return s;
    }

    static final class PartialSerializer extends Serializer<Partial> {
        @Override
        public void write(Kryo kryo, Output out, Partial p) {
            out.writeInt(p.index);
            writeMatrix(out, p.vectors);
            out.writeDouble(p.lossSum);
            out.writeLong(p.count);
            out.writeLong(p.correct);
            out.writeLong(p.computeNanos);
            writeStrings(out, p.stateKeys);
            out.writeLong(p.optimizerStep);
        }

        @Override
        public Partial read(Kryo kryo, Input in, Class<Partial> type) {
            int index = in.readInt();
            float[][] vectors = readMatrix(in);
            Partial p = new Partial(index, vectors, in.readDouble(), in.readLong(), in.readLong(), in.readLong());
            p.stateKeys = readStrings(in);
            p.optimizerStep = in.readLong();
            return p;
        }
    }

    static final class OptimizerStateSerializer extends Serializer<OptimizerState> {
        @Override
        public void write(Kryo kryo, Output out, OptimizerState s) {
            writeStrings(out, s.keys());
            writeMatrix(out, s.values());
            out.writeLong(s.step());
        }

        @Override
        public OptimizerState read(Kryo kryo, Input in, Class<OptimizerState> type) {
            return new OptimizerState(readStrings(in), readMatrix(in), in.readLong());
        }
    }

    static final class ModelStateSerializer extends Serializer<ModelState> {
        @Override
        public void write(Kryo kryo, Output out, ModelState s) {
            writeFloats(out, s.flat());
            out.writeInt(s.intBuffers().size());
            for (Map.Entry<String, Long> e : s.intBuffers().entrySet()) {
                out.writeString(e.getKey());
                out.writeLong(e.getValue());
            }
            kryo.writeObject(out, s.optimizer());
            out.writeInt(s.lrs().length);
            out.writeDoubles(s.lrs());
        }

        @Override
        public ModelState read(Kryo kryo, Input in, Class<ModelState> type) {
            float[] flat = readFloats(in);
            int n = in.readInt();
            Map<String, Long> ints = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) ints.put(in.readString(), in.readLong());
            OptimizerState os = kryo.readObject(in, OptimizerState.class);
            double[] lrs = in.readDoubles(in.readInt());
            return new ModelState(flat, ints, os, lrs);
        }
    }

    /** A cached partition as its batches' tensors; it is read back onto the Java heap. */
    static final class PartitionDataSerializer extends Serializer<PartitionData> {
        @Override
        public void write(Kryo kryo, Output out, PartitionData d) {
            out.writeInt(d.partition(), true);
            int[] shape = d.sampleShape();
            out.writeInt(shape == null ? -1 : shape.length);
            if (shape != null) out.writeInts(shape);
            out.writeInt(d.batches(), true);
            for (int b = 0; b < d.batches(); b++) {
                kryo.writeObject(out, d.batchFeatures(b));
                kryo.writeObjectOrNull(out, d.batchLabels(b), Tensor.class);
            }
        }

        @Override
        public PartitionData read(Kryo kryo, Input in, Class<PartitionData> type) {
            int partition = in.readInt(true);
            int rank = in.readInt();
            int[] shape = rank < 0 ? null : in.readInts(rank);
            int n = in.readInt(true);
            java.util.List<Tensor> xs = new java.util.ArrayList<>();
            java.util.List<Tensor> ys = new java.util.ArrayList<>();
            for (int b = 0; b < n; b++) {
                xs.add(kryo.readObject(in, Tensor.class));
                ys.add(kryo.readObjectOrNull(in, Tensor.class));
            }
            return PartitionData.onHeap(partition, xs, ys, shape);
        }
    }
}
