package dev.kindling.examples;

import dev.kindling.backend.cpu.OpenBlas;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * A first look at Kindling's tensors: broadcasting, matmul through OpenBLAS, memory shared with a
 * Java array, and a gradient. Run it with the README's main-job command.
 */
public final class TensorDemo {
    private TensorDemo() {}

    public static void main(String[] args) {
        Generator g = new Generator(42);

        System.out.println("== broadcasting: [2, 3] + [3]");
        Tensor x = Tensors.tensor(new float[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor bias = Tensors.tensor(10f, 20f, 30f);
        System.out.println(x.add(bias));

        System.out.println("\n== matmul: [2, 3] @ [3, 2], via " + OpenBlas.describe());
        Tensor w = Tensors.randn(g, 3, 2);
        System.out.println(x.matmul(w));

        System.out.println("\n== a tensor made from a Java array shares its memory");
        float[] data = {1, 2, 3, 4, 5, 6};
        Tensor shared = Tensors.fromArray(data, 2, 3);
        shared.mul_(10);
        System.out.println("after tensor.mul_(10), the array is " + java.util.Arrays.toString(data));
        data[0] = -1;
        System.out.println("after data[0] = -1, the tensor is " + shared);

        System.out.println("\n== views share storage: transpose, slice, flip");
        Tensor m = Tensors.arange(12).reshape(3, 4);
        System.out.println(m.t());
        System.out.println(m.slice(1, 0, 4, 2));
        System.out.println(m.flip(0));

        System.out.println("\n== autograd: d/dw sum(relu(x @ w))");
        Tensor wg = w.clone().requiresGrad_(true);
        Tensor loss = x.matmul(wg).relu().sum();
        loss.backward();
        System.out.println("loss = " + loss.item());
        System.out.println("grad = " + wg.grad());
    }
}
