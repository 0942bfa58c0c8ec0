package dev.kindling.nn;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The structure and argument checks of the sequence modules added for issue 16 (their numbers are
 * compared with PyTorch's in {@code ModuleReferenceTest}): PackedSequence's layout, state-dict
 * names as PyTorch's, the causal mask, and the IllegalArgumentExceptions for bad shapes.
 */
class SequenceModulesTest {

    private static Tensor seq(int steps, int batch, int features) {
        return Tensors.randn(new Generator(3), steps, batch, features).to(DType.FLOAT64);
    }

    @Test
    void packingFollowsPyTorchsLayoutAndUnpackingRestoresThePaddedBatch() {
        Tensor x = seq(4, 3, 2);
        PackedSequence p = PackedSequence.packPaddedSequence(x, new int[] {2, 4, 1}, false, false);
        // torch: batch_sizes [3, 2, 1, 1], sorted_indices [1, 0, 2], unsorted_indices [1, 0, 2]
        assertArrayEquals(new int[] {3, 2, 1, 1}, p.batchSizes());
        assertArrayEquals(new int[] {1, 0, 2}, p.sortedIndices());
        assertArrayEquals(new int[] {1, 0, 2}, p.unsortedIndices());
        assertShape(p.data(), 7, 2);
        assertArrayEquals(x.select(0, 0).select(0, 1).toDoubleArray(), p.data().select(0, 0).toDoubleArray());
        PackedSequence.Padded back = p.padPackedSequence(true, -1.0, 5);
        assertShape(back.padded(), 3, 5, 2);
        assertArrayEquals(x.select(1, 1).toDoubleArray(), back.padded().select(0, 1).narrow(0, 0, 4).toDoubleArray());
        assertArrayEquals(new double[] {-1, -1}, back.padded().select(0, 2).select(0, 3).toDoubleArray());
        assertArrayEquals(new int[] {2, 4, 1}, back.lengths());
    }

    @Test
    void sortedPackingHasNoPermutation() {
        PackedSequence p = PackedSequence.packPaddedSequence(seq(3, 2, 1), new int[] {3, 1}, false, true);
        assertNull(p.sortedIndices());
        assertArrayEquals(new int[] {2, 1, 1}, p.batchSizes());
    }

    @Test
    void packingRejectsUnsortedLengthsWhenAskedToEnforceAndBadLengths() {
        assertBadInput(() -> PackedSequence.packPaddedSequence(seq(3, 2, 1), new int[] {1, 3}, false, true),
                "sorted in decreasing order", "[1, 3]");
        assertBadInput(() -> PackedSequence.packPaddedSequence(seq(3, 2, 1), new int[] {4, 1}, false, false), "[1, 3]", "[4, 1]");
        assertBadInput(() -> PackedSequence.packPaddedSequence(seq(3, 2, 1), new int[] {3}, false, false), "expected 2 lengths");
    }

    @Test
    void stateDictNamesArePyTorchs() {
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_hr_l0"),
                List.copyOf(new LSTM(3, 5, 1, true, false, 0, false, 2).stateDict().keySet()));
        assertEquals(List.of("weight_ih", "weight_hh", "bias_ih", "bias_hh"), List.copyOf(new GRUCell(3, 4).stateDict().keySet()));
        assertEquals(List.of("q_proj_weight", "k_proj_weight", "v_proj_weight", "in_proj_bias", "bias_k", "bias_v",
                        "out_proj.weight", "out_proj.bias"),
                List.copyOf(new MultiheadAttention(8, 2, 0, true, true, false, 5, 3, false).stateDict().keySet()));
        var t = new Transformer(4, 2, 1, 1, 8, 0, "relu", 1e-5, false, false).stateDict().keySet();
        for (String k : List.of("encoder.layers.0.self_attn.in_proj_weight", "encoder.norm.weight",
                "decoder.layers.0.multihead_attn.out_proj.bias", "decoder.layers.0.norm3.weight", "decoder.norm.bias")) {
            assertEquals(true, t.contains(k), k + " in " + t);
        }
    }

    @Test
    void theSquareSubsequentMaskHidesLaterPositions() {
        Tensor m = Transformer.generateSquareSubsequentMask(3);
        double inf = Double.NEGATIVE_INFINITY;
        assertArrayEquals(new double[] {0, inf, inf, 0, 0, inf, 0, 0, 0}, m.toDoubleArray());
    }

    @Test
    void badShapesAreRejectedNamingTheArgument() {
        var mha = new MultiheadAttention(8, 2, 0, true, false, false, 5, 3, false);
        Tensor q = seq(3, 2, 8);
        assertBadInput(() -> mha.forward(q, seq(4, 2, 8), seq(4, 2, 3)), "features 8, 5, 3", "8, 8, 3");
        var self = new MultiheadAttention(8, 2);
        self.to(DType.FLOAT64);
        assertBadInput(() -> self.forward(q, q, q, null, false, Tensors.zeros(DType.BOOL, 3, 4)), "attn_mask",
                "[3, 3]", "[3, 4]");
        assertBadInput(() -> new LSTM(3, 4, 1, true, false, 0, false, 4), "proj_size", "[0, 4)");
        assertBadInput(() -> new LSTMCell(3, 4).forward(Tensors.zeros(2, 4), null, null), "[batch, 3]");
        assertBadInput(() -> new GRUCell(3, 4).forward(Tensors.zeros(2, 3), Tensors.zeros(3, 4)), "hx", "[2, 4]");
        assertBadInput(() -> new TransformerDecoderLayer(4, 2).forward(seq(2, 1, 4)), "(tgt, memory)");
        var tr = new Transformer(4, 2, 1, 1, 8, 0, "relu", 1e-5, false, false);
        assertBadInput(() -> tr.forward(Tensors.zeros(3, 2, 4), Tensors.zeros(3, 1, 4)), "batch number", "2 and 1");
    }
}
