package dev.kindling.nn;

import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.Arrays;

/**
 * A batch of variable-length sequences packed time step by time step, as PyTorch's
 * {@code torch.nn.utils.rnn.PackedSequence}: {@code data} holds, for each step t, the rows of the
 * {@code batchSizes[t]} sequences still running, longest first. Built with
 * {@link #packPaddedSequence} and turned back into a padded batch with {@link #padPackedSequence};
 * both are differentiable (they are row selections), so gradients reach the padded input.
 */
public final class PackedSequence {
    private final Tensor data;
    private final int[] batchSizes;
    private final int[] sortedIndices;
    private final int[] unsortedIndices;
    private final int[] lengths;

    private PackedSequence(Tensor data, int[] batchSizes, int[] sortedIndices, int[] unsortedIndices, int[] lengths) {
        this.data = data;
        this.batchSizes = batchSizes;
        this.sortedIndices = sortedIndices;
        this.unsortedIndices = unsortedIndices;
        this.lengths = lengths;
    }

    /** A padded batch and each sequence's length, as {@code pad_packed_sequence} returns them. */
    public record Padded(Tensor padded, int[] lengths) {}

    /**
     * pack_padded_sequence(input, lengths, batch_first, enforce_sorted): input is [T, B, *] (or
     * [B, T, *] batch first); with enforceSorted the lengths must already be in decreasing order.
     */
    public static PackedSequence packPaddedSequence(Tensor input, int[] lengths, boolean batchFirst, boolean enforceSorted) {
        if (input.dim() < 2) {
            throw new IllegalArgumentException("pack_padded_sequence: input must have at least 2 dims but has shape "
                    + Shapes.str(input.shape()));
        }
        Tensor x = batchFirst ? input.transpose(0, 1) : input;
        int steps = x.size(0);
        int batch = x.size(1);
        if (lengths.length != batch) {
            throw new IllegalArgumentException("pack_padded_sequence: expected " + batch + " lengths (the batch size) but got "
                    + lengths.length);
        }
        for (int len : lengths) {
            if (len <= 0 || len > steps) {
                throw new IllegalArgumentException("pack_padded_sequence: every length must be in [1, " + steps + "] but got "
                        + Arrays.toString(lengths));
            }
        }
        Integer[] order = new Integer[batch];
        for (int b = 0; b < batch; b++) order[b] = b;
        if (enforceSorted) {
            for (int b = 1; b < batch; b++) {
                if (lengths[b] > lengths[b - 1]) {
                    throw new IllegalArgumentException("pack_padded_sequence: lengths must be sorted in decreasing order when "
                            + "enforce_sorted is true, but got " + Arrays.toString(lengths));
                }
            }
        } else {
            // stable, longest first, as torch.sort(descending=True) on these small integer lists
            Arrays.sort(order, (a, b) -> Integer.compare(lengths[b], lengths[a]));
        }
        int[] sorted = new int[batch];
        int[] unsorted = new int[batch];
        for (int j = 0; j < batch; j++) {
            sorted[j] = order[j];
            unsorted[order[j]] = j;
        }
        int[] sizes = new int[lengths[sorted[0]]];
        for (int t = 0; t < sizes.length; t++) {
            for (int len : lengths) if (len > t) sizes[t]++;
        }
        PackedSequence layout = new PackedSequence(null, sizes, enforceSorted ? null : sorted, enforceSorted ? null : unsorted,
                lengths.clone());
        return like(layout, x.narrow(0, 0, sizes.length));
    }

    /** A PackedSequence with {@code layout}'s batch sizes and order holding the rows of a time-major padded batch. */
    static PackedSequence like(PackedSequence layout, Tensor timeMajor) {
        int batch = timeMajor.size(1);
        int[] order = layout.order();
        int n = 0;
        for (int s : layout.batchSizes) n += s;
        long[] rows = new long[n];
        int k = 0;
        for (int t = 0; t < layout.batchSizes.length; t++) {
            for (int j = 0; j < layout.batchSizes[t]; j++) rows[k++] = (long) t * batch + order[j];
        }
        int[] rest = Arrays.copyOfRange(timeMajor.shape(), 2, timeMajor.dim());
        Tensor flat = timeMajor.reshape(concat(layout.batchSizes.length * batch, rest));
        Tensor data = flat.indexSelect(0, Tensors.fromArray(rows, n).to(timeMajor.device()));
        return new PackedSequence(data, layout.batchSizes, layout.sortedIndices, layout.unsortedIndices, layout.lengths);
    }

    /** pad_packed_sequence(self, batch_first, padding_value): the padded batch in the original order and the lengths. */
    public Padded padPackedSequence(boolean batchFirst, double paddingValue) {
        return padPackedSequence(batchFirst, paddingValue, batchSizes.length);
    }

    /** As {@link #padPackedSequence(boolean, double)}, padded to totalLength steps (at least the longest sequence). */
    public Padded padPackedSequence(boolean batchFirst, double paddingValue, int totalLength) {
        if (totalLength < batchSizes.length) {
            throw new IllegalArgumentException("pad_packed_sequence: total_length must be at least the longest length "
                    + batchSizes.length + " but got " + totalLength);
        }
        int batch = lengths.length;
        int n = data.size(0);
        int[] rank = unsortedIndices != null ? unsortedIndices : identity(batch);
        long[] rows = new long[totalLength * batch];
        int offset = 0;
        for (int t = 0; t < totalLength; t++) {
            for (int b = 0; b < batch; b++) {
                // row n is the padding row appended below
                rows[t * batch + b] = t < lengths[b] ? offset + rank[b] : n;
            }
            if (t < batchSizes.length) offset += batchSizes[t];
        }
        int[] rest = Arrays.copyOfRange(data.shape(), 1, data.dim());
        Tensor pad = Tensors.full(paddingValue, data.dtype(), data.device(), concat(1, rest));
        Tensor withPad = Tensors.cat(java.util.List.of(data, pad), 0);
        Tensor padded = withPad.indexSelect(0, Tensors.fromArray(rows, rows.length).to(data.device()))
                .view(concat2(totalLength, batch, rest));
        return new Padded(batchFirst ? padded.transpose(0, 1) : padded, lengths.clone());
    }

    private int[] order() { return sortedIndices != null ? sortedIndices : identity(lengths.length); }

    private static int[] identity(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) out[i] = i;
        return out;
    }

    private static int[] concat(int first, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = first;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    private static int[] concat2(int first, int second, int[] rest) {
        return concat(first, concat(second, rest));
    }

    public Tensor data() { return data; }

    /** How many sequences are still running at each step. */
    public int[] batchSizes() { return batchSizes.clone(); }

    /** The batch order by decreasing length, or null when the input was already sorted (enforce_sorted). */
    public int[] sortedIndices() { return sortedIndices == null ? null : sortedIndices.clone(); }

    /** The inverse of {@link #sortedIndices()}, or null likewise. */
    public int[] unsortedIndices() { return unsortedIndices == null ? null : unsortedIndices.clone(); }

    /** Each sequence's length, in the original batch order. */
    public int[] lengths() { return lengths.clone(); }
}
