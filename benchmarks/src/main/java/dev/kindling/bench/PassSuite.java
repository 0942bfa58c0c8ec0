package dev.kindling.bench;

import dev.kindling.nn.Conv2d;
import dev.kindling.nn.Linear;
import dev.kindling.vision.models.LeNet5;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 3's rows: forward plus backward, float32, through Kindling's autograd and through
 * libtorch's: (a) Linear 256->512 at batch 128, (b) a 3x3 convolution 32->64 channels on
 * 32x28x28 with padding 1, (c) LeNet-5 at batch 64, (d) cross-entropy (log-softmax + NLL) over
 * [4096, 1000] logits. (a) and (b) back-propagate a fixed random upstream gradient and also
 * compute the input's gradient (as a layer inside a network does); (c) and (d) back-propagate the
 * mean cross-entropy against random labels. Gradients are reset before every call.
 */
final class PassSuite {
    static final double TARGET = 1.5;

    private final Comparison comparison;
    private final TorchPeer torch;

    PassSuite(Comparison comparison, TorchPeer torch) {
        this.comparison = comparison;
        this.torch = torch;
    }

    Section run() {
        Section s = Section.timePerCall("(a)-(d) forward + backward, float32, ms per call: median (best)", peers(),
                Section.Target.timeWithin(Peers.TORCH, TARGET));
        Linear linear = new Linear(256, 512);
        s.add(row("(a) Linear 256->512, batch 128", new KindlingNet(linear::forward, linear.parameters(), 0),
                TorchModels::linear, true, new TrainCase(torch, 4, 31, new int[] {128, 256}, true, 0, new int[] {128, 512})));
        Conv2d conv = new Conv2d(32, 64, 3, 1, 1);
        s.add(row("(b) conv2d 3x3, [32,32,28,28] -> 64 channels, padding 1", new KindlingNet(conv::forward, conv.parameters(), 0),
                (p, x) -> TorchModels.conv2d(x, p.get(0), p.get(1), 1), true,
                new TrainCase(torch, 2, 32, new int[] {32, 32, 28, 28}, true, 0, new int[] {32, 64, 28, 28})));
        LeNet5 lenet = new LeNet5();
        s.add(row("(c) LeNet-5, batch 64, cross-entropy", new KindlingNet(lenet::forward, lenet.parameters(), 0),
                TorchModels::lenet5, false, new TrainCase(torch, 8, 33, new int[] {64, 1, 28, 28}, false, 10, null)));
        s.add(row("(d) crossEntropy (logSoftmax + nllLoss), logits [4096,1000]", new KindlingNet(x -> x, List.of(), 0),
                (p, x) -> x, true, new TrainCase(torch, 2, 34, new int[] {4096, 1000}, true, 1000, null)));
        s.note("Kindling: `out = module.forward(x); out.backward(g)` for (a) and (b), "
                + "`F.crossEntropy(module.forward(x), y).backward()` for (c), `F.crossEntropy(logits, y).backward()` for (d); "
                + "every gradient set to null before each call.");
        s.note("PyTorch: libtorch 2.7.1 through DJL: `linear`, `conv2d` (libtorch picks its oneDNN kernel), `max_pool2d`, "
                + "`relu`, `log_softmax` + `gather` + `mean` + `neg` (DJL has no `nll_loss`), `backward`; each call "
                + "differentiates fresh leaves, as after `zero_grad(set_to_none=True)`.");
        return s;
    }

    private List<String> peers() { return torch != null ? List.of(Peers.TORCH) : List.of(); }

    private Section.Row row(String label, KindlingNet k, TorchNet.Forward forward, boolean inputGrad, TrainCase data) {
        try (data; TorchNet t = torch == null ? null : new TorchNet(torch, k.params(), forward, inputGrad, 0)) {
            List<Contender> contenders = new ArrayList<>();
            contenders.add(new Contender(Section.KINDLING, data.kindling(k, false)));
            if (t != null) {
                data.checkGradients(label, k, t, 1e-4);
                contenders.add(new Contender(Peers.TORCH, data.torch(t, false)));
            }
            Section.Row r = new Section.Row(label, 1, comparison.run(contenders));
            System.err.println("TrainBench: measured " + label);
            return r;
        }
    }
}
