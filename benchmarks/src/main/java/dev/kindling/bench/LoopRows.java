package dev.kindling.bench;

import java.util.ArrayList;
import java.util.List;

/**
 * Times one memory-bound case (sections b to d) against the plain-loop baselines: Kindling, the
 * plain loop on the calling thread ("Java loop 1T", what the targets are set against), the same
 * loop split over two threads ("Java loop 2T", Kindling's own thread budget on this machine), and
 * PyTorch when it is loaded and has the operation.
 */
final class LoopRows {
    private final Comparison comparison;
    private final ThreadSplit two;
    private final TorchPeer torch;

    LoopRows(Comparison comparison, ThreadSplit two, TorchPeer torch) {
        this.comparison = comparison;
        this.two = two;
        this.torch = torch;
    }

    boolean hasTorch() { return torch != null; }

    TorchPeer torch() { return torch; }

    List<String> peers() {
        return torch != null ? List.of(Peers.LOOP, Peers.LOOP2, Peers.TORCH) : List.of(Peers.LOOP, Peers.LOOP2);
    }

    /**
     * @param bytes     bytes read plus bytes written by one call (each distinct element counted once)
     * @param loop      the plain loop over [from, to) of an index space of size n
     * @param torchCall null where PyTorch is not loaded or has no such operation
     */
    Section.Row run(String label, double bytes, Runnable kindling, int n, ThreadSplit.Body loop, Runnable torchCall) {
        List<Contender> contenders = new ArrayList<>();
        contenders.add(new Contender(Section.KINDLING, kindling));
        contenders.add(new Contender(Peers.LOOP, () -> loop.run(0, n)));
        contenders.add(new Contender(Peers.LOOP2, () -> two.run(n, loop)));
        if (torchCall != null) contenders.add(new Contender(Peers.TORCH, torchCall));
        return new Section.Row(label, bytes, comparison.run(contenders));
    }
}
