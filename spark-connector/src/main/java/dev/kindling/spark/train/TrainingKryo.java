package dev.kindling.spark.train;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Kryo wire form of what training sends through Spark: the per-partition {@link Partial}
 * sums, the broadcast {@link ModelState} and the {@link OptimizerState} it carries. Kept next to
 * the types so their fields stay private to this package; {@code KindlingKryoRegistrator} calls
 * {@link #register}.
 */
public final class TrainingKryo {
    private TrainingKryo() {}

    /** Registers this package's types with their serializers. */
    public static void register(Kryo kryo) {
        kryo.register(Partial.class, new PartialSerializer());
        kryo.register(OptimizerState.class, new OptimizerStateSerializer());
        kryo.register(ModelState.class, new ModelStateSerializer());
        kryo.register(GradientSlice.class, new GradientSliceSerializer());
    }

    private static void writeFloats(Output out, float[] v) {
        if (v == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(v.length);
        out.writeFloats(v);
    }

    private static float[] readFloats(Input in) {
        int n = in.readInt();
        return n < 0 ? null : in.readFloats(n);
    }

    private static void writeMatrix(Output out, float[][] m) {
        if (m == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(m.length);
        for (float[] row : m) writeFloats(out, row);
    }

    private static float[][] readMatrix(Input in) {
        int n = in.readInt();
        if (n < 0) return null;
        float[][] m = new float[n][];
        for (int i = 0; i < n; i++) m[i] = readFloats(in);
        return m;
    }

    private static void writeStrings(Output out, String[] s) {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(s.length);
        for (String x : s) out.writeString(x);
    }

    private static String[] readStrings(Input in) {
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
            out.writeDouble(p.weightSum);
            out.writeLong(p.correct);
            out.writeLong(p.computeNanos);
            writeStrings(out, p.stateKeys);
            out.writeLong(p.optimizerStep);
        }

        @Override
        public Partial read(Kryo kryo, Input in, Class<Partial> type) {
            int index = in.readInt();
            float[][] vectors = readMatrix(in);
            double lossSum = in.readDouble();
            long count = in.readLong();
            double weightSum = in.readDouble();
            Partial p = new Partial(index, vectors, lossSum, count, in.readLong(), in.readLong()).weighted(weightSum);
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

    static final class GradientSliceSerializer extends Serializer<GradientSlice> {
        @Override
        public void write(Kryo kryo, Output out, GradientSlice s) {
            out.writeInt(s.partition);
            out.writeInt(s.shard);
            out.writeInt(s.from);
            writeFloats(out, s.values);
            if (s.bfloat16 == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(s.bfloat16.length);
                out.writeShorts(s.bfloat16);
            }
            out.writeBoolean(s.rest != null);
            if (s.rest != null) kryo.writeObject(out, s.rest);
        }

        @Override
        public GradientSlice read(Kryo kryo, Input in, Class<GradientSlice> type) {
            int partition = in.readInt();
            int shard = in.readInt();
            int from = in.readInt();
            float[] values = readFloats(in);
            int n = in.readInt();
            short[] half = n < 0 ? null : in.readShorts(n);
            Partial rest = in.readBoolean() ? kryo.readObject(in, Partial.class) : null;
            return new GradientSlice(partition, shard, from, values, half, rest);
        }
    }
}
