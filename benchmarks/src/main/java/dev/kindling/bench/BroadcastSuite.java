package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * (c) Broadcasting and transposed inputs on a [4096, 1024] float32 matrix (16 MiB): a row vector
 * added to every row, a column vector added to every column, a transposed view plus a row vector
 * (Kindling, like PyTorch, gives the result the input's memory order, so the kernel streams), and a
 * contiguous matrix plus a transposed view (the output is contiguous, so one input must be read
 * across its rows). GB/s counts every distinct element read plus every element written once.
 */
final class BroadcastSuite {
    static final int ROWS = 4096;
    static final int COLS = 1024;
    private static final int N = ROWS * COLS;

    private final LoopRows rows;

    BroadcastSuite(LoopRows rows) { this.rows = rows; }

    Section run() {
        Section s = new Section("(c) broadcast and transposed add, [4096,1024] float32, GB/s: median (best)", "GB/s", 1e9,
                rows.peers(), new Section.Target(Peers.LOOP, 0.70));
        float[] x = Inputs.signed(6, N);
        float[] a = Inputs.signed(7, N); // contiguous [COLS, ROWS]; a.t() is [ROWS, COLS]
        float[] row = Inputs.signed(8, COLS);
        float[] col = Inputs.signed(9, ROWS);
        float[] out = new float[N];
        Tensor tx = Tensors.fromArray(x, ROWS, COLS);
        Tensor ta = Tensors.fromArray(a, COLS, ROWS);
        Tensor trow = Tensors.fromArray(row, COLS);
        Tensor tcol = Tensors.fromArray(col, ROWS, 1);
        TorchPeer torch = rows.torch();
        NDArray px = torch == null ? null : torch.array(x, ROWS, COLS);
        NDArray pa = torch == null ? null : torch.array(a, COLS, ROWS);
        NDArray pat = pa == null ? null : pa.transpose();
        NDArray prow = torch == null ? null : torch.array(row, COLS);
        NDArray pcol = torch == null ? null : torch.array(col, ROWS, 1);

        // [4096,1024] + [1024]
        JavaLoops.addRowVector(x, row, out, COLS, 0, ROWS);
        check("row broadcast", out, tx.add(trow), torch == null ? null : TorchPeer.values(() -> px.add(prow)));
        s.add(rows.run("x + v, x [4096,1024], v [1024]", 4.0 * (2L * N + COLS), () -> Sink.keep(tx.add(trow)), ROWS,
                (from, to) -> JavaLoops.addRowVector(x, row, out, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(prow))));
        s.add(rows.run("x + v, x [4096,1024], v [1024], result released", 4.0 * (2L * N + COLS), () -> Sink.release(tx.add(trow)), ROWS,
                (from, to) -> JavaLoops.addRowVector(x, row, out, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(prow))));

        // [4096,1024] + [4096,1]
        JavaLoops.addColumnVector(x, col, out, COLS, 0, ROWS);
        check("column broadcast", out, tx.add(tcol), torch == null ? null : TorchPeer.values(() -> px.add(pcol)));
        s.add(rows.run("x + w, x [4096,1024], w [4096,1]", 4.0 * (2L * N + ROWS), () -> Sink.keep(tx.add(tcol)), ROWS,
                (from, to) -> JavaLoops.addColumnVector(x, col, out, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(pcol))));
        s.add(rows.run("x + w, x [4096,1024], w [4096,1], result released", 4.0 * (2L * N + ROWS), () -> Sink.release(tx.add(tcol)), ROWS,
                (from, to) -> JavaLoops.addColumnVector(x, col, out, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(pcol))));

        // a.t() + v: the result takes a.t()'s (column-major) layout, so in memory this is a [1024,4096]
        // array plus one scalar per memory row, which is exactly what the plain loop computes.
        JavaLoops.addColumnVector(a, row, out, ROWS, 0, COLS);
        Tensor kt = ta.t().add(trow);
        check("transposed + row", transpose(out, COLS, ROWS), kt, torch == null ? null : TorchPeer.values(() -> pat.add(prow)));
        s.add(rows.run("a.t() + v, a [1024,4096], v [1024]", 4.0 * (2L * N + COLS), () -> Sink.keep(ta.t().add(trow)), COLS,
                (from, to) -> JavaLoops.addColumnVector(a, row, out, ROWS, from, to),
                torch == null ? null : TorchPeer.call(() -> pat.add(prow))));
        s.add(rows.run("a.t() + v, a [1024,4096], v [1024], result released", 4.0 * (2L * N + COLS), () -> Sink.release(ta.t().add(trow)), COLS,
                (from, to) -> JavaLoops.addColumnVector(a, row, out, ROWS, from, to),
                torch == null ? null : TorchPeer.call(() -> pat.add(prow))));

        // x + a.t(): contiguous output, one operand read with a stride of 4096 elements.
        JavaLoops.addTransposed(x, a, out, ROWS, COLS, 0, ROWS);
        check("contiguous + transposed", out, tx.add(ta.t()), torch == null ? null : TorchPeer.values(() -> px.add(pat)));
        s.add(rows.run("x + a.t(), x [4096,1024], a [1024,4096]", 4.0 * 3L * N, () -> Sink.keep(tx.add(ta.t())), ROWS,
                (from, to) -> JavaLoops.addTransposed(x, a, out, ROWS, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(pat))));
        s.add(rows.run("x + a.t(), x [4096,1024], a [1024,4096], result released", 4.0 * 3L * N, () -> Sink.release(tx.add(ta.t())), ROWS,
                (from, to) -> JavaLoops.addTransposed(x, a, out, ROWS, COLS, from, to),
                torch == null ? null : TorchPeer.call(() -> px.add(pat))));

        if (torch != null) {
            pat.close();
            for (NDArray p : new NDArray[] {px, pa, prow, pcol}) p.close();
        }
        s.note("`a.t() + v`: Kindling and PyTorch both give the result a.t()'s memory order (column-major), so the "
                + "plain loop computes the same memory: a [1024,4096] array plus one scalar per memory row.");
        s.note("`x + a.t()`: the result is contiguous like x, so a is read with a stride of 4096 floats; the plain "
                + "loop does the same, row by row of the output, without blocking.");
        s.note("Kindling allocates its [4096,1024] result per call; the Java loops write into one preallocated array.");
        s.note("`..., result released` rows hand each result back with Tensor.release(), so the next call reuses the "
                + "array from Kindling's buffer pool instead of a fresh zeroed one.");
        return s;
    }

    /** The row-major [cols, rows] transpose of a row-major [rows, cols] array. */
    private static float[] transpose(float[] m, int rows, int cols) {
        float[] t = new float[m.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) t[c * rows + r] = m[r * cols + c];
        }
        return t;
    }

    private static void check(String what, float[] loop, Tensor kindling, float[] torch) {
        Checks.close(what + " Kindling vs Java loop", loop, kindling.toFloatArray(), 0);
        if (torch != null) Checks.close(what + " PyTorch vs Java loop", loop, torch, 0);
    }
}
