package dev.kindling.nn.utils;

import dev.kindling.nn.Linear;
import dev.kindling.nn.Sequential;
import dev.kindling.nn.ReLU;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * parametersToVector / vectorToParameters as PyTorch's torch.nn.utils has them: the order is the
 * order given, each tensor flattened row-major (torch.cat([p.view(-1) ...])), and the way back
 * restores every element; sizes that do not add up fail naming both sizes.
 */
class ParameterVectorsTest {

    @Test
    void concatenatesInTheGivenOrderRowMajor() {
        Tensor w = Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensors.fromArray(new float[] {7, 8}, 2);
        // torch: parameters_to_vector([w, b]) == tensor([1., 2., 3., 4., 5., 6., 7., 8.]); [b, w] puts b first
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, ParameterVectors.parametersToVector(List.of(w, b)).toFloatArray());
        assertArrayEquals(new float[] {7, 8, 1, 2, 3, 4, 5, 6}, ParameterVectors.parametersToVector(List.of(b, w)).toFloatArray());
    }

    @Test
    void readsATransposedViewInItsLogicalOrder() {
        Tensor w = Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6}, 2, 3).t();
        // torch: w.t().reshape(-1) == tensor([1., 4., 2., 5., 3., 6.])
        assertArrayEquals(new float[] {1, 4, 2, 5, 3, 6}, ParameterVectors.parametersToVector(List.of(w)).toFloatArray());
    }

    @Test
    void theVectorIsACopy() {
        Tensor w = Tensors.fromArray(new float[] {1, 2}, 2);
        Tensor v = ParameterVectors.parametersToVector(List.of(w));
        v.fill_(0);
        assertArrayEquals(new float[] {1, 2}, w.toFloatArray());
    }

    @Test
    void roundTripsAModelsParameters() {
        Sequential a = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Sequential b = new Sequential(new Linear(3, 4), new ReLU(), new Linear(4, 2));
        Tensor v = ParameterVectors.parametersToVector(a.parameters());
        assertEquals(3 * 4 + 4 + 4 * 2 + 2, v.numel());
        ParameterVectors.vectorToParameters(v, b.parameters());
        for (int i = 0; i < a.parameters().size(); i++) {
            assertArrayEquals(a.parameters().get(i).toFloatArray(), b.parameters().get(i).toFloatArray());
            assertArrayEquals(a.parameters().get(i).shape(), b.parameters().get(i).shape());
        }
        assertTrue(b.parameters().get(0).requiresGrad(), "loading keeps the parameters trainable");
    }

    @Test
    void vectorToParametersSlicesInOrder() {
        Tensor w = Tensors.zeros(2, 2);
        Tensor b = Tensors.zeros(3);
        ParameterVectors.vectorToParameters(Tensors.fromArray(new float[] {1, 2, 3, 4, 5, 6, 7}), List.of(w, b));
        assertArrayEquals(new float[] {1, 2, 3, 4}, w.toFloatArray());
        assertArrayEquals(new float[] {5, 6, 7}, b.toFloatArray());
    }

    @Test
    void sizesThatDoNotAddUpFailNamingBoth() {
        List<Tensor> params = List.of(Tensors.zeros(2, 2), Tensors.zeros(3));
        IllegalArgumentException shortVec = assertThrows(IllegalArgumentException.class,
                () -> ParameterVectors.vectorToParameters(Tensors.zeros(6), params));
        assertEquals("vectorToParameters: the 2 tensors hold 7 elements but the vector has 6", shortVec.getMessage());
        IllegalArgumentException longVec = assertThrows(IllegalArgumentException.class,
                () -> ParameterVectors.vectorToParameters(Tensors.zeros(8), params));
        assertTrue(longVec.getMessage().contains("hold 7 elements but the vector has 8"), longVec.getMessage());
        IllegalArgumentException matrix = assertThrows(IllegalArgumentException.class,
                () -> ParameterVectors.vectorToParameters(Tensors.zeros(7, 1), params));
        assertEquals("vectorToParameters: expected a 1-D vector but got shape [7, 1]", matrix.getMessage());
        IllegalArgumentException dtype = assertThrows(IllegalArgumentException.class,
                () -> ParameterVectors.vectorToParameters(Tensors.zeros(DType.FLOAT64, 7), params));
        assertTrue(dtype.getMessage().contains("has dtype float32 but expected float64"), dtype.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ParameterVectors.parametersToVector(List.of()));
        assertThrows(IllegalArgumentException.class,
                () -> ParameterVectors.parametersToVector(List.of(Tensors.zeros(2), Tensors.zeros(DType.FLOAT64, 2))));
    }
}
