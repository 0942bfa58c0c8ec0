package dev.kindling.linalg;

import dev.kindling.autograd.Graph;
import dev.kindling.ops.Joining;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * One autograd node for a factorization with several outputs (eigh's values and vectors, svd's
 * U, S, Vh), whose backward needs all their gradients at once: the outputs, sharing leading batch
 * dims, are packed side by side into one recorded tensor and handed out as views of it. The
 * backward receives one gradient per output (zeros for an output that got none).
 */
final class MultiOutput {
    private MultiOutput() {}

    static Tensor[] record(String name, Tensor[] outs, int batchDims, Tensor input, Function<Tensor[], Tensor> backward) {
        int[] batch = Arrays.copyOf(outs[0].shape(), batchDims);
        int[] widths = new int[outs.length];
        List<Tensor> flat = new ArrayList<>();
        for (int i = 0; i < outs.length; i++) {
            int[] tail = Arrays.copyOfRange(outs[i].shape(), batchDims, outs[i].dim());
            widths[i] = Shapes.numel(tail);
            flat.add(outs[i].reshape(concat(batch, widths[i])));
        }
        Tensor packed = Joining.cat(flat, batchDims);
        int[][] shapes = new int[outs.length][];
        for (int i = 0; i < outs.length; i++) shapes[i] = outs[i].shape();
        packed = Graph.record(name, packed, input, g -> backward.apply(split(g, widths, shapes, batch)));
        return split(packed, widths, shapes, batch);
    }

    private static Tensor[] split(Tensor packed, int[] widths, int[][] shapes, int[] batch) {
        Tensor[] out = new Tensor[widths.length];
        int off = 0;
        for (int i = 0; i < widths.length; i++) {
            out[i] = packed.narrow(batch.length, off, widths[i]).reshape(shapes[i]);
            off += widths[i];
        }
        return out;
    }

    private static int[] concat(int[] a, int b) {
        int[] out = Arrays.copyOf(a, a.length + 1);
        out[a.length] = b;
        return out;
    }
}
