package dev.kindling.data;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

class DataLoaderTest {
    private final TensorDataset ds = new TensorDataset(Tensors.arange(0, 103, 1.0, DType.FLOAT32).view(103, 1), Tensors.arange(103));

    private List<long[]> epoch(DataLoader<Tensor[], Tensor[]> loader) {
        List<long[]> out = new ArrayList<>();
        for (Tensor[] b : loader) out.add(b[1].toLongArray());
        return out;
    }

    @Test
    void batchesInOrderWithTheLastOneShort() {
        DataLoader<Tensor[], Tensor[]> loader = DataLoader.of(ds, DataLoader.options().batchSize(10));
        assertEquals(11, loader.size());
        List<long[]> e = epoch(loader);
        assertEquals(11, e.size());
        assertArrayEquals(new long[] {100, 101, 102}, e.get(10));
        Tensor[] first = loader.iterator().next();
        assertShape(first[0], 10, 1);
        assertEquals(10, DataLoader.of(ds, DataLoader.options().batchSize(10).dropLast(true)).size());
        assertEquals(10, epoch(DataLoader.of(ds, DataLoader.options().batchSize(10).dropLast(true))).size());
    }

    @Test
    void shuffleIsSeededAndIndependentOfWorkerCount() {
        List<List<long[]>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 3}) {
            DataLoader<Tensor[], Tensor[]> loader = DataLoader.of(ds, DataLoader.options().batchSize(8).shuffle(true)
                    .generator(new Generator(42)).numWorkers(workers));
            List<long[]> two = epoch(loader);
            two.addAll(epoch(loader));
            runs.add(two);
        }
        for (int r = 1; r < runs.size(); r++) {
            for (int i = 0; i < runs.get(0).size(); i++) assertArrayEquals(runs.get(0).get(i), runs.get(r).get(i), "run " + r + " batch " + i);
        }
        Set<Long> seen = new HashSet<>();
        for (int i = 0; i < 13; i++) for (long v : runs.get(0).get(i)) seen.add(v);
        assertEquals(103, seen.size(), "an epoch visits every sample once");
        assertFalse(Arrays.equals(runs.get(0).get(0), runs.get(0).get(13)), "the second epoch is reshuffled");
    }

    @Test
    void workerErrorsReachTheCaller() {
        Dataset<Tensor[]> broken = new Dataset<>() {
            public Tensor[] get(int i) {
                if (i == 7) throw new IllegalArgumentException("bad sample 7");
                return new Tensor[] {Tensors.scalar(i)};
            }

            public int size() { return 20; }
        };
        DataLoader<Tensor[], Tensor[]> loader = DataLoader.of(broken, DataLoader.options().batchSize(4).numWorkers(2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
            for (Tensor[] b : loader) b[0].sum();
        });
        assertEquals("bad sample 7", e.getMessage());
    }

    @Test
    void badInput() {
        Dataset<Tensor[]> empty = new TensorDataset(Tensors.zeros(0, 3));
        assertBadInput(() -> DataLoader.of(empty, DataLoader.options()), "empty");
        assertBadInput(() -> DataLoader.of(ds, DataLoader.options().batchSize(0)), "batchSize");
        assertBadInput(() -> new TensorDataset(Tensors.zeros(3), Tensors.zeros(4)), "size mismatch");
        Dataset<Tensor[]> ragged = new Dataset<>() {
            public Tensor[] get(int i) { return new Tensor[] {Tensors.zeros(i + 1)}; }

            public int size() { return 3; }
        };
        assertBadInput(() -> epoch(DataLoader.of(ragged, DataLoader.options().batchSize(3))), "field 0 of sample 1", "[2]");
    }

    @Test
    void splitsSubsetsAndSamplers() {
        List<Subset<Tensor[]>> parts = Datasets.randomSplit(ds, new int[] {80, 23}, new Generator(1));
        assertEquals(80, parts.get(0).size());
        Set<Integer> all = new HashSet<>();
        for (Subset<Tensor[]> p : parts) for (int i : p.indices()) all.add(i);
        assertEquals(103, all.size());
        List<Subset<Tensor[]>> frac = Datasets.randomSplit(ds, new double[] {0.5, 0.5}, new Generator(1));
        assertEquals(52, frac.get(0).size());
        assertEquals(51, frac.get(1).size());
        assertBadInput(() -> Datasets.randomSplit(ds, new int[] {10, 10}, new Generator(1)), "does not equal");
        ConcatDataset<Tensor[]> cat = new ConcatDataset<>(List.of(parts.get(0), parts.get(1)));
        assertEquals(103, cat.size());
        assertEquals(parts.get(1).get(0)[1].itemLong(), cat.get(80)[1].itemLong());
        SubsetRandomSampler s = new SubsetRandomSampler(new int[] {5, 6, 7}, new Generator(3));
        int[] e = s.epoch();
        Arrays.sort(e);
        assertArrayEquals(new int[] {5, 6, 7}, e);
        RandomSampler withReplacement = new RandomSampler(5, true, 50, new Generator(4));
        assertEquals(50, withReplacement.epoch().length);
        assertBadInput(() -> new RandomSampler(0, new Generator(1)), "num_samples should be a positive integer");
    }
}
