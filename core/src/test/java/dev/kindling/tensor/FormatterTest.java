package dev.kindling.tensor;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** toString matches what PyTorch prints for the same tensors. */
class FormatterTest {

    @Test
    void matchesPyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensors.tensor(new float[][] {{1, 2}, {3, 4}}).toString());
        assertEquals("tensor([ 0.5000, -1.2500])", Tensors.tensor(0.5f, -1.25f).toString());
        assertEquals("tensor([1, 2, 3])", Tensors.arange(1, 4, 1).toString());
        assertEquals("tensor(3.)", Tensors.scalar(3).toString());
        assertEquals("tensor([ True, False])", Tensors.tensor(true, false).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00, 1.0000e+03], dtype=float64)",
                Tensors.tensor(1e-5, 1.0, 1000.0).toString());
        assertEquals("tensor([], size=(0, 3))", Tensors.zeros(0, 3).toString());
        assertEquals("tensor([1., 1.], requires_grad=True)", Tensors.ones(2).requiresGrad_(true).toString());
        assertEquals("tensor([2., 2.], grad_fn=<MulBackward1>)", Tensors.ones(2).requiresGrad_(true).mul(2).toString());
        assertEquals("tensor([nan, inf])", Tensors.tensor(Float.NaN, Float.POSITIVE_INFINITY).toString());
    }

    @Test
    void largeTensorsAreSummarised() {
        String s = Tensors.arange(2000).toString();
        assertTrue(s.startsWith("tensor([   0,    1,    2,  ..., 1997, 1998, 1999])") || s.contains("..."), s);
        String m = Tensors.zeros(100, 100).toString();
        assertTrue(m.contains("...") && m.split("\n").length == 7, m);
    }
}
