package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

import java.util.List;

/**
 * (b) add, mul and relu over 16M float32 elements (64 MiB per operand, far beyond the caches, so
 * these measure memory bandwidth), out of place and in place. GB/s counts bytes read plus bytes
 * written: 12 per element for add/mul, 8 for relu, whether the output is fresh or the input itself.
 *
 * <p>Two sections, so that each compares like with like. Out of place: Kindling against the plain
 * loops only. PyTorch's results are checked but not timed there, because DJL offers no {@code out=}
 * variant and libtorch gets each fresh 64 MiB result from glibc's {@code mmap} (above its largest
 * mmap threshold), page-faulting it in on every call, while Kindling's result comes from the
 * benchmark's pre-touched heap; the in-place rows hold PyTorch's comparison without allocation. In
 * place: the target is against the two-thread loop, as Kindling runs these on its two threads.
 */
final class ElementwiseSuite {
    static final int N = 1 << 24;

    private final LoopRows rows;

    ElementwiseSuite(LoopRows rows) { this.rows = rows; }

    List<Section> run() {
        Section s = new Section("(b) elementwise out of place, 16M float32 (64 MiB per operand), GB/s: median (best)", "GB/s", 1e9,
                List.of(Peers.LOOP, Peers.LOOP2), new Section.Target(Peers.LOOP, 0.70));
        Section inPlace = new Section("(b2) elementwise in place, 16M float32 (64 MiB per operand), GB/s: median (best)", "GB/s", 1e9,
                rows.peers(), new Section.Target(Peers.LOOP2, 0.70));
        float[] x = Inputs.signed(3, N);
        float[] y = Inputs.signed(4, N);
        float[] out = new float[N];
        Tensor tx = Tensors.fromArray(x, N);
        Tensor ty = Tensors.fromArray(y, N);
        NDArray px = rows.hasTorch() ? rows.torch().array(x, N) : null;
        NDArray py = rows.hasTorch() ? rows.torch().array(y, N) : null;

        JavaLoops.add(x, y, out, 0, N);
        check("add", out, tx.add(ty), px == null ? null : TorchPeer.values(() -> px.add(py)));
        s.add(rows.run("x.add(y)", 12.0 * N, () -> Sink.keep(tx.add(ty)), N,
                (from, to) -> JavaLoops.add(x, y, out, from, to), null));
        s.add(rows.run("x.add(y), result released", 12.0 * N, () -> Sink.release(tx.add(ty)), N,
                (from, to) -> JavaLoops.add(x, y, out, from, to), null));

        JavaLoops.mul(x, y, out, 0, N);
        check("mul", out, tx.mul(ty), px == null ? null : TorchPeer.values(() -> px.mul(py)));
        s.add(rows.run("x.mul(y)", 12.0 * N, () -> Sink.keep(tx.mul(ty)), N,
                (from, to) -> JavaLoops.mul(x, y, out, from, to), null));
        s.add(rows.run("x.mul(y), result released", 12.0 * N, () -> Sink.release(tx.mul(ty)), N,
                (from, to) -> JavaLoops.mul(x, y, out, from, to), null));

        JavaLoops.relu(x, out, 0, N);
        check("relu", out, tx.relu(), px == null ? null : TorchPeer.values(() -> Activation.relu(px)));
        s.add(rows.run("x.relu()", 8.0 * N, () -> Sink.keep(tx.relu()), N,
                (from, to) -> JavaLoops.relu(x, out, from, to), null));
        s.add(rows.run("x.relu(), result released", 8.0 * N, () -> Sink.release(tx.relu()), N,
                (from, to) -> JavaLoops.relu(x, out, from, to), null));

        // In place: every contender owns its copy of x, which the timed calls keep updating.
        // mul_ multiplies by values near 1 so that repeated calls never drift into denormals.
        float[] nearOne = Inputs.uniform(5, N, 0.999f, 1.001f);
        inPlace(inPlace, "x.add_(y)", x, y, true);
        inPlace(inPlace, "x.mul_(y), y in [0.999, 1.001)", x, nearOne, false);
        relu_(inPlace, x);

        if (px != null) {
            px.close();
            py.close();
        }
        s.note("Kindling's out-of-place ops allocate their 64 MiB result per call (the JVM zeroes it first, in a heap "
                + "pre-touched by -XX:+AlwaysPreTouch); the Java loops write into one preallocated array.");
        s.note("PyTorch is checked but not timed out of place: DJL has no `out=` variant, and each fresh 64 MiB libtorch "
                + "result is a new glibc mmap that page-faults in on every call, which Kindling's pre-touched heap never "
                + "pays; comparing the two would measure page faults, not kernels. Its allocation-free numbers are in (b2).");
        s.note("`..., result released` rows hand each result back with Tensor.release() (PyTorch frees its result when the "
                + "last reference goes; the JVM cannot know that), so the next call reuses the array from Kindling's buffer pool.");
        s.note("`Java loop 1T` is the plain loop on one thread (the target's baseline); `Java loop 2T` the same loop "
                + "split over two threads, Kindling's default thread budget here (one per core).");
        inPlace.note("Each contender keeps updating its own copy of x; relu_ is idempotent after the first call. "
                + "DJL has no in-place relu, so PyTorch has no relu_ number.");
        inPlace.note("Kindling runs these on its two threads, so the target is set against `Java loop 2T` (like with like); "
                + "`Java loop 1T` stays for reference. PyTorch (2 intra-op threads) updates its tensor in place with "
                + "`addi` / `muli`: no allocation on either side.");
        return List.of(s, inPlace);
    }

    private void inPlace(Section s, String label, float[] x0, float[] y, boolean add) {
        float[] xk = x0.clone();
        float[] xl = x0.clone();
        Tensor tx = Tensors.fromArray(xk, N);
        Tensor ty = Tensors.fromArray(y, N);
        if (add) tx.add_(ty); else tx.mul_(ty);
        if (add) JavaLoops.add(xl, y, xl, 0, N); else JavaLoops.mul(xl, y, xl, 0, N);
        Checks.close(label + " Kindling vs Java loop", xl, xk, 0);
        NDArray px = null;
        NDArray py = null;
        Runnable torchCall = null;
        if (rows.hasTorch()) {
            px = rows.torch().array(x0, N);
            py = rows.torch().array(y, N);
            NDArray fx = px;
            NDArray fy = py;
            if (add) fx.addi(fy); else fx.muli(fy);
            Checks.close(label + " PyTorch vs Java loop", xl, fx.toFloatArray(), 0);
            torchCall = TorchPeer.inPlace(add ? () -> fx.addi(fy) : () -> fx.muli(fy));
        }
        ThreadSplit.Body loop = add ? (from, to) -> JavaLoops.add(xl, y, xl, from, to)
                : (from, to) -> JavaLoops.mul(xl, y, xl, from, to);
        s.add(rows.run(label, 12.0 * N, add ? () -> Sink.keep(tx.add_(ty)) : () -> Sink.keep(tx.mul_(ty)),
                N, loop, torchCall));
        if (px != null) {
            px.close();
            py.close();
        }
    }

    private void relu_(Section s, float[] x0) {
        float[] xk = x0.clone();
        float[] xl = x0.clone();
        Tensor tx = Tensors.fromArray(xk, N);
        tx.relu_();
        JavaLoops.relu(xl, xl, 0, N);
        Checks.close("relu_ Kindling vs Java loop", xl, xk, 0);
        s.add(rows.run("x.relu_()", 8.0 * N, () -> Sink.keep(tx.relu_()), N,
                (from, to) -> JavaLoops.relu(xl, xl, from, to), null));
    }

    private static void check(String op, float[] loop, Tensor kindling, float[] torch) {
        Checks.close(op + " Kindling vs Java loop", loop, kindling.toFloatArray(), 0);
        if (torch != null) Checks.close(op + " PyTorch vs Java loop", loop, torch, 0);
    }
}
