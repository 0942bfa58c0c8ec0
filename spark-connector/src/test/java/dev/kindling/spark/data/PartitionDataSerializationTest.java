package dev.kindling.spark.data;

import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import dev.kindling.tensor.Tensor;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.JavaSerializer;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.Serializer;
import org.apache.spark.serializer.SerializerInstance;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A cached partition survives the trip Spark makes when a task runs on an executor without the
 * block: serialized on the holder, read back on the heap with the same rows, with Kryo
 * (registration required) and with Java serialization.
 */
class PartitionDataSerializationTest extends LocalSparkTest {

    @Test
    void roundTripsThroughKryoAndJavaSerialization() throws Exception {
        Dataset<Row> df = SparkTestSupport.digits(spark, 2);
        FeatureSpec fs = FeatureSpec.of(df.schema(), "features", null);
        LabelSpec ls = LabelSpec.of(df.schema(), "label", true);
        // 100 rows per Arrow batch, so every partition spans several batches.
        try (CachedDataset cached = CachedDataset.convert(df, "training", fs, ls, 100, true)) {
            List<float[]> checks = cached.rdd().map(d -> {
                SparkConf conf = new SparkConf()
                        .set("spark.kryo.registrationRequired", "true")
                        .set("spark.kryo.registrator", KindlingKryoRegistrator.class.getName());
                Tensor[] original = d.all();
                float[] out = new float[4];
                int k = 0;
                for (Serializer s : new Serializer[] {new KryoSerializer(conf), new JavaSerializer(conf)}) {
                    SerializerInstance in = s.newInstance();
                    ByteBuffer bytes = in.serialize(d, scala.reflect.ClassTag$.MODULE$.apply(PartitionData.class));
                    PartitionData copy = in.deserialize(bytes, scala.reflect.ClassTag$.MODULE$.apply(PartitionData.class));
                    Tensor[] back = copy.all();
                    out[k++] = copy.rows() == d.rows() && copy.partition() == d.partition() ? 1 : 0;
                    out[k++] = java.util.Arrays.equals(back[0].toFloatArray(), original[0].toFloatArray())
                            && java.util.Arrays.equals(back[1].toLongArray(), original[1].toLongArray()) ? 1 : 0;
                    copy.close();
                }
                return out;
            }).collect();
            assertEquals(2, checks.size());
            for (float[] c : checks) assertArrayEquals(new float[] {1, 1, 1, 1}, c, "rows, partition and values after Kryo, then Java");
        }
        assertEquals(0, ExecutorArrow.allocatedBytes(), "closing the cached dataset frees the executors' Arrow memory");
    }
}
