package dev.kindling.nn;

import dev.kindling.autograd.Gradcheck;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import dev.kindling.vision.models.ResNet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.kindling.tensor.TestSupport.assertBadInput;
import static dev.kindling.tensor.TestSupport.assertShape;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModuleTest {

    @Test
    void stateDictKeysFollowPyTorch() {
        Sequential mlp = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2, false), new BatchNorm1d(2));
        assertEquals(List.of("0.weight", "0.bias", "2.weight", "3.weight", "3.bias", "3.running_mean", "3.running_var",
                "3.num_batches_tracked"), List.copyOf(mlp.stateDict().keySet()));
        assertEquals(DType.INT64, mlp.stateDict().get("3.num_batches_tracked").dtype());
        ResNet resnet = new ResNet(1, 10);
        Map<String, Tensor> sd = resnet.stateDict();
        for (String k : List.of("conv1.weight", "bn1.running_mean", "layer1.0.conv1.weight", "layer1.1.bn2.bias",
                "layer2.0.downsample.0.weight", "layer2.0.downsample.1.running_var", "layer3.1.conv2.weight", "fc.weight", "fc.bias")) {
            assertTrue(sd.containsKey(k), "missing " + k + " in " + sd.keySet());
        }
        LSTM lstm = new LSTM(3, 4, 2, true, false, 0, true);
        assertEquals(List.of("weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse",
                "bias_ih_l0_reverse", "bias_hh_l0_reverse", "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1",
                "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"), List.copyOf(lstm.stateDict().keySet()));
        assertShape(lstm.stateDict().get("weight_ih_l1"), 16, 8);
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.1, "relu", 1e-5, true, false);
        assertEquals(List.of("self_attn.in_proj_weight", "self_attn.in_proj_bias", "self_attn.out_proj.weight", "self_attn.out_proj.bias",
                "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias", "norm1.weight", "norm1.bias", "norm2.weight",
                "norm2.bias"), List.copyOf(layer.stateDict().keySet()));
    }

    @Test
    void loadStateDictChecksKeysAndShapes() {
        Sequential a = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        Sequential b = new Sequential(new Linear(4, 3), new ReLU(), new Linear(3, 2));
        b.loadStateDict(a.stateDict(), true);
        assertTrue(a.stateDict().get("0.weight").equal(b.stateDict().get("0.weight")));
        Map<String, Tensor> bad = new java.util.LinkedHashMap<>(a.stateDict());
        bad.put("2.weight", Tensors.zeros(5, 3));
        assertBadInput(() -> b.loadStateDict(bad, true), "size mismatch for 2.weight", "[5, 3]", "[2, 3]");
        Map<String, Tensor> partial = new java.util.LinkedHashMap<>(a.stateDict());
        partial.remove("0.bias");
        partial.put("extra.weight", Tensors.zeros(1));
        IllegalArgumentException e = assertBadInput(() -> b.loadStateDict(partial, true), "Missing key(s) in state_dict: \"0.bias\"",
                "Unexpected key(s) in state_dict: \"extra.weight\"");
        assertTrue(e.getMessage().startsWith("Error(s) in loading state_dict for Sequential"));
        Module.LoadResult r = b.loadStateDict(partial, false);
        assertEquals(List.of("0.bias"), r.missingKeys());
        assertEquals(List.of("extra.weight"), r.unexpectedKeys());
    }

    @Test
    void parametersTrainEvalZeroGradApplyTo() {
        Sequential m = new Sequential(new Linear(2, 2), new Dropout(0.5), new Linear(2, 1));
        assertEquals(4, m.parameters().size());
        assertInstanceOf(Parameter.class, m.parameters().get(0));
        assertTrue(m.parameters().get(0).requiresGrad());
        assertEquals(List.of("", "0", "1", "2"), List.copyOf(m.namedModules().keySet()));
        m.eval();
        assertFalse(m.get(1).isTraining());
        m.train();
        assertTrue(m.get(1).isTraining());
        m.forward(Tensors.ones(3, 2)).sum().backward();
        assertTrue(m.parameters().get(0).grad() != null);
        m.zeroGrad();
        assertNull(m.parameters().get(0).grad());
        int[] count = {0};
        m.apply(mod -> count[0]++);
        assertEquals(4, count[0]);
        m.to(DType.FLOAT64);
        assertEquals(DType.FLOAT64, m.parameters().get(0).dtype());
        assertEquals(DType.FLOAT64, m.forward(Tensors.ones(DType.FLOAT64, 1, 2)).dtype());
        assertTrue(m.parameters().get(0).requiresGrad());
    }

    @Test
    void sharedParametersAppearOnce() {
        Linear shared = new Linear(2, 2);
        Sequential m = new Sequential(shared, new ReLU(), shared);
        assertEquals(2, m.parameters().size());
    }

    @Test
    void printsLikePyTorch() {
        Sequential m = new Sequential(new Conv2d(1, 6, 5, 1, 2), new BatchNorm2d(6), new MaxPool2d(2), new Flatten(),
                new Linear(1176, 10, false), new Dropout(0.25), new LeakyReLU(0.2), new GELU("tanh"), new LayerNorm(10),
                new Embedding(10, 3, 0), new LSTM(3, 4, 2, true, true, 0.1, false));
        String expected = String.join("\n",
                "Sequential(",
                "  (0): Conv2d(1, 6, kernel_size=(5, 5), stride=(1, 1), padding=(2, 2))",
                "  (1): BatchNorm2d(6, eps=1e-05, momentum=0.1, affine=True, track_running_stats=True)",
                "  (2): MaxPool2d(kernel_size=2, stride=2, padding=0, dilation=1, ceil_mode=False)",
                "  (3): Flatten(start_dim=1, end_dim=-1)",
                "  (4): Linear(in_features=1176, out_features=10, bias=False)",
                "  (5): Dropout(p=0.25, inplace=False)",
                "  (6): LeakyReLU(negative_slope=0.2)",
                "  (7): GELU(approximate='tanh')",
                "  (8): LayerNorm((10,), eps=1e-05, elementwise_affine=True)",
                "  (9): Embedding(10, 3, padding_idx=0)",
                "  (10): LSTM(3, 4, num_layers=2, batch_first=True, dropout=0.1)",
                ")");
        assertEquals(expected, m.toString());
    }

    @Test
    void defaultInitialisationsHavePyTorchsBounds() {
        Generator.seedDefault(0);
        Linear l = new Linear(400, 300);
        double bound = 1 / Math.sqrt(400);
        assertTrue(l.weight().abs().max().item() <= bound && l.weight().abs().max().item() > 0.95 * bound);
        assertEquals(bound * bound / 3, l.weight().var().item(), 0.05 * bound * bound / 3, "uniform(-b, b) has variance b^2/3");
        Conv2d c = new Conv2d(16, 32, 3);
        double cb = 1 / Math.sqrt(16 * 9);
        assertTrue(c.weight().abs().max().item() <= cb && c.bias().abs().max().item() <= cb);
        Embedding e = new Embedding(1000, 64);
        assertEquals(1.0, e.param("weight").std().item(), 0.02);
        MultiheadAttention mha = new MultiheadAttention(32, 4);
        double xb = Math.sqrt(6.0 / (32 + 96));
        assertTrue(mha.param("in_proj_weight").abs().max().item() <= xb);
        assertEquals(0.0, mha.param("in_proj_bias").abs().sum().item());
        Tensor q = Init.orthogonal_(Tensors.empty(5, 8));
        assertTrue(q.matmul(q.t()).allclose(Tensors.eye(5), 1e-5, 1e-5), "rows are orthonormal");
        Tensor tall = Init.orthogonal_(Tensors.empty(8, 3));
        assertTrue(tall.t().matmul(tall).allclose(Tensors.eye(3), 1e-5, 1e-5), "columns are orthonormal");
        assertEquals(Math.sqrt(2), Init.calculateGain("relu", 0), 1e-15);
        Tensor k = Init.kaimingNormal_(Tensors.empty(256, 512));
        assertEquals(Math.sqrt(2.0 / 512), k.std().item(), 0.03 * Math.sqrt(2.0 / 512));
    }

    @Test
    void batchNormTracksRunningStatistics() {
        BatchNorm1d bn = new BatchNorm1d(3);
        Tensor x = Tensors.randn(new Generator(1), 16, 3).mul(2).add(5);
        bn.forward(x);
        Tensor mean = x.mean(0);
        Tensor var = x.var(new int[] {0}, true, false);
        assertTrue(bn.buffer("running_mean").allclose(mean.mul(0.1), 1e-5, 1e-6));
        assertTrue(bn.buffer("running_var").allclose(var.mul(0.1).add(0.9), 1e-5, 1e-6));
        assertEquals(1L, bn.buffer("num_batches_tracked").itemLong());
        bn.eval();
        Tensor y = bn.forward(x);
        Tensor expected = x.sub(bn.buffer("running_mean")).div(bn.buffer("running_var").add(1e-5).sqrt());
        assertTrue(y.allclose(expected, 1e-5, 1e-5));
        assertBadInput(() -> bn.forward(Tensors.zeros(4, 5)), "expected 3 channels");
        assertBadInput(() -> new BatchNorm2d(3).forward(Tensors.zeros(4, 3)), "expected 4D input");
    }

    @Test
    void recurrentLayersMatchTheirEquations() {
        Generator.seedDefault(3);
        LSTM lstm = new LSTM(3, 2);
        Tensor x = Tensors.randn(new Generator(4), 4, 1, 3);
        RNNBase.Output out = lstm.forward(x, null, null);
        assertShape(out.output(), 4, 1, 2);
        // One step by hand.
        Tensor wih = lstm.param("weight_ih_l0");
        Tensor whh = lstm.param("weight_hh_l0");
        Tensor b = lstm.param("bias_ih_l0").add(lstm.param("bias_hh_l0"));
        Tensor h = Tensors.zeros(1, 2);
        Tensor c = Tensors.zeros(1, 2);
        for (int t = 0; t < 4; t++) {
            Tensor g = x.select(0, t).matmul(wih.t()).add(h.matmul(whh.t())).add(b);
            Tensor i = g.narrow(1, 0, 2).sigmoid();
            Tensor f = g.narrow(1, 2, 2).sigmoid();
            Tensor gg = g.narrow(1, 4, 2).tanh();
            Tensor o = g.narrow(1, 6, 2).sigmoid();
            c = f.mul(c).add(i.mul(gg));
            h = o.mul(c.tanh());
            assertTrue(out.output().select(0, t).allclose(h, 1e-5, 1e-6), "step " + t);
        }
        assertTrue(out.cN().select(0, 0).allclose(c, 1e-5, 1e-6));
        GRU gru = new GRU(3, 2, 2, true, true, 0, true);
        RNNBase.Output go = gru.forward(Tensors.randn(new Generator(5), 2, 5, 3), null);
        assertShape(go.output(), 2, 5, 4);
        assertShape(go.hN(), 4, 2, 2);
        RNN rnn = new RNN(3, 2);
        assertShape(rnn.forward(Tensors.randn(new Generator(6), 5, 3)), 5, 2); // unbatched
        assertBadInput(() -> rnn.forward(Tensors.zeros(5, 1, 4)), "input_size", "Expected 3, got 4");
    }

    @Test
    void recurrentGradientsCheck() {
        Generator.seedDefault(8);
        GRU gru = new GRU(2, 3, 1, true, false, 0, true);
        gru.to(DType.FLOAT64);
        Tensor x = Tensors.randn(new Generator(9), DType.FLOAT64, 3, 2, 2).requiresGrad_(true);
        Gradcheck.check(xs -> gru.forward(xs[0], null).output(), x);
        LSTM lstm = new LSTM(2, 2);
        lstm.to(DType.FLOAT64);
        Gradcheck.check(xs -> lstm.forward(xs[0], null, null).hN(), x);
    }

    @Test
    void attentionAndTransformer() {
        Generator.seedDefault(11);
        MultiheadAttention mha = new MultiheadAttention(8, 2, 0.0, true, true);
        Tensor x = Tensors.randn(new Generator(12), 3, 5, 8);
        MultiheadAttention.Output o = mha.forward(x, x, x);
        assertShape(o.attnOutput(), 3, 5, 8);
        assertShape(o.attnWeights(), 3, 5, 5);
        assertTrue(o.attnWeights().sum(-1).allclose(Tensors.ones(3, 5), 1e-5, 1e-6));
        Tensor pad = Tensors.tensor(false, false, false, true, true).view(1, 5).expand(3, 5).contiguous();
        MultiheadAttention.Output masked = mha.forward(x, x, x, pad, true, null);
        assertEquals(0.0, masked.attnWeights().narrow(2, 3, 2).abs().sum().item(), 0.0, "padded keys get no attention");
        TransformerEncoderLayer layer = new TransformerEncoderLayer(8, 2, 16, 0.0, "gelu", 1e-5, true, false);
        TransformerEncoder enc = new TransformerEncoder(layer, 3, new LayerNorm(8));
        assertShape(enc.forward(x), 3, 5, 8);
        assertTrue(enc.stateDict().get("layers.0.linear1.weight").equal(enc.stateDict().get("layers.2.linear1.weight")),
                "every layer starts from the same weights, as PyTorch's deepcopy");
        Tensor causal = Tensors.ones(5, 5).gt(0).logicalAnd(Tensors.arange(5).unsqueeze(0).gt(Tensors.arange(5).unsqueeze(1)));
        Tensor y = enc.forward(x, causal, null);
        Tensor yPrefix = enc.forward(x.narrow(1, 0, 2), causal.narrow(0, 0, 2).narrow(1, 0, 2), null);
        assertTrue(y.narrow(1, 0, 2).allclose(yPrefix, 1e-4, 1e-5), "a causal mask makes early positions ignore later ones");
    }

    @Test
    void containersAndMultiInputModules() {
        ModuleList list = new ModuleList(new Linear(2, 2), new ReLU());
        assertEquals(2, list.size());
        assertInstanceOf(ReLU.class, list.get(-1));
        ModuleDict dict = new ModuleDict().put("enc", new Linear(2, 3)).put("act", new Tanh());
        assertEquals(List.of("enc", "act"), List.copyOf(dict.keys()));
        assertEquals(List.of("enc.weight", "enc.bias"), List.copyOf(dict.stateDict().keySet()));
        Bilinear bil = new Bilinear(2, 3, 4);
        assertShape(bil.forward(Tensors.ones(5, 2), Tensors.ones(5, 3)), 5, 4);
        assertBadInput(() -> bil.forward(Tensors.ones(5, 2)), "does not take a single tensor input");
        assertSame(list.get(0), list.iterator().next());
        assertShape(new Unflatten(1, 2, 3).forward(Tensors.zeros(4, 6)), 4, 2, 3);
        assertShape(new Identity().forward(Tensors.zeros(2)), 2);
        assertShape(new Conv1d(3, 4, 3).forward(Tensors.zeros(2, 3, 9)), 2, 4, 7);
        assertShape(new AdaptiveAvgPool2d(1).forward(Tensors.zeros(2, 3, 5, 5)), 2, 3, 1, 1);
        assertShape(new AvgPool2d(2).forward(Tensors.zeros(1, 1, 4, 4)), 1, 1, 2, 2);
        assertShape(new Conv2d(1, 2, 3, "same").forward(Tensors.zeros(1, 1, 6, 7)), 1, 2, 6, 7);
    }
}
