package dev.kindling.vision;

import dev.kindling.data.Dataset;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.transforms.Transform;
import dev.kindling.vision.transforms.Transforms;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * MNIST (and, through {@link #fashion}, Fashion-MNIST) from the four standard IDX files in a
 * directory, gzipped or not, as {@code torchvision.datasets.MNIST}: sample i is
 * {@code {transform(image), label}} with the image a [1, 28, 28] float tensor in [0, 1] by default
 * and the label an int64 scalar. {@link #images()} and {@link #labels()} give the raw tensors for
 * fast whole-set preprocessing.
 */
public final class MNIST implements Dataset<Tensor[]> {
    private final Tensor images;   // uint8 [N, H, W]
    private final Tensor labels;   // int64 [N]
    private final Transform transform;

    private MNIST(Tensor images, Tensor labels, Transform transform) {
        this.images = images;
        this.labels = labels;
        this.transform = transform;
    }

    /** Loads the training (60k) or test (10k) split with the ToTensor transform. */
    public static MNIST load(Path dir, boolean train) throws IOException {
        return load(dir, train, Transforms.toTensor());
    }

    public static MNIST load(Path dir, boolean train, Transform transform) throws IOException {
        String prefix = train ? "train" : "t10k";
        Tensor images = Idx.readUnsignedBytes(find(dir, prefix + "-images-idx3-ubyte"), 3);
        Tensor labels = Idx.readUnsignedBytes(find(dir, prefix + "-labels-idx1-ubyte"), 1).to(DType.INT64);
        if (images.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("MNIST in " + dir + ": " + images.size(0) + " images but " + labels.size(0) + " labels");
        }
        return new MNIST(images, labels, transform);
    }

    /** Fashion-MNIST: the same file names and format. */
    public static MNIST fashion(Path dir, boolean train, Transform transform) throws IOException {
        return load(dir, train, transform);
    }

    /** The IDX file with this base name, gzipped or not. */
    static Path find(Path dir, String base) {
        for (String name : new String[] {base, base + ".gz", base.replace("-idx", ".idx"), base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) return p;
        }
        throw new IllegalArgumentException("MNIST: no file " + base + "[.gz] in " + dir.toAbsolutePath()
                + " (get the files with scripts/fetch-data.sh or point at a directory holding them)");
    }

    @Override
    public Tensor[] get(int index) {
        return new Tensor[] {transform.apply(images.select(0, index)), labels.select(0, index)};
    }

    @Override
    public int size() { return images.size(0); }

    /** uint8 [N, 28, 28]. */
    public Tensor images() { return images; }

    /** int64 [N]. */
    public Tensor labels() { return labels; }
}
