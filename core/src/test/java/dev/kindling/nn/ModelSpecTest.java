package dev.kindling.nn;

import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Layer specs: what they build (PyTorch state-dict keys and shapes, output shapes) and how bad specs fail. */
class ModelSpecTest {

    static Map<String, List<Integer>> shapes(Module m) {
        Map<String, List<Integer>> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, java.util.Arrays.stream(v.shape()).boxed().toList()));
        return out;
    }

    @Test
    void mlpHasPyTorchKeysAndShapes() {
        ModelSpec spec = ModelSpec.parse("Linear(784,256)  ReLU Linear(256, 128) ReLU\tLinear(128,10)");
        assertEquals("Linear(784,256) ReLU Linear(256,128) ReLU Linear(128,10)", spec.text());
        assertEquals(List.of("Linear", "ReLU", "Linear", "ReLU", "Linear"), spec.layerNames());
        Module m = spec.get();
        assertEquals(Map.of("0.weight", List.of(256, 784), "0.bias", List.of(256), "2.weight", List.of(128, 256), "2.bias", List.of(128),
                "4.weight", List.of(10, 128), "4.bias", List.of(10)), shapes(m));
        assertEquals(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10, m.numParameters());
        assertArrayEquals(new int[] {3, 10}, m.forward(Tensors.zeros(3, 784)).shape());
    }

    @Test
    void convolutionalSpecRunsOnImages() {
        Module m = ModelSpec.parse("Unflatten(1,1,8,8) Conv2d(1,4,3,1,1) BatchNorm2d(4) GELU MaxPool2d(2) Flatten Dropout(0.25) "
                + "Linear(64,32) BatchNorm1d(32) Tanh Linear(32,10) Sigmoid").get();
        m.eval();
        Tensor out = m.forward(Tensors.zeros(5, 64));
        assertArrayEquals(new int[] {5, 10}, out.shape());
        assertEquals(List.of(4, 1, 3, 3), shapes(m).get("1.weight"));
        assertEquals(List.of(4), shapes(m).get("2.running_mean"));
        assertEquals(List.of(32, 64), shapes(m).get("7.weight"));
    }

    @Test
    void leNet5TakesMnistImages() {
        Module m = ModelSpec.parse("LeNet5").get();
        assertArrayEquals(new int[] {2, 10}, m.forward(Tensors.zeros(2, 1, 28, 28)).shape());
        assertEquals(List.of(6, 1, 5, 5), shapes(m).get("0.conv1.weight"));
        assertEquals(List.of(4, 84), shapes(ModelSpec.parse("LeNet5(3,32,4)").get()).get("0.fc3.weight"));
    }

    @Test
    void sameSeedSameWeights() {
        ModelSpec spec = ModelSpec.parse("Linear(3,2)");
        dev.kindling.tensor.Generator.seedDefault(5);
        float[] a = spec.get().stateDict().get("0.weight").toFloatArray();
        dev.kindling.tensor.Generator.seedDefault(5);
        float[] b = spec.get().stateDict().get("0.weight").toFloatArray();
        assertArrayEquals(a, b);
    }

    @Test
    void javaSerializationRoundTrips() throws Exception {
        ModelSpec spec = ModelSpec.parse("Linear(4,16) ReLU Dropout(0.1) Linear(16,3)");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(spec);
        }
        ModelSpec back;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            back = (ModelSpec) in.readObject();
        }
        assertEquals(spec, back);
        assertEquals(spec.text(), back.text());
        assertEquals(shapes(spec.get()), shapes(back.get()));
    }

    @Test
    void badSpecsNameTheProblem() {
        assertMessage("", "expected layers such as");
        assertMessage("Linear(4,3) Lineer(3,2)", "unknown layer 'Lineer' at position 2; known layers: Linear, Conv2d");
        assertMessage("Linear(4)", "Linear at position 1 takes Linear(in_features, out_features) but got 1 argument");
        assertMessage("ReLU Conv2d(1,2,3,4,5,6)", "Conv2d at position 2 takes Conv2d(in_channels, out_channels, kernel_size[, stride[, "
                + "padding]]) but got 6 arguments");
        assertMessage("Linear(4.5,3)", "argument 1 of Linear at position 1 must be a whole number but got 4.5");
        assertMessage("Linear(4,x)", "argument 2 of Linear at position 1 must be a number but got 'x'");
        assertMessage("Linear(4,3", "unbalanced '('");
        assertMessage("ReLU(1)", "ReLU at position 1 takes ReLU but got 1 argument");
    }

    static void assertMessage(String spec, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.parse(spec));
        assertTrue(e.getMessage().contains(expected), "for \"" + spec + "\": " + e.getMessage());
    }
}
