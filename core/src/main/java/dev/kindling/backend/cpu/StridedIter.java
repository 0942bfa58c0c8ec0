package dev.kindling.backend.cpu;

/**
 * Iterates several operands of one shape, each with its own strides and offset, as a sequence of
 * 1-D runs that a kernel processes with a tight loop.
 *
 * <p>As PyTorch's TensorIterator does, it first drops size-1 dims, orders the remaining dims so the
 * one with the smallest stride (in the first operand that has a non-zero stride there) is innermost,
 * and merges neighbouring dims that are contiguous in every operand. A contiguous tensor therefore
 * becomes one run of numel elements, and a transposed input is walked in its memory order.
 */
final class StridedIter {
    private final int nops;
    private final int ndim;
    private final int[] sizes;       // outer .. inner
    private final int[][] strides;   // [op][dim]
    private final int[] base;        // [op]
    private final long numel;

    private StridedIter(int nops, int[] sizes, int[][] strides, int[] base, long numel) {
        this.nops = nops;
        this.ndim = sizes.length;
        this.sizes = sizes;
        this.strides = strides;
        this.base = base;
        this.numel = numel;
    }

    /**
     * @param shape   the common shape
     * @param offsets each operand's storage offset
     * @param strides each operand's strides (same length as shape)
     */
    static StridedIter of(int[] shape, int[] offsets, int[]... strides) {
        int nops = strides.length;
        long numel = 1;
        for (int s : shape) numel *= s;
        // Keep dims with size > 1, in original order.
        int kept = 0;
        for (int s : shape) if (s != 1) kept++;
        int[] dims = new int[kept];
        for (int i = 0, j = 0; i < shape.length; i++) if (shape[i] != 1) dims[j++] = i;
        // Insertion sort: outermost first, innermost (smallest stride) last.
        for (int i = 1; i < dims.length; i++) {
            int d = dims[i];
            int j = i - 1;
            while (j >= 0 && shouldSwap(strides, dims[j], d)) {
                dims[j + 1] = dims[j];
                j--;
            }
            dims[j + 1] = d;
        }
        // Coalesce neighbours that are contiguous in every operand.
        int[] sz = new int[Math.max(dims.length, 1)];
        int[][] st = new int[nops][Math.max(dims.length, 1)];
        int n = 0;
        if (dims.length == 0) {
            sz[0] = numel == 0 ? 0 : 1;
            n = 1;
        }
        for (int d : dims) {
            if (n > 0 && canMerge(strides, st, n - 1, d, shape[d], nops)) {
                // previous (outer) dim merges into this inner one
                sz[n - 1] *= shape[d];
                for (int op = 0; op < nops; op++) st[op][n - 1] = strides[op][d];
            } else {
                sz[n] = shape[d];
                for (int op = 0; op < nops; op++) st[op][n] = strides[op][d];
                n++;
            }
        }
        int[] sizes = java.util.Arrays.copyOf(sz, n);
        int[][] str = new int[nops][];
        for (int op = 0; op < nops; op++) str[op] = java.util.Arrays.copyOf(st[op], n);
        return new StridedIter(nops, sizes, str, offsets.clone(), numel);
    }

    /** True when dim a (currently before b, i.e. outer) should instead be inner to b. */
    private static boolean shouldSwap(int[][] strides, int a, int b) {
        for (int[] s : strides) {
            int sa = Math.abs(s[a]);
            int sb = Math.abs(s[b]);
            if (sa == 0 || sb == 0 || sa == sb) continue;
            return sa < sb;
        }
        return false;
    }

    private static boolean canMerge(int[][] strides, int[][] st, int prev, int d, int size, int nops) {
        for (int op = 0; op < nops; op++) {
            if (st[op][prev] != strides[op][d] * size) return false;
        }
        return true;
    }

    long numel() { return numel; }

    /** Length of the innermost run. */
    int innerSize() { return sizes[ndim - 1]; }

    /** Operand op's stride along the innermost run. */
    int innerStride(int op) { return strides[op][ndim - 1]; }

    /** Number of innermost runs. */
    long rows() { return sizes[ndim - 1] == 0 ? 0 : numel / sizes[ndim - 1]; }

    /** Receives one run: offsets[op] is each operand's start, len the run length. */
    @FunctionalInterface
    interface Body {
        void run(int[] offsets, int len);
    }

    /** Runs body over elements [from, to) in iteration order. */
    void forEach(long from, long to, Body body) {
        if (from >= to) return;
        int inner = sizes[ndim - 1];
        int outerDims = ndim - 1;
        int[] coord = new int[Math.max(outerDims, 1)];
        int[] offsets = new int[nops];
        long row = from / inner;
        int col = (int) (from % inner);
        long r = row;
        for (int d = outerDims - 1; d >= 0; d--) {
            coord[d] = (int) (r % sizes[d]);
            r /= sizes[d];
        }
        for (int op = 0; op < nops; op++) {
            int off = base[op] + col * strides[op][ndim - 1];
            for (int d = 0; d < outerDims; d++) off += coord[d] * strides[op][d];
            offsets[op] = off;
        }
        long remaining = to - from;
        while (remaining > 0) {
            int len = (int) Math.min(inner - col, remaining);
            body.run(offsets, len);
            remaining -= len;
            if (remaining == 0) break;
            // Back to the start of the run, then advance the odometer over the outer dims.
            for (int op = 0; op < nops; op++) offsets[op] -= col * strides[op][ndim - 1];
            col = 0;
            for (int d = outerDims - 1; d >= 0; d--) {
                coord[d]++;
                for (int op = 0; op < nops; op++) offsets[op] += strides[op][d];
                if (coord[d] < sizes[d]) break;
                for (int op = 0; op < nops; op++) offsets[op] -= coord[d] * strides[op][d];
                coord[d] = 0;
            }
        }
    }

    /** Runs body over all elements, split across the thread budget when large. */
    void parallel(Body body) {
        parallel(Parallel.GRAIN, body);
    }

    void parallel(long grain, Body body) {
        Parallel.forRange(numel, grain, (from, to) -> forEach(from, to, body));
    }
}
