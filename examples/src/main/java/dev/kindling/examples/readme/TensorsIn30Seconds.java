package dev.kindling.examples.readme;

import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

public class TensorsIn30Seconds {
    public static void main(String[] args) {
        Tensor x = Tensors.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor y = x.add(Tensors.tensor(10f, 20f, 30f));          // broadcasting
        Tensor z = x.matmul(x.t());                               // OpenBLAS sgemm, transposed view, no copy
        float[] data = {1, 2, 3, 4};
        Tensor shared = Tensors.fromArray(data, 2, 2);            // shares data, like torch.from_numpy
        shared.mul_(2);                                           // data is now {2, 4, 6, 8}

        Tensor w = Tensors.randn(new Generator(0), 3, 2).requiresGrad_(true);
        Tensor loss = x.matmul(w).relu().sum();
        loss.backward();                                          // w.grad() holds d loss / d w
        System.out.println(y + "\n" + z + "\n" + java.util.Arrays.toString(data) + "\n" + w.grad());
    }
}
