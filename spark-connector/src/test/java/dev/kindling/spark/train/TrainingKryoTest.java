package dev.kindling.spark.train;

import dev.kindling.spark.serde.KindlingKryoRegistrator;
import org.apache.spark.SparkConf;
import org.apache.spark.serializer.DeserializationStream;
import org.apache.spark.serializer.KryoSerializer;
import org.apache.spark.serializer.SerializationStream;
import org.apache.spark.serializer.SerializerInstance;
import org.junit.jupiter.api.Test;
import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * What training sends through Spark's Kryo comes back bit for bit: gradients, model states,
 * optimizer states and gradient slices, with arrays of tens of thousands of elements, empty and
 * null ones, and floats that are NaNs with payloads, signed zeros, subnormals and infinities; through
 * a whole buffer (task results) and through a stream with a 1 KiB buffer (broadcasts), which
 * flushes in the middle of every array.
 */
class TrainingKryoTest {
    private static final ClassTag<Object> ANY = ClassTag$.MODULE$.apply(Object.class);

    private static SerializerInstance kryo() {
        SparkConf conf = new SparkConf()
                .set("spark.kryo.registrationRequired", "true")
                .set("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .set("spark.kryoserializer.buffer", "1k");
        return new KryoSerializer(conf).newInstance();
    }

    /** n floats: the special values first, then random bit patterns (every exponent and payload). */
    private static float[] floats(int n, long seed) {
        float[] special = {Float.intBitsToFloat(0x7fc01234), Float.intBitsToFloat(0xffa00001), -0.0f, 0.0f, Float.MIN_VALUE,
                -Float.MIN_NORMAL / 3, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.MAX_VALUE, 1.0f};
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i < special.length ? special[i] : Float.intBitsToFloat(r.nextInt());
        return v;
    }

    private static void assertBits(float[] expected, float[] actual, String what) {
        if (expected == null) {
            assertNull(actual, what);
            return;
        }
        assertEquals(expected.length, actual.length, what + " length");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + " element " + i);
        }
    }

    /** value after a trip through a whole buffer, and after one through a stream. */
    private static Object[] bothWays(Object value) throws Exception {
        SerializerInstance k = kryo();
        ByteBuffer bytes = k.serialize(value, ANY);
        Object viaBuffer = k.deserialize(bytes, ANY);

        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        SerializationStream out = k.serializeStream(sink);
        out.writeObject(value, ANY);
        out.close();
        DeserializationStream in = kryo().deserializeStream(new ByteArrayInputStream(sink.toByteArray()));
        Object viaStream = in.readObject(ANY);
        in.close();
        return new Object[] {viaBuffer, viaStream};
    }

    @Test
    void partialsRoundTripBitForBit() throws Exception {
        // 40,000 floats (160 KB); the buffer row is empty; an evaluation partial has no vectors.
        Partial step = Partial.ofStep(3, floats(40_000, 1), new float[0], 12.5, 64, 7).weighted(63.5);
        step.computeNanos = 123_456;
        for (Object o : bothWays(step)) {
            Partial p = (Partial) o;
            assertEquals(3, p.index);
            assertBits(step.vectors[0], p.vectors[0], "gradient sum");
            assertBits(step.vectors[1], p.vectors[1], "buffer sum");
            assertEquals(12.5, p.lossSum);
            assertEquals(64, p.count);
            assertEquals(63.5, p.weightSum);
            assertEquals(7, p.correct);
            assertEquals(123_456, p.computeNanos);
        }
        for (Object o : bothWays(Partial.ofEvaluation(1, 2.0, 3, 1))) assertNull(((Partial) o).vectors, "no vectors");
    }

    @Test
    void modelStatesRoundTripBitForBit() throws Exception {
        OptimizerState os = new OptimizerState(new String[] {"exp_avg", "exp_avg_sq"}, new float[][] {floats(20_000, 2), floats(5, 3)}, 17);
        Map<String, Long> ints = new LinkedHashMap<>();
        ints.put("bn.num_batches_tracked", 41L);
        ModelState state = new ModelState(floats(70_001, 4), ints, os, new double[] {1e-3, 0.5});
        for (Object o : bothWays(state)) {
            ModelState s = (ModelState) o;
            assertBits(state.flat(), s.flat(), "flat parameters");
            assertEquals(ints, s.intBuffers());
            assertArrayEquals(os.keys(), s.optimizer().keys());
            assertBits(os.values()[0], s.optimizer().values()[0], "exp_avg");
            assertBits(os.values()[1], s.optimizer().values()[1], "exp_avg_sq");
            assertEquals(17, s.optimizer().step());
            assertArrayEquals(state.lrs(), s.lrs());
        }
    }

    @Test
    void gradientSlicesRoundTripBitForBit() throws Exception {
        short[] half = new short[33_000]; // 66 KB of bfloat16
        Random r = new Random(5);
        for (int i = 0; i < half.length; i++) half[i] = (short) r.nextInt();
        Partial rest = Partial.ofStep(0, floats(3, 6), null, 1.0, 2, 0);
        GradientSlice asShorts = new GradientSlice(1, 2, 1000, null, half, rest);
        for (Object o : bothWays(asShorts)) {
            GradientSlice s = (GradientSlice) o;
            assertEquals(1, s.partition);
            assertEquals(2, s.shard);
            assertEquals(1000, s.from);
            assertNull(s.values);
            assertArrayEquals(half, s.bfloat16);
            assertBits(rest.vectors[0], s.rest.vectors[0], "rest's gradient");
            assertNull(s.rest.vectors[1], "rest's missing buffer row");
        }
        GradientSlice asFloats = new GradientSlice(0, 0, 0, floats(16_385, 7), null, null);
        for (Object o : bothWays(asFloats)) {
            GradientSlice s = (GradientSlice) o;
            assertBits(asFloats.values, s.values, "float slice");
            assertNull(s.bfloat16);
            assertNull(s.rest);
        }
    }
}
