package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * (b) add, mul and relu over 16M float32 elements (64 MiB per operand, far beyond the caches, so
 * these measure memory bandwidth), out of place and in place. GB/s counts bytes read plus bytes
 * written: 12 per element for add/mul, 8 for relu, whether the output is fresh or the input itself.
 */
final class ElementwiseSuite {
    static final int N = 1 << 24;

    private final LoopRows rows;

    ElementwiseSuite(LoopRows rows) { this.rows = rows; }

    Section run() {
        Section s = new Section("(b) elementwise, 16M float32 (64 MiB per operand), GB/s: median (best)", "GB/s", 1e9,
                rows.peers(), new Section.Target(Peers.LOOP, 0.70));
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
                (from, to) -> JavaLoops.add(x, y, out, from, to), px == null ? null : TorchPeer.call(() -> px.add(py))));
        s.add(rows.run("x.add(y), result released", 12.0 * N, () -> Sink.release(tx.add(ty)), N,
                (from, to) -> JavaLoops.add(x, y, out, from, to), px == null ? null : TorchPeer.call(() -> px.add(py))));

        JavaLoops.mul(x, y, out, 0, N);
        check("mul", out, tx.mul(ty), px == null ? null : TorchPeer.values(() -> px.mul(py)));
        s.add(rows.run("x.mul(y)", 12.0 * N, () -> Sink.keep(tx.mul(ty)), N,
                (from, to) -> JavaLoops.mul(x, y, out, from, to), px == null ? null : TorchPeer.call(() -> px.mul(py))));
        s.add(rows.run("x.mul(y), result released", 12.0 * N, () -> Sink.release(tx.mul(ty)), N,
                (from, to) -> JavaLoops.mul(x, y, out, from, to), px == null ? null : TorchPeer.call(() -> px.mul(py))));

        JavaLoops.relu(x, out, 0, N);
        check("relu", out, tx.relu(), px == null ? null : TorchPeer.values(() -> Activation.relu(px)));
        s.add(rows.run("x.relu()", 8.0 * N, () -> Sink.keep(tx.relu()), N,
                (from, to) -> JavaLoops.relu(x, out, from, to), px == null ? null : TorchPeer.call(() -> Activation.relu(px))));
        s.add(rows.run("x.relu(), result released", 8.0 * N, () -> Sink.release(tx.relu()), N,
                (from, to) -> JavaLoops.relu(x, out, from, to), px == null ? null : TorchPeer.call(() -> Activation.relu(px))));

        // In place: every contender owns its copy of x, which the timed calls keep updating.
        // mul_ multiplies by values near 1 so that repeated calls never drift into denormals.
        float[] nearOne = Inputs.uniform(5, N, 0.999f, 1.001f);
        inPlace(s, "x.add_(y)", x, y, true);
        inPlace(s, "x.mul_(y), y in [0.999, 1.001)", x, nearOne, false);
        relu_(s, x);

        if (px != null) {
            px.close();
            py.close();
        }
        s.note("Kindling's out-of-place ops allocate their 64 MiB result per call (the JVM zeroes it first); "
                + "the Java loops write into one preallocated array; PyTorch allocates and frees its result per call.");
        s.note("`..., result released` rows hand each result back with Tensor.release() (PyTorch frees its result when the "
                + "last reference goes; the JVM cannot know that), so the next call reuses the array from Kindling's buffer pool.");
        s.note("`Java loop 1T` is the plain loop on one thread (the target's baseline); `Java loop 2T` the same loop "
                + "split over two threads, Kindling's default thread budget here (one per core).");
        s.note("In-place rows keep updating their own copy of x; relu_ is idempotent after the first call. "
                + "DJL has no in-place relu, so PyTorch has no relu_ number.");
        return s;
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
