package dev.kindling.spark.data;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;

/**
 * The Kryo wire form of a cached {@link PartitionData}, for a task that fetches a partition from
 * another executor: its batches' tensors (written by the registered tensor serializer), read back
 * onto the Java heap. {@code KindlingKryoRegistrator} calls {@link #register}.
 */
public final class DataKryo {
    private DataKryo() {}

    /** Registers this package's types with their serializers (tensors must be registered too). */
    public static void register(Kryo kryo) {
        kryo.register(PartitionData.class, new PartitionDataSerializer());
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
                kryo.writeObjectOrNull(out, d.batchWeights(b), Tensor.class);
            }
        }

        @Override
        public PartitionData read(Kryo kryo, Input in, Class<PartitionData> type) {
            int partition = in.readInt(true);
            int rank = in.readInt();
            int[] shape = rank < 0 ? null : in.readInts(rank);
            int n = in.readInt(true);
            List<Tensor> xs = new ArrayList<>();
            List<Tensor> ys = new ArrayList<>();
            List<Tensor> ws = new ArrayList<>();
            for (int b = 0; b < n; b++) {
                xs.add(kryo.readObject(in, Tensor.class));
                ys.add(kryo.readObjectOrNull(in, Tensor.class));
                ws.add(kryo.readObjectOrNull(in, Tensor.class));
            }
            return PartitionData.onHeap(partition, xs, ys, ws, shape);
        }
    }
}
