package dev.kindling.examples.readme;

import dev.kindling.data.DataLoader;
import dev.kindling.data.TensorDataset;
import dev.kindling.io.SafeTensors;
import dev.kindling.nn.Flatten;
import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.functional.F;
import dev.kindling.optim.Adam;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.vision.MNIST;

import java.nio.file.Files;
import java.nio.file.Path;

public class TrainInOneJvm {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args.length > 0 ? args[0] : "../shared/data/mnist");   // MNIST's IDX files
        MNIST mnist = MNIST.load(dir, true);
        Tensor x = mnist.images().to(DType.FLOAT32).div(255.0);                  // [60000, 28, 28]
        Tensor y = mnist.labels();                                                // int64 [60000]

        Generator.seedDefault(0);
        var net = new Sequential(new Flatten(), new Linear(784, 256), new ReLU(), new Linear(256, 10));
        Adam opt = new Adam(net.parameters(), 1e-3);
        var loader = DataLoader.of(new TensorDataset(x, y),
                DataLoader.options().batchSize(64).shuffle(true).generator(new Generator(1)));
        for (int epoch = 0; epoch < 2; epoch++) {
            for (Tensor[] batch : loader) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(net.forward(batch[0]), batch[1]);
                loss.backward();
                opt.step();
            }
            System.out.println("epoch " + (epoch + 1) + " done");
        }
        Path out = Files.createDirectories(Path.of("kindling-output")).resolve("model.safetensors");
        SafeTensors.save(net.stateDict(), out);              // loads in PyTorch with safetensors.torch
    }
}
