package dev.kindling.bench;

import ai.djl.ndarray.NDArray;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;

/**
 * (d) Sum over the last dim of a [4096, 1024] float32 matrix ({@code x.sum(-1)}): 4096 rows of 1024
 * contiguous floats each. GB/s counts the 16 MiB read plus the 16 KiB of sums written.
 */
final class ReductionSuite {
    static final int ROWS = 4096;
    static final int COLS = 1024;

    private final LoopRows rows;

    ReductionSuite(LoopRows rows) { this.rows = rows; }

    Section run() {
        Section s = new Section("(d) sum over the last dim, [4096,1024] float32, GB/s: median (best)", "GB/s", 1e9,
                rows.peers(), null);
        float[] x = Inputs.signed(10, ROWS * COLS);
        float[] out = new float[ROWS];
        Tensor tx = Tensors.fromArray(x, ROWS, COLS);
        TorchPeer torch = rows.torch();
        NDArray px = torch == null ? null : torch.array(x, ROWS, COLS);

        JavaLoops.rowSums(x, out, COLS, 0, ROWS);
        Checks.close("sum(-1) Kindling vs Java loop", out, tx.sum(-1).toFloatArray(), 1e-6);
        if (px != null) {
            // libtorch sums in float with its own order: equal to float rounding, not bit for bit.
            Checks.close("sum(-1) PyTorch vs Java loop", out, TorchPeer.values(() -> px.sum(new int[] {1})), 1e-5);
        }
        s.add(rows.run("x.sum(-1)", 4.0 * ((long) ROWS * COLS + ROWS), () -> Sink.keep(tx.sum(-1)), ROWS,
                (from, to) -> JavaLoops.rowSums(x, out, COLS, from, to),
                px == null ? null : TorchPeer.call(() -> px.sum(new int[] {1}))));
        if (px != null) px.close();
        s.note("The Java loop accumulates each row in double with four partial sums, the same arithmetic as "
                + "Kindling's kernel; PyTorch accumulates in float. No target was set for this row; for reference, "
                + "sections (b) and (c) aim at 70% of the one-thread loop.");
        return s;
    }
}
