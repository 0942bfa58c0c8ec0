package dev.kindling.bench;

import dev.kindling.nn.Conv2d;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 17's convolution rows: conv2d with bias, float32, forward alone and forward + backward
 * (weight, bias and input gradients, from a fixed random upstream gradient), Kindling against
 * libtorch side by side, over the shapes that matter: LeNet-5's two 5x5 layers, the 3x3 layer of
 * issue 3's row (b), and ResNet basic-block layers (64 channels at 56x56, 128 at 28x28) at small
 * batches, with batch 1 and batch 128 ends.
 */
final class ConvSuite {
    static final double TARGET = 1.0;

    /** One convolution case: input shape [N, C, H, W], output channels, square kernel, padding. */
    private record Shape(String label, int n, int c, int hw, int out, int kernel, int padding) {
        int outHw() { return hw + 2 * padding - kernel + 1; }
    }

    private static final List<Shape> SHAPES = List.of(
            new Shape("LeNet conv1 5x5 [64,1,28,28] -> 6, pad 2", 64, 1, 28, 6, 5, 2),
            new Shape("LeNet conv2 5x5 [64,6,14,14] -> 16", 64, 6, 14, 16, 5, 0),
            new Shape("LeNet conv2 5x5 [128,6,14,14] -> 16", 128, 6, 14, 16, 5, 0),
            new Shape("3x3 [32,32,28,28] -> 64, pad 1", 32, 32, 28, 64, 3, 1),
            new Shape("ResNet 3x3 [1,64,56,56] -> 64, pad 1", 1, 64, 56, 64, 3, 1),
            new Shape("ResNet 3x3 [8,64,56,56] -> 64, pad 1", 8, 64, 56, 64, 3, 1),
            new Shape("ResNet 3x3 [8,128,28,28] -> 128, pad 1", 8, 128, 28, 128, 3, 1));

    private final Comparison comparison;
    private final TorchPeer torch;

    ConvSuite(Comparison comparison, TorchPeer torch) {
        this.comparison = comparison;
        this.torch = torch;
    }

    List<Section> run() {
        Section fwd = Section.timePerCall("(h) conv2d forward, float32, ms per call: median (best)", peers(),
                Section.Target.timeWithin(Peers.TORCH, TARGET));
        Section both = Section.timePerCall("(i) conv2d forward + backward, float32, ms per call: median (best)", peers(),
                Section.Target.timeWithin(Peers.TORCH, TARGET));
        int seed = 50;
        // -Dkindling.bench.convRows=LeNet times only the rows whose label contains that text.
        String rows = System.getProperty("kindling.bench.convRows", "");
        for (Shape s : SHAPES) {
            if (!s.label().contains(rows)) continue;
            fwd.add(row(s, false, seed++));
            both.add(row(s, true, seed++));
        }
        fwd.note("Kindling: `module.forward(x)` under `GradMode.noGrad()`; PyTorch: libtorch's `conv2d` (oneDNN) through DJL "
                + "on tensors that do not require grad.");
        both.note("Kindling: `out = module.forward(x); out.backward(g)` with x requiring grad (a layer inside a network) "
                + "except for LeNet's conv1, whose input is the image; "
                + "PyTorch: the same through libtorch's autograd, into fresh leaves.");
        return List.of(fwd, both);
    }

    private List<String> peers() { return torch != null ? List.of(Peers.TORCH) : List.of(); }

    private Section.Row row(Shape s, boolean backward, int seed) {
        Conv2d conv = new Conv2d(s.c(), s.out(), s.kernel(), 1, s.padding());
        KindlingNet k = new KindlingNet(conv::forward, conv.parameters(), 0);
        int pad = s.padding();
        int pool = s.n() * s.c() * s.hw() * s.hw() > 1 << 20 ? 2 : 4;
        // A first layer (one input channel, the image itself) needs no input gradient, as in LeNet-5.
        boolean inputGrad = backward && s.c() > 1;
        try (TrainCase data = new TrainCase(torch, pool, seed, new int[] {s.n(), s.c(), s.hw(), s.hw()}, inputGrad, 0,
                new int[] {s.n(), s.out(), s.outHw(), s.outHw()});
             TorchNet t = torch == null ? null
                     : new TorchNet(torch, k.params(), (p, x) -> TorchModels.conv2d(x, p.get(0), p.get(1), pad), inputGrad, 0)) {
            List<Contender> contenders = new ArrayList<>();
            contenders.add(new Contender(Section.KINDLING, backward ? data.kindling(k, false) : data.kindlingForward(k)));
            if (t != null) {
                if (backward) data.checkGradients(s.label(), k, t, 1e-4);
                else data.checkForward(s.label(), k, t, 1e-4);
                contenders.add(new Contender(Peers.TORCH, backward ? data.torch(t, false) : data.torchForward(t)));
            }
            Section.Row r = new Section.Row(s.label(), 1, comparison.run(contenders));
            System.err.println("TrainBench: measured " + (backward ? "fwd+bwd " : "fwd ") + s.label());
            return r;
        }
    }
}
