package dev.kindling.spark.serde;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.kindling.io.TensorCodec;
import dev.kindling.spark.data.DataKryo;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.train.TrainingKryo;
import dev.kindling.tensor.Tensor;
import org.apache.spark.serializer.KryoRegistrator;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.LinkedHashMap;

/**
 * Registers everything Kindling sends through Spark with explicit serializers, so fits run with
 * {@code spark.serializer=KryoSerializer} and {@code spark.kryo.registrationRequired=true}: tensors
 * in core's {@code TensorCodec} form; the broadcast model state; the per-partition
 * partial sums; a cached partition when a task fetches it from another executor. (Kryo's reflective serializer cannot write Java records on JDK 25, and explicit
 * layouts are smaller and faster anyway.)
 *
 * <p>It also registers the Spark classes that Spark's own ML stages, used around Kindling's in a
 * pipeline, send through Kryo without registering them ({@code SparkInternals.SPARK_ML_KRYO_CLASSES}), so a pipeline
 * runs with this registrator alone under {@code registrationRequired}.
 *
 * <p>Use with {@code spark.kryo.registrator=dev.kindling.spark.KindlingKryoRegistrator}.
 */
public final class KindlingKryoRegistrator implements KryoRegistrator {
    @Override
    public void registerClasses(Kryo kryo) {
        ClassLoader loader = kryo.getClassLoader();
        for (String name : SparkInternals.SPARK_ML_KRYO_CLASSES) {
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
        TrainingKryo.register(kryo);
        DataKryo.register(kryo);
    }

    /** A tensor in core's {@link TensorCodec} form (dtype, shape, little-endian element bytes). */
    static final class TensorSerializer extends Serializer<Tensor> {
        @Override
        public void write(Kryo kryo, Output out, Tensor t) {
            try {
                TensorCodec.write(t, new DataOutputStream(out));
            } catch (IOException e) {
                throw new KryoException(e);
            }
        }

        @Override
        public Tensor read(Kryo kryo, Input in, Class<Tensor> type) {
            try {
                return TensorCodec.read(new DataInputStream(in));
            } catch (IOException e) {
                throw new KryoException(e);
            }
        }
    }

}
