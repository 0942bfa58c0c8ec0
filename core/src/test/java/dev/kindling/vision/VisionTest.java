package dev.kindling.vision;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import dev.kindling.vision.models.LeNet5;
import dev.kindling.vision.models.ResNet;
import dev.kindling.vision.transforms.Transform;
import dev.kindling.vision.transforms.Transforms;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static dev.kindling.tensor.TestSupport.assertValues;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class VisionTest {
    @TempDir
    Path dir;

    static Path mnistDir() {
        return Path.of(System.getProperty("kindling.shared", "../../shared"), "data", "mnist");
    }

    private static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) out.writeInt(d);
        for (int i = 0; i < dataBytes; i++) out.writeByte(i % 251);
        return bytes.toByteArray();
    }

    @Test
    void idxFilesGzippedOrNot() throws IOException {
        byte[] raw = idx(0x00000803, new int[] {2, 3, 4}, 24);
        Files.write(dir.resolve("plain"), raw);
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("packed")))) {
            gz.write(raw);
        }
        Tensor a = Idx.readUnsignedBytes(dir.resolve("plain"), 3);
        Tensor b = Idx.readUnsignedBytes(dir.resolve("packed"), 3);
        assertShape(a, 2, 3, 4);
        assertEquals(DType.UINT8, a.dtype());
        assertTrue(a.equal(b));
        assertEquals(23.0, a.get(1, 2, 3));
    }

    @Test
    void corruptIdxFilesAreRejected() throws IOException {
        Files.write(dir.resolve("magic"), idx(0x00000801, new int[] {5}, 5));
        assertBadInput(() -> read(dir.resolve("magic"), 3), "wrong magic number 0x00000801", "expected 0x00000803");
        Files.write(dir.resolve("short"), idx(0x00000803, new int[] {2, 3, 4}, 10));
        assertBadInput(() -> read(dir.resolve("short"), 3), "truncated", "need 24 bytes", "only 10");
        Files.write(dir.resolve("tiny"), new byte[] {0, 0});
        assertBadInput(() -> read(dir.resolve("tiny"), 1), "truncated before the magic number");
        assertBadInput(() -> {
            try {
                MNIST.load(dir, true);
            } catch (IOException e) {
                throw new RuntimeException(e);
            }
        }, "no file train-images-idx3-ubyte");
    }

    @Test
    void idxSizesAreCheckedBeforeAllocating() throws IOException {
        Path plain = dir.resolve("huge-plain");
        Files.write(plain, idx(0x00000801, new int[] {0x40000000}, 3));
        assertBadInput(() -> read(plain, 1), plain.toString(), "truncated: sizes [1073741824] need 1073741824 bytes of data but only 3 follow");
        Path extra = dir.resolve("extra");
        Files.write(extra, idx(0x00000801, new int[] {2}, 3));
        assertBadInput(() -> read(extra, 1), "has bytes beyond what its sizes declare", "need 2 bytes of data but 3 follow");
        Path packed = dir.resolve("huge.gz");
        try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(packed))) {
            gz.write(idx(0x00000801, new int[] {0x40000000}, 3));
        }
        assertBadInput(() -> read(packed, 1), packed.toString(), "need 1073741824 bytes of data but only 3 are present");
        byte[] whole;
        try (ByteArrayOutputStream bytes = new ByteArrayOutputStream(); OutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(idx(0x00000801, new int[] {5000}, 5000));
            gz.close();
            whole = bytes.toByteArray();
        }
        Path cut = dir.resolve("cut.gz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length - 20));
        IOException e = org.junit.jupiter.api.Assertions.assertThrows(IOException.class, () -> Idx.readUnsignedBytes(cut, 1));
        assertTrue(e.getMessage().startsWith("IDX file " + cut + ": corrupt gzip stream: "), e.getMessage());
    }

    private static void read(Path p, int dims) {
        try {
            Idx.readUnsignedBytes(p, dims);
        } catch (IOException e) {
            throw new RuntimeException(e);
        }
    }

    @Test
    void realMnistLoads() throws IOException {
        MNIST test = MNIST.load(mnistDir(), false);
        assertEquals(10_000, test.size());
        Tensor[] s = test.get(0);
        assertShape(s[0], 1, 28, 28);
        assertEquals(DType.FLOAT32, s[0].dtype());
        assertTrue(s[0].max().item() <= 1.0 && s[0].min().item() >= 0.0);
        assertEquals(7L, s[1].itemLong(), "the first test digit is a 7");
        long[] counts = new long[10];
        for (long l : test.labels().toLongArray()) counts[(int) l]++;
        assertEquals(1135, counts[1]);
    }

    @Test
    void transforms() {
        Tensor img = Tensors.arange(0, 16, 1.0, DType.UINT8).view(4, 4);
        Tensor t = Transforms.toTensor().apply(img);
        assertShape(t, 1, 4, 4);
        assertEquals(15 / 255.0, t.get(0, 3, 3), 1e-7);
        Tensor n = Transforms.normalize(new double[] {0.5}, new double[] {0.25}).apply(t);
        assertEquals((15 / 255.0 - 0.5) / 0.25, n.get(0, 3, 3), 1e-6);
        Transform crop = Transforms.randomCrop(4, 2, new Generator(1));
        Tensor c = crop.apply(t);
        assertShape(c, 1, 4, 4);
        Tensor flipped = Transforms.randomHorizontalFlip(1.0, new Generator(2)).apply(t);
        assertValues(flipped.select(1, 0), 3 / 255.0, 2 / 255.0, 1 / 255.0, 0);
        assertTrue(Transforms.randomHorizontalFlip(0.0, new Generator(2)).apply(t).equal(t));
        Tensor composed = Transforms.compose(Transforms.toTensor(), Transforms.normalize(new double[] {0}, new double[] {1})).apply(img);
        assertTrue(composed.allclose(t));
        Tensor rgb = Tensors.zeros(DType.UINT8, 5, 6, 3);
        assertShape(Transforms.toTensor().apply(rgb), 3, 5, 6);
        assertBadInput(() -> Transforms.randomCrop(9, 0, new Generator(1)).apply(t), "larger than");
    }

    @Test
    void modelsFitTheirInputs() {
        Generator.seedDefault(1);
        assertShape(new LeNet5().forward(Tensors.zeros(2, 1, 28, 28)), 2, 10);
        assertShape(new LeNet5(3, 32, 10).forward(Tensors.zeros(2, 3, 32, 32)), 2, 10);
        assertShape(new ResNet(1, 10).forward(Tensors.zeros(2, 1, 28, 28)), 2, 10);
        assertShape(new ResNet(3, 10).forward(Tensors.zeros(2, 3, 32, 32)), 2, 10);
        assertBadInput(() -> new LeNet5().forward(Tensors.zeros(2, 1, 32, 32)), "expected input [N, C, 28, 28]");
    }
}
