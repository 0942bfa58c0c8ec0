package dev.kindling.bench;

import dev.kindling.nn.Module;
import dev.kindling.vision.models.LeNet5;

import java.util.ArrayList;
import java.util.List;

/**
 * Issue 4's rows: one training step (zeroGrad, forward, mean cross-entropy, backward, Adam with
 * lr 1e-3) of the main job's networks, Kindling against the same step through libtorch: the MNIST
 * MLP 784-256-128-10 ({@link Networks#mnistMlp()}, the main job's MNIST network), at the main job's batch 64 and
 * at the batch 128, and at batch 512 (where the peer's per-op JNI calls and unfused Adam
 * weigh less against the work), and LeNet-5 at batch 64. Inputs are random [B, 1, 28, 28] batches with
 * random labels (a pool of 16 per case, taken in turn).
 */
final class StepSuite {
    static final double MLP_TARGET = 1.3;
    static final double LENET_TARGET = 1.5;
    static final double LR = 1e-3;

    private final Comparison comparison;
    private final TorchPeer torch;

    StepSuite(Comparison comparison, TorchPeer torch) {
        this.comparison = comparison;
        this.torch = torch;
    }

    List<Section> run() {
        Section mlp = Section.timePerCall("(e) MLP 784-256-128-10 training step with Adam, ms per step: median (best)", peers(),
                Section.Target.timeWithin(Peers.TORCH, MLP_TARGET));
        for (int batch : new int[] {64, 128, 512}) {
            Module net = Networks.mnistMlp();
            mlp.add(row("MLP, batch " + batch + (batch == 64 ? " (main job)" : ""), net, TorchModels::mlp, batch));
        }
        mlp.note("Kindling: `opt.zeroGrad(); loss = F.crossEntropy(net.forward(x), y); loss.backward(); opt.step()` with "
                + "Flatten, Linear(784, 256), ReLU, Linear(256, 128), ReLU, Linear(128, 10) and `new Adam(net.parameters(), 1e-3)`.");
        mlp.note("PyTorch: the same network with libtorch's `linear` and `relu`, `log_softmax` + `gather` + `mean` + `neg`, "
                + "`backward` into fresh leaves (as after `zero_grad(set_to_none=True)`), then DJL's `adamUpdate` per parameter "
                + "with lr and eps pre-scaled to torch.optim.Adam's bias correction (about ten elementwise passes per "
                + "parameter where torch.optim.Adam's single-tensor CPU path makes seven). DJL 0.36 exposes no fused "
                + "optimizer (its PyTorch engine's only Adam is this `adamUpdate`; no `_fused_adam_` or `torch::optim::Adam`), "
                + "so the batch 512 row is where the peer's per-op and optimizer overheads weigh least.");
        Section lenet = Section.timePerCall("(f) LeNet-5 training step with Adam, ms per step: median (best)", peers(),
                Section.Target.timeWithin(Peers.TORCH, LENET_TARGET));
        lenet.add(row("LeNet-5, batch 64", new LeNet5(), TorchModels::lenet5, 64));
        lenet.note("Kindling: `dev.kindling.vision.models.LeNet5` in the same loop; PyTorch: libtorch's `conv2d` (oneDNN), "
                + "`relu`, `max_pool2d`, `linear`, the same loss, backward and Adam as (e).");
        return List.of(mlp, lenet);
    }

    private List<String> peers() { return torch != null ? List.of(Peers.TORCH) : List.of(); }

    private Section.Row row(String label, Module net, TorchNet.Forward forward, int batch) {
        KindlingNet k = new KindlingNet(net::forward, net.parameters(), LR);
        try (TrainCase data = new TrainCase(torch, 16, 40 + batch, new int[] {batch, 1, 28, 28}, false, 10, null);
             TorchNet t = torch == null ? null : new TorchNet(torch, k.params(), forward, false, LR)) {
            List<Contender> contenders = new ArrayList<>();
            contenders.add(new Contender(Section.KINDLING, data.kindling(k, true)));
            if (t != null) {
                data.checkGradients(label, k, t, 1e-4);
                data.checkStep(label, k, t, 1e-4);
                contenders.add(new Contender(Peers.TORCH, data.torch(t, true)));
            }
            Section.Row r = new Section.Row(label, 1, comparison.run(contenders));
            System.err.println("TrainBench: measured " + label);
            return r;
        }
    }
}
