package dev.kindling.examples;

import dev.kindling.data.Csv;
import dev.kindling.data.TensorDataset;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import dev.kindling.vision.MNIST;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * The training and test sets of the examples, already normalised as whole tensors: sklearn's
 * digits (shipped in this jar, split 80/20 with a seed) or MNIST from a directory of IDX files.
 */
public record ClassificationData(String name, TensorDataset train, TensorDataset test, int[] sampleShape, int classes) {

    /** sklearn's 8x8 digits: pixels 0..16 scaled to [0, 1], a seeded 80/20 split. */
    public static ClassificationData digits(long seed) throws IOException {
        Tensor table;
        try (InputStream in = ClassificationData.class.getResourceAsStream("digits.csv.gz")) {
            if (in == null) throw new IllegalStateException("digits.csv.gz is missing from the examples jar");
            table = Csv.readNumeric(in, "digits.csv.gz", false);
        }
        Tensor x = table.narrow(1, 0, 64).div(16.0).to(DType.FLOAT32).contiguous();
        Tensor y = Csv.labels(table, 64);
        Tensor perm = Tensors.randperm(x.size(0), new Generator(seed));
        int nTrain = (int) Math.round(0.8 * x.size(0));
        Tensor trainIdx = perm.narrow(0, 0, nTrain);
        Tensor testIdx = perm.narrow(0, nTrain, x.size(0) - nTrain);
        return new ClassificationData("digits", new TensorDataset(x.indexSelect(0, trainIdx), y.indexSelect(0, trainIdx)),
                new TensorDataset(x.indexSelect(0, testIdx), y.indexSelect(0, testIdx)), new int[] {64}, 10);
    }

    /**
     * MNIST from IDX files: images as [N, 1, 28, 28] float32 normalised with MNIST's mean and std
     * (0.1307, 0.3081), labels int64; {@code limit} keeps the first N training images (0 = all).
     */
    public static ClassificationData mnist(Path dir, int limit) throws IOException {
        MNIST train = MNIST.load(dir, true);
        MNIST test = MNIST.load(dir, false);
        Tensor xTrain = normalise(train.images());
        Tensor yTrain = train.labels();
        if (limit > 0 && limit < xTrain.size(0)) {
            xTrain = xTrain.narrow(0, 0, limit).contiguous();
            yTrain = yTrain.narrow(0, 0, limit).contiguous();
        }
        return new ClassificationData("mnist", new TensorDataset(xTrain, yTrain),
                new TensorDataset(normalise(test.images()), test.labels()), new int[] {1, 28, 28}, 10);
    }

    private static Tensor normalise(Tensor images) {
        return images.to(DType.FLOAT32).div(255.0).sub(0.1307).div(0.3081).unsqueeze(1).contiguous();
    }

    /** Features per sample when flattened. */
    public int features() {
        int n = 1;
        for (int s : sampleShape) n *= s;
        return n;
    }
}
