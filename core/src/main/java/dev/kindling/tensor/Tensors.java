package dev.kindling.tensor;

import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.ops.Joining;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.List;

/**
 * Creating tensors: from Java arrays (sharing their memory, like {@code torch.from_numpy}), from
 * foreign memory, filled with constants or ranges, and random, always from a seedable
 * {@link Generator} (the default one when none is given). Names and defaults follow PyTorch:
 * floating-point factories make float32 unless a dtype is given.
 */
public final class Tensors {
    private Tensors() {}

    // ---------------------------------------------------------------- from Java memory (shared)

    /** Wraps {@code data} without copying: writes through the tensor are visible in the array and vice versa. */
    public static Tensor fromArray(float[] data, int... shape) { return wrap(Storage.ofArray(data, DType.FLOAT32), data.length, shape); }

    public static Tensor fromArray(double[] data, int... shape) { return wrap(Storage.ofArray(data, DType.FLOAT64), data.length, shape); }

    public static Tensor fromArray(int[] data, int... shape) { return wrap(Storage.ofArray(data, DType.INT32), data.length, shape); }

    public static Tensor fromArray(long[] data, int... shape) { return wrap(Storage.ofArray(data, DType.INT64), data.length, shape); }

    /** Wraps bytes as uint8 (or bool when dtype is BOOL, values 0/1). */
    public static Tensor fromArray(byte[] data, DType dtype, int... shape) {
        if (dtype != DType.UINT8 && dtype != DType.BOOL) {
            throw new IllegalArgumentException("fromArray(byte[]): dtype must be uint8 or bool but got " + dtype);
        }
        return wrap(Storage.ofArray(data, dtype), data.length, shape);
    }

    private static Tensor wrap(Storage storage, int length, int[] shape) {
        int[] s = shape.length == 0 ? new int[] {length} : Shapes.infer("fromArray", shape, length, new int[] {length});
        return Tensor.of(storage, s);
    }

    /** Views a memory segment (native or heap) as a contiguous tensor, without copying; owner keeps it alive. */
    public static Tensor fromSegment(MemorySegment segment, DType dtype, Object owner, int... shape) {
        Storage storage = Storage.ofSegment(segment, dtype, owner);
        int n = (int) Math.min(Integer.MAX_VALUE, storage.numel());
        int[] s = shape.length == 0 ? new int[] {n} : Shapes.infer("fromSegment", shape, n, new int[] {n});
        return Tensor.of(storage, s);
    }

    /** Views a direct {@link ByteBuffer} (position to limit) as a contiguous tensor, without copying. */
    public static Tensor fromBuffer(ByteBuffer buffer, DType dtype, int... shape) {
        Storage storage = Storage.ofBuffer(buffer, dtype);
        int n = (int) storage.numel();
        int[] s = shape.length == 0 ? new int[] {n} : Shapes.infer("fromBuffer", shape, n, new int[] {n});
        return Tensor.of(storage, s);
    }

    // ---------------------------------------------------------------- copies of Java values

    /** A new float32 tensor holding a copy of the values (nested arrays must be rectangular). */
    public static Tensor tensor(float... values) { return fromArray(values.clone()); }

    public static Tensor tensor(double... values) { return fromArray(values.clone()); }

    public static Tensor tensor(long... values) { return fromArray(values.clone()); }

    public static Tensor tensor(float[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] flat = new float[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("tensor: row " + i + " has length " + rows[i].length + " but row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    public static Tensor tensor(double[][] rows) {
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] flat = new double[rows.length * cols];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != cols) {
                throw new IllegalArgumentException("tensor: row " + i + " has length " + rows[i].length + " but row 0 has " + cols);
            }
            System.arraycopy(rows[i], 0, flat, i * cols, cols);
        }
        return fromArray(flat, rows.length, cols);
    }

    /** A bool tensor from Java booleans. */
    public static Tensor tensor(boolean... values) {
        byte[] b = new byte[values.length];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (values[i] ? 1 : 0);
        return fromArray(b, DType.BOOL);
    }

    /** A zero-dim tensor holding one value. */
    public static Tensor scalar(double value, DType dtype) {
        Tensor t = empty(dtype);
        t.backend().fill(t.strided(), value);
        return t;
    }

    public static Tensor scalar(double value) { return scalar(value, DType.FLOAT32); }

    // ---------------------------------------------------------------- constants

    public static Tensor empty(DType dtype, Device device, int... shape) {
        Backend b = Backends.of(device);
        return Tensor.of(b.allocate(dtype, Shapes.numel(shape)), shape);
    }

    public static Tensor empty(DType dtype, int... shape) { return empty(dtype, Device.CPU, shape); }

    public static Tensor empty(int... shape) { return empty(DType.FLOAT32, shape); }

    public static Tensor zeros(DType dtype, Device device, int... shape) {
        Tensor t = empty(dtype, device, shape);
        if (!device.isCpu()) t.backend().fill(t.strided(), 0);
        return t;
    }

    public static Tensor zeros(DType dtype, int... shape) { return zeros(dtype, Device.CPU, shape); }

    public static Tensor zeros(int... shape) { return zeros(DType.FLOAT32, shape); }

    public static Tensor ones(DType dtype, Device device, int... shape) { return full(1.0, dtype, device, shape); }

    public static Tensor ones(DType dtype, int... shape) { return ones(dtype, Device.CPU, shape); }

    public static Tensor ones(int... shape) { return ones(DType.FLOAT32, shape); }

    public static Tensor full(double value, DType dtype, Device device, int... shape) {
        Tensor t = empty(dtype, device, shape);
        t.backend().fill(t.strided(), value);
        return t;
    }

    public static Tensor full(double value, DType dtype, int... shape) { return full(value, dtype, Device.CPU, shape); }

    /** A float32 tensor filled with value. */
    public static Tensor full(double value, int... shape) { return full(value, DType.FLOAT32, shape); }

    public static Tensor emptyLike(Tensor t) { return empty(t.dtype(), t.device(), t.shape()); }

    public static Tensor zerosLike(Tensor t) { return zeros(t.dtype(), t.device(), t.shape()); }

    public static Tensor zerosLike(Tensor t, DType dtype) { return zeros(dtype, t.device(), t.shape()); }

    public static Tensor onesLike(Tensor t) { return ones(t.dtype(), t.device(), t.shape()); }

    public static Tensor fullLike(Tensor t, double value) { return full(value, t.dtype(), t.device(), t.shape()); }

    public static Tensor fullLike(Tensor t, double value, DType dtype) { return full(value, dtype, t.device(), t.shape()); }

    public static Tensor randLike(Tensor t) { return rand(Generator.defaultGenerator(), t.dtype(), t.shape()); }

    public static Tensor randnLike(Tensor t) { return randn(Generator.defaultGenerator(), t.dtype(), t.shape()); }

    /** The n x n identity. */
    public static Tensor eye(int n) { return eye(n, n, DType.FLOAT32); }

    public static Tensor eye(int n, int m, DType dtype) {
        if (n < 0 || m < 0) throw new IllegalArgumentException("eye: sizes must be >= 0 but got " + n + ", " + m);
        Tensor t = zeros(dtype, n, m);
        int k = Math.min(n, m);
        if (k > 0) t.asStrided(new int[] {k}, new int[] {m + 1}, 0).fill_(1.0);
        return t;
    }

    // ---------------------------------------------------------------- ranges

    /** 0, 1, ..., end - 1 as int64 (PyTorch's dtype for integer arguments). */
    public static Tensor arange(long end) { return arange(0, end, 1); }

    /** start, start + step, ... below end, as int64. */
    public static Tensor arange(long start, long end, long step) {
        if (step == 0) throw new IllegalArgumentException("arange: step must be non-zero");
        long n = Math.max(0, (end - start + step - Long.signum(step)) / step);
        long[] v = new long[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return fromArray(v);
    }

    /** start, start + step, ... below end, as dtype (float32 unless given), like {@code torch.arange(0., 1., 0.1)}. */
    public static Tensor arange(double start, double end, double step, DType dtype) {
        if (step == 0 || Double.isNaN(step)) throw new IllegalArgumentException("arange: step must be non-zero, got " + step);
        long n = (long) Math.ceil((end - start) / step);
        n = Math.max(0, n);
        double[] v = new double[Math.toIntExact(n)];
        for (int i = 0; i < v.length; i++) v[i] = start + i * step;
        return fromArray(v).to(dtype);
    }

    /** steps evenly spaced float32 values from start to end inclusive. */
    public static Tensor linspace(double start, double end, int steps) { return linspace(start, end, steps, DType.FLOAT32); }

    public static Tensor linspace(double start, double end, int steps, DType dtype) {
        if (steps < 0) throw new IllegalArgumentException("linspace: steps must be >= 0 but got " + steps);
        double[] v = new double[steps];
        double step = steps > 1 ? (end - start) / (steps - 1) : 0;
        // PyTorch fills the first half from start and the second half from end, symmetric rounding.
        int half = steps / 2;
        for (int i = 0; i < steps; i++) v[i] = i < half ? start + step * i : end - step * (steps - 1 - i);
        return fromArray(v).to(dtype);
    }

    // ---------------------------------------------------------------- random

    /** Uniform on [0, 1). */
    public static Tensor rand(Generator g, DType dtype, int... shape) {
        requireFloat("rand", dtype);
        Tensor t = empty(dtype, shape);
        t.backend().random(Backend.RandomKind.UNIFORM, t.strided(), g, 0, 1);
        return t;
    }

    public static Tensor rand(Generator g, int... shape) { return rand(g, DType.FLOAT32, shape); }

    public static Tensor rand(int... shape) { return rand(Generator.defaultGenerator(), shape); }

    /** Standard normal. */
    public static Tensor randn(Generator g, DType dtype, int... shape) { return normal(0, 1, g, dtype, shape); }

    public static Tensor randn(Generator g, int... shape) { return randn(g, DType.FLOAT32, shape); }

    public static Tensor randn(int... shape) { return randn(Generator.defaultGenerator(), shape); }

    /** Normal with the given mean and standard deviation. */
    public static Tensor normal(double mean, double std, Generator g, DType dtype, int... shape) {
        requireFloat("normal", dtype);
        if (!(std >= 0)) throw new IllegalArgumentException("normal: std must be >= 0 but got " + std);
        Tensor t = empty(dtype, shape);
        t.backend().random(Backend.RandomKind.NORMAL, t.strided(), g, mean, std);
        return t;
    }

    public static Tensor normal(double mean, double std, int... shape) {
        return normal(mean, std, Generator.defaultGenerator(), DType.FLOAT32, shape);
    }

    /** Integers uniform on [low, high), int64. */
    public static Tensor randint(long low, long high, Generator g, int... shape) {
        if (high <= low) throw new IllegalArgumentException("randint: expected low < high but got low=" + low + ", high=" + high);
        Tensor t = empty(DType.INT64, shape);
        t.backend().random(Backend.RandomKind.RANDINT, t.strided(), g, low, high);
        return t;
    }

    public static Tensor randint(long low, long high, int... shape) { return randint(low, high, Generator.defaultGenerator(), shape); }

    /** A random permutation of 0..n-1 (int64), Fisher-Yates from the generator. */
    public static Tensor randperm(int n, Generator g) {
        if (n < 0) throw new IllegalArgumentException("randperm: n must be >= 0 but got " + n);
        long[] p = new long[n];
        for (int i = 0; i < n; i++) p[i] = i;
        long start = g.reserve(n);
        long seed = g.seed();
        for (int i = n - 1; i > 0; i--) {
            int j = (int) Math.unsignedMultiplyHigh(Generator.word(seed, start + i), i + 1L);
            long tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return fromArray(p);
    }

    public static Tensor randperm(int n) { return randperm(n, Generator.defaultGenerator()); }

    /** 1 with probability p[i], else 0, in p's dtype. */
    public static Tensor bernoulli(Tensor p, Generator g) {
        requireFloat("bernoulli", p.dtype());
        Tensor out = emptyLike(p);
        out.backend().bernoulli(p.strided(), out.strided(), g);
        return out;
    }

    public static Tensor bernoulli(Tensor p) { return bernoulli(p, Generator.defaultGenerator()); }

    /** 1 with probability p everywhere. */
    public static Tensor bernoulli(double p, Generator g, DType dtype, int... shape) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("bernoulli: p must be in [0, 1] but got " + p);
        Tensor t = empty(dtype, shape);
        t.backend().random(Backend.RandomKind.BERNOULLI, t.strided(), g, p, 0);
        return t;
    }

    private static void requireFloat(String op, DType dtype) {
        if (!dtype.isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": expected a floating point dtype but got " + dtype);
        }
    }

    // ---------------------------------------------------------------- joining

    /** Concatenates along an existing dim. Differentiable. */
    public static Tensor cat(List<Tensor> tensors, int dim) { return Joining.cat(tensors, dim); }

    public static Tensor cat(int dim, Tensor... tensors) { return Joining.cat(List.of(tensors), dim); }

    /** Stacks along a new dim. Differentiable. */
    public static Tensor stack(List<Tensor> tensors, int dim) { return Joining.stack(tensors, dim); }

    public static Tensor stack(int dim, Tensor... tensors) { return Joining.stack(List.of(tensors), dim); }

    /** Pairwise p-norm distances between the rows of x1 [.., P, M] and x2 [.., R, M], as torch.cdist. */
    public static Tensor cdist(Tensor x1, Tensor x2, double p) { return dev.kindling.ops.LinearAlgebra.cdist(x1, x2, p); }

    /** Bucket indices of x among sorted 1-D boundaries, as torch.bucketize. */
    public static Tensor bucketize(Tensor x, Tensor boundaries, boolean right) { return dev.kindling.ops.Comparisons.bucketize(x, boundaries, right); }

    /** Insertion positions of values in sortedSequence (last dim), as torch.searchsorted. */
    public static Tensor searchsorted(Tensor sortedSequence, Tensor values, boolean right) {
        return dev.kindling.ops.Comparisons.searchsorted(sortedSequence, values, right);
    }

    /** {@code torch.where(condition, x, y)}. */
    public static Tensor where(Tensor condition, Tensor x, Tensor y) { return x.where(condition, y); }

    /** Joined along dim 1, or dim 0 when every input is at most 1-D (torch.hstack). */
    public static Tensor hstack(List<Tensor> tensors) { return dev.kindling.ops.Stacking.hstack(tensors); }

    /** Inputs made at least 2-D, joined along dim 0 (torch.vstack). */
    public static Tensor vstack(List<Tensor> tensors) { return dev.kindling.ops.Stacking.vstack(tensors); }

    /** Inputs made at least 3-D, joined along dim 2 (torch.dstack). */
    public static Tensor dstack(List<Tensor> tensors) { return dev.kindling.ops.Stacking.dstack(tensors); }

    /** 0-d and 1-d inputs as columns, joined along dim 1 (torch.column_stack). */
    public static Tensor columnStack(List<Tensor> tensors) { return dev.kindling.ops.Stacking.columnStack(tensors); }

    public static Tensor atleast1d(Tensor t) { return dev.kindling.ops.Stacking.atleast1d(t); }

    public static Tensor atleast2d(Tensor t) { return dev.kindling.ops.Stacking.atleast2d(t); }

    public static Tensor atleast3d(Tensor t) { return dev.kindling.ops.Stacking.atleast3d(t); }

    /** Coordinate grids of 0-d/1-d tensors; indexing "ij" (matrix) or "xy" (Cartesian). */
    public static List<Tensor> meshgrid(List<Tensor> tensors, String indexing) { return dev.kindling.ops.Stacking.meshgrid(tensors, indexing); }

    /** polygamma(n, x), in torch's argument order. */
    public static Tensor polygamma(int n, Tensor x) { return x.polygamma(n); }

    /** torch.einsum: subscripts with repeated letters (diagonals), "..." and the implicit output. */
    public static Tensor einsum(String equation, Tensor... operands) { return dev.kindling.ops.Einsum.einsum(equation, List.of(operands)); }

    public static Tensor einsum(String equation, List<Tensor> operands) { return dev.kindling.ops.Einsum.einsum(equation, operands); }
}
