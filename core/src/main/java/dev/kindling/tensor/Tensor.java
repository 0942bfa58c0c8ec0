package dev.kindling.tensor;

import dev.kindling.autograd.Autograd;
import dev.kindling.autograd.AutogradMeta;
import dev.kindling.autograd.GradMode;
import dev.kindling.autograd.Node;
import dev.kindling.backend.Backend;
import dev.kindling.backend.Backends;
import dev.kindling.backend.BinaryOp;
import dev.kindling.backend.StridedView;
import dev.kindling.backend.UnaryOp;
import dev.kindling.ops.Activations;
import dev.kindling.ops.Comparisons;
import dev.kindling.ops.Diagonals;
import dev.kindling.ops.Elementwise;
import dev.kindling.ops.FusedProducts;
import dev.kindling.ops.Histograms;
import dev.kindling.ops.IndexUpdates;
import dev.kindling.ops.Indexing;
import dev.kindling.ops.Moments;
import dev.kindling.ops.Quantiles;
import dev.kindling.ops.Uniques;
import dev.kindling.ops.ScatterReduce;
import dev.kindling.ops.Stacking;
import dev.kindling.ops.InPlace;
import dev.kindling.ops.Joining;
import dev.kindling.ops.LinearAlgebra;
import dev.kindling.ops.MathFunctions;
import dev.kindling.ops.RankReductions;
import dev.kindling.ops.Reductions;
import dev.kindling.ops.Repetition;
import dev.kindling.ops.Scans;
import dev.kindling.ops.Sorting;
import dev.kindling.ops.Views;

import java.lang.foreign.MemorySegment;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * An n-dimensional array with autograd, the center of Kindling: a {@link Storage} plus a shape,
 * strides and an offset. Views (reshape, permute, slicing, expand...) share storage and change only
 * that metadata; every other op returns a new tensor.
 *
 * <p>Method names follow PyTorch in camelCase ({@code indexSelect}, {@code logsumexp},
 * {@code requiresGrad}); in-place variants carry PyTorch's trailing underscore ({@code add_},
 * {@code mul_}, {@code zero_}, {@code fill_}, {@code copy_}) so a script ports line by line. Each
 * method is one line that calls the op's single implementation in {@code dev.kindling.ops}, which
 * holds its forward and its backward. Factories live in {@link Tensors}.
 */
public class Tensor {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;
    private final Tensor viewBase;
    private AutogradMeta autograd;
    private StridedView strided;

    private Tensor(Storage storage, int[] shape, int[] strides, int offset, Tensor viewBase) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.viewBase = viewBase;
    }

    /**
     * For subclasses such as {@code nn.Parameter}: a new leaf over the same memory and layout as
     * {@code data}, with no autograd history.
     */
    protected Tensor(Tensor data) {
        this(data.storage, data.shape, data.strides, data.offset, null);
    }

    /**
     * A tensor over existing storage with explicit layout. Checks that every element it addresses
     * lies inside the storage. The result is not a view in autograd's sense; use
     * {@link #asStrided} for that.
     */
    public static Tensor of(Storage storage, int[] shape, int[] strides, int offset) {
        checkLayout("Tensor.of", storage, shape, strides, offset);
        return new Tensor(storage, shape.clone(), strides.clone(), offset, null);
    }

    /** A contiguous tensor over the whole of a storage. */
    public static Tensor of(Storage storage, int... shape) {
        int n = Shapes.numel(shape);
        if (n != storage.numel()) {
            throw new IllegalArgumentException("Tensor.of: shape " + Shapes.str(shape) + " has " + n
                    + " elements but the storage has " + storage.numel());
        }
        return new Tensor(storage, shape.clone(), Shapes.contiguousStrides(shape), 0, null);
    }

    /** For ops: a view of this tensor's storage with new metadata (no checks; callers compute valid layouts). */
    public Tensor viewOf(int[] shape, int[] strides, int offset) {
        return new Tensor(storage, shape, strides, offset, viewBase != null ? viewBase : this);
    }

    static void checkLayout(String op, Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in length");
        }
        long lo = offset;
        long hi = offset;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] < 0) throw new IllegalArgumentException(op + ": negative size in shape " + Shapes.str(shape));
            if (shape[i] == 0) return;
            long span = (long) (shape[i] - 1) * strides[i];
            if (span > 0) hi += span; else lo += span;
        }
        if (lo < 0 || hi >= storage.numel()) {
            throw new IllegalArgumentException(op + ": shape " + Shapes.str(shape) + ", strides "
                    + Arrays.toString(strides) + " and offset " + offset + " address elements [" + lo + ", " + hi
                    + "] outside a storage of " + storage.numel() + " elements");
        }
    }

    // ---------------------------------------------------------------- metadata

    /** The sizes of each dim (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Size of one dim (negative dims count from the end). */
    public int size(int dim) { return shape[Shapes.dim("size", dim, shape.length)]; }

    /** Element strides of each dim (a copy). */
    public int[] strides() { return strides.clone(); }

    public int stride(int dim) { return strides[Shapes.dim("stride", dim, shape.length)]; }

    /** Offset of the first element in the storage, in elements. */
    public int storageOffset() { return offset; }

    public Storage storage() { return storage; }

    /**
     * Gives this tensor's memory back to the CPU buffer pool now, as PyTorch frees a tensor whose
     * last reference goes, instead of when the garbage collector finds it unreachable (which also
     * returns it). Only memory lent by the pool (large op outputs) is affected. The caller promises
     * that neither this tensor nor any view of its storage is used afterwards; one that is used
     * anyway throws {@link IllegalStateException} rather than reading memory another tensor owns.
     *
     * @return true when memory went back to the pool
     */
    public boolean release() { return storage.release(); }

    public int dim() { return shape.length; }

    public int numel() { return Shapes.numel(shape); }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    /** The backend that runs kernels for this tensor's device. */
    public Backend backend() { return Backends.of(storage.device()); }

    /**
     * What a backend kernel sees of this tensor: its storage and layout, without autograd state.
     * Made on first use and kept (the layout never changes), so kernel calls do not allocate one per
     * operand; a racing second thread at worst makes an equal one.
     */
    public StridedView strided() {
        StridedView v = strided;
        if (v == null) {
            v = StridedView.of(storage, shape, strides, offset);
            strided = v;
        }
        return v;
    }

    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    /** The tensor this one is a view of, or null. */
    public Tensor viewBase() { return viewBase; }

    /** True if this tensor shares storage with other. */
    public boolean sharesStorageWith(Tensor other) { return storage == other.storage; }

    /** The version counter of the storage, bumped by in-place writes. */
    public int version() { return storage.version(); }

    /** For kernels writing in place: marks the storage as modified. */
    public void bumpVersion() { storage.bumpVersion(); }

    /**
     * The memory of this tensor's elements as a segment (CPU only): from the first element to the
     * last it can address. For a contiguous tensor this is exactly its data, and its address is the
     * address of the underlying buffer.
     */
    public MemorySegment dataSegment() {
        long item = dtype().itemSize();
        long span = 0;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 0) return storage.segment().asSlice(offset * item, 0);
            span += (long) (shape[i] - 1) * Math.abs(strides[i]);
        }
        return storage.segment().asSlice(offset * item, (span + 1) * item);
    }

    // ---------------------------------------------------------------- autograd

    /** This tensor's autograd state, or null if it never took part in autograd. */
    public AutogradMeta autogradMeta() { return autograd; }

    /** Creates the autograd state on first use. */
    public AutogradMeta ensureAutogradMeta() {
        if (autograd == null) autograd = new AutogradMeta();
        return autograd;
    }

    public boolean requiresGrad() { return autograd != null && autograd.requiresGrad(); }

    /** {@code requires_grad_()}: marks a leaf as needing gradients; returns this. */
    public Tensor requiresGrad_(boolean value) {
        if (!value && autograd == null) return this;
        ensureAutogradMeta().setRequiresGrad(value, this);
        return this;
    }

    /** The accumulated gradient (after backward), or null. */
    public Tensor grad() { return autograd == null ? null : autograd.grad(); }

    /** Sets or clears the gradient (what optimizers' zeroGrad does). */
    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new IllegalArgumentException("setGrad: gradient shape " + Shapes.str(g.shape)
                    + " does not match tensor shape " + Shapes.str(shape));
        }
        if (g == null && autograd == null) return;
        ensureAutogradMeta().setGrad(g);
    }

    /** The node that computed this tensor, or null for a leaf. */
    public Node gradFn() { return autograd == null ? null : autograd.gradFn(); }

    /** True for tensors not computed by a recorded op. */
    public boolean isLeaf() { return gradFn() == null; }

    /** Keeps the gradient of this non-leaf tensor in {@link #grad()} after backward. */
    public Tensor retainGrad() {
        ensureAutogradMeta().retainGrad(this);
        return this;
    }

    /** Registers a hook called with this tensor's gradient; it may return a replacement (or null to keep it). */
    public Tensor registerHook(UnaryOperator<Tensor> hook) {
        ensureAutogradMeta().registerHook(hook, this);
        return this;
    }

    /** Backward from a scalar: accumulates d(this)/d(leaf) into every leaf's grad and frees the graph. */
    public void backward() { Autograd.backward(this, null, false, false); }

    /** Backward with an explicit gradient of this tensor's shape. */
    public void backward(Tensor gradient) { Autograd.backward(this, gradient, false, false); }

    /** Backward, keeping the graph for another pass and/or recording the backward itself. */
    public void backward(Tensor gradient, boolean retainGraph, boolean createGraph) {
        Autograd.backward(this, gradient, retainGraph, createGraph);
    }

    /** A tensor sharing this one's storage but cut out of the graph. */
    public Tensor detach() { return new Tensor(storage, shape, strides, offset, viewBase); }

    // ---------------------------------------------------------------- conversion and access

    /** A copy converted to dtype (this tensor itself when it already has it). Differentiable. */
    public Tensor to(DType dtype) { return Views.to(this, dtype); }

    /** A copy on another device (this tensor itself when already there). Differentiable. */
    public Tensor to(Device device) { return Views.toDevice(this, device); }

    /** A contiguous tensor with the same values: this one when already contiguous. */
    public Tensor contiguous() { return isContiguous() ? this : Views.clone(this); }

    /** A contiguous copy. Differentiable. */
    public Tensor clone() { return Views.clone(this); }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("item: a Tensor with " + numel() + " elements cannot be converted to a scalar");
        }
        return CpuAccess.getDouble(this.to(Device.CPU), 0);
    }

    /** The value of a one-element integer tensor, exactly. */
    public long itemLong() {
        if (numel() != 1) {
            throw new IllegalArgumentException("itemLong: a Tensor with " + numel() + " elements cannot be converted to a scalar");
        }
        return CpuAccess.getLong(this.to(Device.CPU), 0);
    }

    /** The element at the given index, as a double. */
    public double get(int... index) { return CpuAccess.getDouble(this.to(Device.CPU), flatOffset("get", index)); }

    /** The element at the given index, as a long (exact for int64). */
    public long getLong(int... index) { return CpuAccess.getLong(this.to(Device.CPU), flatOffset("getLong", index)); }

    int flatOffset(String op, int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException(op + ": expected " + shape.length + " indices but got " + index.length);
        }
        int off = offset;
        for (int i = 0; i < index.length; i++) {
            int ix = index[i] < 0 ? index[i] + shape[i] : index[i];
            if (ix < 0 || ix >= shape[i]) {
                throw new IllegalArgumentException(op + ": index " + index[i] + " is out of bounds for dim " + i
                        + " with size " + shape[i]);
            }
            off += ix * strides[i];
        }
        return off;
    }

    /** The elements in row-major order as a new float[]. */
    public float[] toFloatArray() { return (float[]) CpuAccess.toArray(this, DType.FLOAT32); }

    /** The elements in row-major order as a new double[]. */
    public double[] toDoubleArray() { return (double[]) CpuAccess.toArray(this, DType.FLOAT64); }

    /** The elements in row-major order as a new long[]. */
    public long[] toLongArray() { return (long[]) CpuAccess.toArray(this, DType.INT64); }

    /** The elements in row-major order as a new int[]. */
    public int[] toIntArray() { return (int[]) CpuAccess.toArray(this, DType.INT32); }

    /** The elements of a bool tensor in row-major order. */
    public boolean[] toBooleanArray() {
        byte[] b = (byte[]) CpuAccess.toArray(this, DType.BOOL);
        boolean[] out = new boolean[b.length];
        for (int i = 0; i < b.length; i++) out[i] = b[i] != 0;
        return out;
    }

    /** {@code torch.allclose}: |a - b| <= atol + rtol * |b| everywhere (NaNs are not equal). */
    public boolean allclose(Tensor other, double rtol, double atol) {
        int[] s = Shapes.broadcast("allclose", shape, other.shape);
        double[] a = expand(s).toDoubleArray();
        double[] b = other.expand(s).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (a[i] == b[i]) continue;
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i]))) return false;
        }
        return true;
    }

    public boolean allclose(Tensor other) { return allclose(other, 1e-5, 1e-8); }

    /** {@code torch.equal}: same shape and the same values. */
    public boolean equal(Tensor other) {
        if (!Arrays.equals(shape, other.shape)) return false;
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        return Arrays.equals(a, b);
    }

    @Override
    public String toString() { return TensorFormatter.format(this); }

    // ---------------------------------------------------------------- views

    public Tensor view(int... shape) { return Views.view(this, shape); }

    public Tensor reshape(int... shape) { return Views.reshape(this, shape); }

    public Tensor viewAs(Tensor other) { return view(other.shape); }

    public Tensor reshapeAs(Tensor other) { return reshape(other.shape); }

    public Tensor permute(int... dims) { return Views.permute(this, dims); }

    public Tensor transpose(int dim0, int dim1) { return Views.transpose(this, dim0, dim1); }

    /** Transpose of a tensor with at most 2 dims. */
    public Tensor t() {
        if (dim() > 2) throw new IllegalArgumentException("t: expects a tensor with <= 2 dimensions, but got " + dim());
        return dim() < 2 ? this : transpose(0, 1);
    }

    /** The transpose of the last two dims ({@code mT}). */
    public Tensor mT() { return transpose(-2, -1); }

    public Tensor expand(int... sizes) { return Views.expand(this, sizes); }

    public Tensor expandAs(Tensor other) { return expand(other.shape); }

    public Tensor broadcastTo(int... shape) { return Views.expand(this, shape); }

    public Tensor narrow(int dim, int start, int length) { return Views.narrow(this, dim, start, length); }

    /** {@code x[start:end:step]} along dim; negative start/end count from the end and are clamped like Python. */
    public Tensor slice(int dim, int start, int end, int step) { return Views.slice(this, dim, start, end, step); }

    public Tensor slice(int dim, int start, int end) { return slice(dim, start, end, 1); }

    /** {@code x.select(dim, index)}: removes dim. */
    public Tensor select(int dim, int index) { return Views.select(this, dim, index); }

    public Tensor squeeze() { return Views.squeeze(this); }

    public Tensor squeeze(int dim) { return Views.squeeze(this, dim); }

    public Tensor unsqueeze(int dim) { return Views.unsqueeze(this, dim); }

    public Tensor flatten() { return flatten(0, -1); }

    public Tensor flatten(int startDim, int endDim) { return Views.flatten(this, startDim, endDim); }

    public Tensor unflatten(int dim, int... sizes) { return Views.unflatten(this, dim, sizes); }

    /** Reverses the order of elements along dims; a view with negative strides. */
    public Tensor flip(int... dims) { return Views.flip(this, dims); }

    /** Copies along each dim, sizes[i] times; extra leading sizes add dims, as torch.Tensor.repeat. */
    public Tensor repeat(int... sizes) { return Repetition.repeat(this, sizes); }

    /** repeat with missing leading sizes taken as 1, as torch.tile. */
    public Tensor tile(int... dims) { return Repetition.tile(this, dims); }

    /** Shifted along dims with wrap-around; no dims rolls the flattened tensor. */
    public Tensor roll(int[] shifts, int[] dims) { return Repetition.roll(this, shifts, dims); }

    public Tensor roll(int shift, int dim) { return roll(new int[] {shift}, new int[] {dim}); }

    /** Rotated by 90 degrees k times in the plane of dims. */
    public Tensor rot90(int k, int... dims) { return Repetition.rot90(this, k, dims); }

    /** A view with explicit sizes, strides and storage offset, as {@code torch.as_strided}. */
    public Tensor asStrided(int[] size, int[] stride, int storageOffset) { return Views.asStrided(this, size, stride, storageOffset); }

    public Tensor movedim(int source, int destination) { return Views.movedim(this, source, destination); }

    /** Splits into pieces of splitSize along dim (the last may be smaller); views. */
    public List<Tensor> split(int splitSize, int dim) { return Joining.split(this, splitSize, dim); }

    /** Splits into pieces of the given sizes along dim; views. */
    public List<Tensor> split(int[] sizes, int dim) { return Joining.split(this, sizes, dim); }

    public List<Tensor> chunk(int chunks, int dim) { return Joining.chunk(this, chunks, dim); }

    public List<Tensor> unbind(int dim) { return Joining.unbind(this, dim); }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor other) { return Elementwise.add(this, other, 1.0); }

    /** this + alpha * other. */
    public Tensor add(Tensor other, double alpha) { return Elementwise.add(this, other, alpha); }

    public Tensor add(double other) { return Elementwise.addScalar(this, other); }

    public Tensor sub(Tensor other) { return Elementwise.add(this, other, -1.0); }

    public Tensor sub(Tensor other, double alpha) { return Elementwise.add(this, other, -alpha); }

    public Tensor sub(double other) { return Elementwise.addScalar(this, -other); }

    /** other - this, as {@code torch.rsub}. */
    public Tensor rsub(double other) { return Elementwise.addScalar(Elementwise.neg(this), other); }

    public Tensor mul(Tensor other) { return Elementwise.mul(this, other); }

    public Tensor mul(double other) { return Elementwise.mulScalar(this, other); }

    public Tensor div(Tensor other) { return Elementwise.div(this, other); }

    public Tensor div(double other) { return Elementwise.divScalar(this, other); }

    public Tensor neg() { return Elementwise.neg(this); }

    public Tensor abs() { return Elementwise.abs(this); }

    public Tensor exp() { return Elementwise.exp(this); }

    public Tensor log() { return Elementwise.log(this); }

    public Tensor log1p() { return Elementwise.log1p(this); }

    public Tensor expm1() { return Elementwise.expm1(this); }

    public Tensor sqrt() { return Elementwise.sqrt(this); }

    public Tensor rsqrt() { return Elementwise.rsqrt(this); }

    public Tensor reciprocal() { return Elementwise.reciprocal(this); }

    public Tensor square() { return Elementwise.square(this); }

    public Tensor pow(double exponent) { return Elementwise.pow(this, exponent); }

    public Tensor pow(Tensor exponent) { return Elementwise.pow(this, exponent); }

    public Tensor sin() { return Elementwise.sin(this); }

    public Tensor cos() { return Elementwise.cos(this); }

    public Tensor tanh() { return Elementwise.tanh(this); }

    public Tensor sigmoid() { return Elementwise.sigmoid(this); }

    public Tensor relu() { return Elementwise.relu(this); }

    /** Exact gelu. */
    public Tensor gelu() { return Elementwise.gelu(this, false); }

    /** gelu; {@code tanhApproximation} selects PyTorch's approximate='tanh'. */
    public Tensor gelu(boolean tanhApproximation) { return Elementwise.gelu(this, tanhApproximation); }

    public Tensor silu() { return Elementwise.silu(this); }

    public Tensor softplus() { return Elementwise.softplus(this, 1.0, 20.0); }

    public Tensor softplus(double beta, double threshold) { return Elementwise.softplus(this, beta, threshold); }

    public Tensor leakyRelu(double negativeSlope) { return Elementwise.leakyRelu(this, negativeSlope); }

    public Tensor elu(double alpha) { return Elementwise.elu(this, alpha); }

    public Tensor erf() { return Elementwise.erf(this); }

    public Tensor sign() { return Elementwise.sign(this); }

    public Tensor floor() { return Elementwise.floor(this); }

    public Tensor ceil() { return Elementwise.ceil(this); }

    public Tensor round() { return Elementwise.round(this); }

    /** clamp(min, max); pass Double.NaN for "no bound". */
    public Tensor clamp(double min, double max) { return Elementwise.clamp(this, min, max); }

    /**
     * clamp with tensor bounds broadcast against this tensor; a null bound means none. Where min >
     * max the result is max, as PyTorch's. Each bound gets the gradient where it is the result.
     */
    public Tensor clamp(Tensor min, Tensor max) {
        if (min == null && max == null) throw new IllegalArgumentException("clamp: at least one of min and max must be given");
        Tensor r = min == null ? this : maximum(min);
        return max == null ? r : r.minimum(max);
    }

    public Tensor clampMin(double min) { return clamp(min, Double.NaN); }

    public Tensor clampMax(double max) { return clamp(Double.NaN, max); }

    public Tensor maximum(Tensor other) { return Elementwise.maximum(this, other); }

    public Tensor minimum(Tensor other) { return Elementwise.minimum(this, other); }

    public Tensor remainder(double other) { return Elementwise.binaryScalar(BinaryOp.Kind.REMAINDER, this, other); }

    public Tensor floorDivide(double other) { return Elementwise.binaryScalar(BinaryOp.Kind.FLOOR_DIVIDE, this, other); }

    /** {@code self.where(condition, other)}: this where condition holds, else other. */
    public Tensor where(Tensor condition, Tensor other) { return Elementwise.where(condition, this, other); }

    public Tensor where(Tensor condition, double other) { return Elementwise.where(condition, this, other); }

    public Tensor eq(Tensor other) { return Elementwise.compare(BinaryOp.Kind.EQ, this, other); }

    public Tensor eq(double other) { return Elementwise.compare(BinaryOp.Kind.EQ, this, other); }

    public Tensor ne(Tensor other) { return Elementwise.compare(BinaryOp.Kind.NE, this, other); }

    public Tensor ne(double other) { return Elementwise.compare(BinaryOp.Kind.NE, this, other); }

    public Tensor lt(Tensor other) { return Elementwise.compare(BinaryOp.Kind.LT, this, other); }

    public Tensor lt(double other) { return Elementwise.compare(BinaryOp.Kind.LT, this, other); }

    public Tensor le(Tensor other) { return Elementwise.compare(BinaryOp.Kind.LE, this, other); }

    public Tensor le(double other) { return Elementwise.compare(BinaryOp.Kind.LE, this, other); }

    public Tensor gt(Tensor other) { return Elementwise.compare(BinaryOp.Kind.GT, this, other); }

    public Tensor gt(double other) { return Elementwise.compare(BinaryOp.Kind.GT, this, other); }

    public Tensor ge(Tensor other) { return Elementwise.compare(BinaryOp.Kind.GE, this, other); }

    public Tensor ge(double other) { return Elementwise.compare(BinaryOp.Kind.GE, this, other); }

    public Tensor logicalAnd(Tensor other) { return Elementwise.compare(BinaryOp.Kind.LOGICAL_AND, this, other); }

    public Tensor logicalOr(Tensor other) { return Elementwise.compare(BinaryOp.Kind.LOGICAL_OR, this, other); }

    public Tensor logicalXor(Tensor other) { return Elementwise.compare(BinaryOp.Kind.LOGICAL_XOR, this, other); }

    public Tensor logicalNot() { return Elementwise.predicate(UnaryOp.Kind.LOGICAL_NOT, this); }

    public Tensor isnan() { return Elementwise.predicate(UnaryOp.Kind.ISNAN, this); }

    public Tensor isinf() { return Elementwise.predicate(UnaryOp.Kind.ISINF, this); }

    public Tensor isfinite() { return MathFunctions.isfinite(this); }

    // trigonometric, hyperbolic, logarithmic and rounding functions (torch names, camelCase)

    public Tensor tan() { return MathFunctions.tan(this); }

    public Tensor asin() { return MathFunctions.asin(this); }

    public Tensor acos() { return MathFunctions.acos(this); }

    public Tensor atan() { return MathFunctions.atan(this); }

    public Tensor atan2(Tensor other) { return MathFunctions.atan2(this, other); }

    public Tensor sinh() { return MathFunctions.sinh(this); }

    public Tensor cosh() { return MathFunctions.cosh(this); }

    public Tensor asinh() { return MathFunctions.asinh(this); }

    public Tensor acosh() { return MathFunctions.acosh(this); }

    public Tensor atanh() { return MathFunctions.atanh(this); }

    public Tensor log2() { return MathFunctions.log2(this); }

    public Tensor log10() { return MathFunctions.log10(this); }

    public Tensor exp2() { return MathFunctions.exp2(this); }

    public Tensor erfc() { return MathFunctions.erfc(this); }

    public Tensor trunc() { return MathFunctions.trunc(this); }

    public Tensor frac() { return MathFunctions.frac(this); }

    public Tensor fmod(Tensor other) { return MathFunctions.fmod(this, other); }

    public Tensor fmod(double other) { return MathFunctions.fmod(this, other); }

    public Tensor remainder(Tensor other) { return MathFunctions.remainder(this, other); }

    public Tensor hypot(Tensor other) { return MathFunctions.hypot(this, other); }

    public Tensor logaddexp(Tensor other) { return MathFunctions.logaddexp(this, other); }

    public Tensor logaddexp2(Tensor other) { return MathFunctions.logaddexp2(this, other); }

    public Tensor xlogy(Tensor other) { return MathFunctions.xlogy(this, other); }

    public Tensor copysign(Tensor other) { return MathFunctions.copysign(this, other); }

    /** NaN to 0 and the infinities to the dtype's largest finite values, as torch.nan_to_num. */
    public Tensor nanToNum() { return MathFunctions.nanToNum(this, 0.0, null, null); }

    /** NaN to {@code nan}, +inf to {@code posinf}, -inf to {@code neginf}; null bounds mean the dtype's extremes. */
    public Tensor nanToNum(double nan, Double posinf, Double neginf) { return MathFunctions.nanToNum(this, nan, posinf, neginf); }

    public Tensor lerp(Tensor end, Tensor weight) { return MathFunctions.lerp(this, end, weight); }

    public Tensor lerp(Tensor end, double weight) { return MathFunctions.lerp(this, end, weight); }

    public Tensor addcmul(Tensor tensor1, Tensor tensor2, double value) { return MathFunctions.addcmul(this, tensor1, tensor2, value); }

    public Tensor addcmul(Tensor tensor1, Tensor tensor2) { return addcmul(tensor1, tensor2, 1.0); }

    public Tensor addcdiv(Tensor tensor1, Tensor tensor2, double value) { return MathFunctions.addcdiv(this, tensor1, tensor2, value); }

    public Tensor addcdiv(Tensor tensor1, Tensor tensor2) { return addcdiv(tensor1, tensor2, 1.0); }

    public Tensor floatPower(Tensor exponent) { return MathFunctions.floatPower(this, exponent); }

    public Tensor floatPower(double exponent) { return MathFunctions.floatPower(this, exponent); }

    /** log(x / (1 - x)); eps (or null) clamps x to [eps, 1 - eps] first. */
    public Tensor logit(Double eps) { return MathFunctions.logit(this, eps); }

    public Tensor logit() { return logit(null); }

    /** sin(pi x) / (pi x), 1 at 0. */
    public Tensor sinc() { return MathFunctions.sinc(this); }

    public Tensor deg2rad() { return MathFunctions.deg2rad(this); }

    public Tensor rad2deg() { return MathFunctions.rad2deg(this); }

    // activations of torch.nn.functional that PyTorch also offers as tensor methods

    public Tensor relu6() { return Activations.relu6(this); }

    public Tensor hardtanh(double minVal, double maxVal) { return Activations.hardtanh(this, minVal, maxVal); }

    public Tensor selu() { return Activations.selu(this); }

    public Tensor celu(double alpha) { return Activations.celu(this, alpha); }

    public Tensor mish() { return Activations.mish(this); }

    public Tensor hardswish() { return Activations.hardswish(this); }

    public Tensor hardsigmoid() { return Activations.hardsigmoid(this); }

    public Tensor logsigmoid() { return Activations.logsigmoid(this); }

    public Tensor softsign() { return Activations.softsign(this); }

    public Tensor tanhshrink() { return Activations.tanhshrink(this); }

    // ---------------------------------------------------------------- in place (trailing underscore)

    public Tensor add_(Tensor other) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.ADD, 1.0), other); }

    public Tensor add_(Tensor other, double alpha) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.ADD, alpha), other); }

    public Tensor add_(double other) { return InPlace.binaryScalar(this, BinaryOp.of(BinaryOp.Kind.ADD, 1.0), other); }

    public Tensor sub_(Tensor other) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.SUB, 1.0), other); }

    public Tensor sub_(Tensor other, double alpha) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.SUB, alpha), other); }

    public Tensor sub_(double other) { return InPlace.binaryScalar(this, BinaryOp.of(BinaryOp.Kind.SUB, 1.0), other); }

    public Tensor mul_(Tensor other) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.MUL), other); }

    public Tensor mul_(double other) { return InPlace.binaryScalar(this, BinaryOp.of(BinaryOp.Kind.MUL), other); }

    public Tensor div_(Tensor other) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.DIV), other); }

    public Tensor div_(double other) { return InPlace.binaryScalar(this, BinaryOp.of(BinaryOp.Kind.DIV), other); }

    public Tensor pow_(double exponent) { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.POW_SCALAR, exponent)); }

    public Tensor maximum_(Tensor other) { return InPlace.binary(this, BinaryOp.of(BinaryOp.Kind.MAXIMUM), other); }

    public Tensor neg_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.NEG)); }

    public Tensor abs_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.ABS)); }

    public Tensor exp_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.EXP)); }

    public Tensor log_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.LOG)); }

    public Tensor sqrt_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.SQRT)); }

    public Tensor square_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.SQUARE)); }

    public Tensor tanh_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.TANH)); }

    public Tensor sigmoid_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.SIGMOID)); }

    public Tensor relu_() { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.RELU)); }

    public Tensor clamp_(double min, double max) { return InPlace.unary(this, UnaryOp.of(UnaryOp.Kind.CLAMP, min, max)); }

    /** this = this + value * t1 * t2, as {@code addcmul_}. */
    public Tensor addcmul_(Tensor t1, Tensor t2, double value) { return add_(t1.mul(t2), value); }

    /** this = this + value * t1 / t2, as {@code addcdiv_}. */
    public Tensor addcdiv_(Tensor t1, Tensor t2, double value) { return add_(t1.div(t2), value); }

    /** this = this + weight * (end - this), as {@code lerp_}. */
    public Tensor lerp_(Tensor end, double weight) { return add_(end.sub(this), weight); }

    public Tensor fill_(double value) { return InPlace.fill(this, value); }

    public Tensor zero_() { return fill_(0.0); }

    /** Copies src (broadcast, cast) into this tensor's elements. */
    public Tensor copy_(Tensor src) { return InPlace.copy(this, src); }

    public Tensor maskedFill_(Tensor mask, double value) {
        if (!Arrays.equals(Shapes.broadcast("maskedFill_", shape, mask.shape()), shape)) {
            throw new IllegalArgumentException("maskedFill_: mask of shape " + Shapes.str(mask.shape())
                    + " cannot be broadcast to the input's shape " + Shapes.str(shape));
        }
        return InPlace.copy(this, maskedFill(mask, value));
    }

    /** Fills with uniform values in [from, to) from the generator (no autograd). */
    public Tensor uniform_(double from, double to, Generator generator) { return InPlace.random(this, Backend.RandomKind.UNIFORM, from, to, generator); }

    public Tensor uniform_(double from, double to) { return uniform_(from, to, Generator.defaultGenerator()); }

    /** Fills with normal values from the generator (no autograd). */
    public Tensor normal_(double mean, double std, Generator generator) { return InPlace.random(this, Backend.RandomKind.NORMAL, mean, std, generator); }

    public Tensor normal_(double mean, double std) { return normal_(mean, std, Generator.defaultGenerator()); }

    // ---------------------------------------------------------------- reductions

    /** Sum of all elements. */
    public Tensor sum() { return Reductions.sum(this, new int[0], false); }

    public Tensor sum(int... dims) { return Reductions.sum(this, dims, false); }

    public Tensor sum(int[] dims, boolean keepdim) { return Reductions.sum(this, dims, keepdim); }

    public Tensor sum(int dim, boolean keepdim) { return Reductions.sum(this, new int[] {dim}, keepdim); }

    /** sum after casting to dtype, as torch.sum(..., dtype=dtype); avoids overflow and keeps precision. */
    public Tensor sum(int[] dims, boolean keepdim, DType dtype) { return Reductions.sum(to(dtype), dims, keepdim); }

    public Tensor mean() { return Reductions.mean(this, new int[0], false); }

    public Tensor mean(int... dims) { return Reductions.mean(this, dims, false); }

    public Tensor mean(int[] dims, boolean keepdim) { return Reductions.mean(this, dims, keepdim); }

    public Tensor mean(int dim, boolean keepdim) { return Reductions.mean(this, new int[] {dim}, keepdim); }

    /** mean after casting to dtype, as torch.mean(..., dtype=dtype). */
    public Tensor mean(int[] dims, boolean keepdim, DType dtype) { return Reductions.mean(to(dtype), dims, keepdim); }

    public Tensor prod() { return Reductions.prod(this, -1, false, true); }

    public Tensor prod(int dim, boolean keepdim) { return Reductions.prod(this, dim, keepdim, false); }

    public Tensor amax(int[] dims, boolean keepdim) { return Reductions.amax(this, dims, keepdim, true); }

    public Tensor amax(int... dims) { return amax(dims, false); }

    public Tensor amin(int[] dims, boolean keepdim) { return Reductions.amax(this, dims, keepdim, false); }

    public Tensor amin(int... dims) { return amin(dims, false); }

    /** Maximum of all elements. */
    public Tensor max() { return amax(new int[0], false); }

    /** Maximum of all elements. */
    public Tensor min() { return amin(new int[0], false); }

    /** {@code max(dim)}: values and int64 indices. */
    public Reductions.ValuesIndices max(int dim, boolean keepdim) { return Reductions.maxWithIndices(this, dim, keepdim, true); }

    public Reductions.ValuesIndices max(int dim) { return max(dim, false); }

    public Reductions.ValuesIndices min(int dim, boolean keepdim) { return Reductions.maxWithIndices(this, dim, keepdim, false); }

    public Reductions.ValuesIndices min(int dim) { return min(dim, false); }

    /** Index of the maximum in the flattened tensor. */
    public Tensor argmax() { return Reductions.argmax(this, null, false, true); }

    public Tensor argmax(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, true); }

    public Tensor argmax(int dim) { return argmax(dim, false); }

    public Tensor argmin() { return Reductions.argmax(this, null, false, false); }

    public Tensor argmin(int dim, boolean keepdim) { return Reductions.argmax(this, dim, keepdim, false); }

    public Tensor argmin(int dim) { return argmin(dim, false); }

    /** Variance over dims; {@code unbiased} divides by n - 1. */
    public Tensor var(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.var(this, dims, unbiased ? 1 : 0, keepdim); }

    public Tensor var() { return var(new int[0], true, false); }

    public Tensor std(int[] dims, boolean unbiased, boolean keepdim) { return Reductions.std(this, dims, unbiased ? 1 : 0, keepdim); }

    public Tensor std() { return std(new int[0], true, false); }

    public Tensor logsumexp(int[] dims, boolean keepdim) { return Reductions.logsumexp(this, dims, keepdim); }

    public Tensor logsumexp(int dim) { return logsumexp(new int[] {dim}, false); }

    /** The p-norm of all elements (p = 2 is the Frobenius/Euclidean norm; inf is the max-abs norm). */
    public Tensor norm(double p) { return Reductions.norm(this, p, new int[0], false); }

    public Tensor norm() { return norm(2.0); }

    public Tensor norm(double p, int[] dims, boolean keepdim) { return Reductions.norm(this, p, dims, keepdim); }

    public Tensor cumsum(int dim) { return Reductions.cumsum(this, dim); }

    /** Running product along dim (exact gradient also at zeros). */
    public Tensor cumprod(int dim) { return Scans.cumprod(this, dim); }

    /** log(cumsum(exp(x))) along dim, without overflow. */
    public Tensor logcumsumexp(int dim) { return Scans.logcumsumexp(this, dim); }

    /** Running maximum along dim with its position (the later one on ties). */
    public Reductions.ValuesIndices cummax(int dim) { return Scans.cummax(this, dim, true); }

    /** Running minimum along dim with its position (the later one on ties). */
    public Reductions.ValuesIndices cummin(int dim) { return Scans.cummax(this, dim, false); }

    /** The n-th forward difference along dim. */
    public Tensor diff(int n, int dim) { return Scans.diff(this, n, dim); }

    public Tensor diff() { return diff(1, -1); }

    /** sum with NaN counted as 0. */
    public Tensor nansum(int[] dims, boolean keepdim) { return RankReductions.nansum(this, dims, keepdim); }

    public Tensor nansum() { return nansum(new int[0], false); }

    /** mean of the non-NaN values. */
    public Tensor nanmean(int[] dims, boolean keepdim) { return RankReductions.nanmean(this, dims, keepdim); }

    public Tensor nanmean() { return nanmean(new int[0], false); }

    /** Lower median along dim with its position (NaN where the line has one). */
    public Reductions.ValuesIndices median(int dim, boolean keepdim) { return RankReductions.median(this, dim, keepdim); }

    /** Lower median of all elements. */
    public Tensor median() { return RankReductions.median(this); }

    /** k-th smallest (1-based) along dim with its position. */
    public Reductions.ValuesIndices kthvalue(int k, int dim, boolean keepdim) { return RankReductions.kthvalue(this, k, dim, keepdim); }

    /** Gathers at indices along dim, broadcasting the other dims; null dim works on the flattened tensors. */
    public Tensor takeAlongDim(Tensor indices, Integer dim) { return Sorting.takeAlongDim(this, indices, dim); }

    /** Sorted along dim with the source positions, stably (ties keep their order); NaN sorts last ascending. */
    public Reductions.ValuesIndices sort(int dim, boolean descending) { return Sorting.sort(this, dim, descending); }

    public Reductions.ValuesIndices sort() { return sort(-1, false); }

    /** The positions that sort along dim (int64). */
    public Tensor argsort(int dim, boolean descending) { return Sorting.argsort(this, dim, descending); }

    public Tensor argsort() { return argsort(-1, false); }

    /** The k largest (largest = true) or smallest elements along dim, sorted, with their positions. */
    public Reductions.ValuesIndices topk(int k, int dim, boolean largest) { return Sorting.topk(this, k, dim, largest); }

    public Reductions.ValuesIndices topk(int k) { return topk(k, -1, true); }

    /** True (as a bool tensor) if any element is non-zero. */
    public Tensor any() { return Reductions.any(this, new int[0], false, true); }

    public Tensor any(int dim, boolean keepdim) { return Reductions.any(this, new int[] {dim}, keepdim, true); }

    public Tensor all() { return Reductions.any(this, new int[0], false, false); }

    public Tensor all(int dim, boolean keepdim) { return Reductions.any(this, new int[] {dim}, keepdim, false); }

    // ---------------------------------------------------------------- linear algebra

    /** {@code torch.matmul} with its broadcasting rules for 1-D, 2-D and batched operands. */
    public Tensor matmul(Tensor other) { return LinearAlgebra.matmul(this, other); }

    /** 2-D matrix product. */
    public Tensor mm(Tensor other) { return LinearAlgebra.mm(this, other); }

    /** Batched matrix product of two 3-D tensors. */
    public Tensor bmm(Tensor other) { return LinearAlgebra.bmm(this, other); }

    /** Matrix-vector product. */
    public Tensor mv(Tensor vector) { return LinearAlgebra.mv(this, vector); }

    /** Inner product of two 1-D tensors. */
    public Tensor dot(Tensor other) { return LinearAlgebra.dot(this, other); }

    /** The outer product of two 1-D tensors. */
    public Tensor outer(Tensor other) {
        if (dim() != 1 || other.dim() != 1) {
            throw new IllegalArgumentException("outer: expected two 1-D tensors but got shapes " + Shapes.str(shape)
                    + " and " + Shapes.str(other.shape()));
        }
        return unsqueeze(1).mul(other.unsqueeze(0));
    }

    /** Lower triangle of the last two dims (on and below diagonal k), the rest zero. */
    public Tensor tril(int k) { return Diagonals.tril(this, k); }

    public Tensor tril() { return tril(0); }

    /** Upper triangle of the last two dims (on and above diagonal k), the rest zero. */
    public Tensor triu(int k) { return Diagonals.triu(this, k); }

    public Tensor triu() { return triu(0); }

    /** 1-D: the matrix with this on diagonal k; 2-D: diagonal k as 1-D. */
    public Tensor diag(int k) { return Diagonals.diag(this, k); }

    public Tensor diag() { return diag(0); }

    /** Sum of the main diagonal of a matrix. */
    public Tensor trace() { return Diagonals.trace(this); }

    /** The Kronecker product. */
    public Tensor kron(Tensor other) { return LinearAlgebra.kron(this, other); }

    /** |this - other| <= atol + rtol |other| elementwise (NaNs equal when equalNan). */
    public Tensor isclose(Tensor other, double rtol, double atol, boolean equalNan) { return Comparisons.isclose(this, other, rtol, atol, equalNan); }

    public Tensor isclose(Tensor other) { return isclose(other, 1e-5, 1e-8, false); }

    /** The number of non-zero elements over dims (all when none given). */
    public Tensor countNonzero(int... dims) { return Comparisons.countNonzero(this, dims); }

    // ---------------------------------------------------------------- indexing

    public Tensor indexSelect(int dim, Tensor index) { return Indexing.indexSelect(this, dim, index); }

    public Tensor gather(int dim, Tensor index) { return Indexing.gather(this, dim, index); }

    /** Out-of-place {@code scatter}: a copy of this with src written at index along dim. */
    public Tensor scatter(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, false); }

    public Tensor scatter(int dim, Tensor index, double value) { return Indexing.scatter(this, dim, index, Tensors.fullLike(index, value, dtype()), false); }

    /** Out-of-place {@code scatter_add}. */
    public Tensor scatterAdd(int dim, Tensor index, Tensor src) { return Indexing.scatter(this, dim, index, src, true); }

    /** Out-of-place {@code index_add}. */
    public Tensor indexAdd(int dim, Tensor index, Tensor source) { return Indexing.indexAdd(this, dim, index, source); }

    public Tensor maskedFill(Tensor mask, double value) { return Indexing.maskedFill(this, mask, value); }

    public Tensor maskedFill(Tensor mask, Tensor value) { return Indexing.maskedFill(this, mask, value); }

    /** The elements where mask is true, as a 1-D tensor. */
    public Tensor maskedSelect(Tensor mask) { return Indexing.maskedSelect(this, mask); }

    /** Indices of the non-zero elements, int64 [count, dim]. */
    public Tensor nonzero() { return Indexing.nonzero(this); }

    /** Integer class indices to one-hot int64 rows, as {@code F.one_hot}. */
    public Tensor oneHot(int numClasses) { return Indexing.oneHot(this, numClasses); }

    /** Pads the last dims (pairs of left/right amounts, last dim first) with a constant, as {@code F.pad}. */
    public Tensor pad(int[] pad, double value) { return Joining.pad(this, pad, value); }

    /** pad with a mode of torch.nn.functional.pad: "constant", "reflect", "replicate" or "circular". */
    public Tensor pad(int[] pad, String mode, double value) { return Joining.pad(this, pad, mode, value); }

    // ---------------------------------------------------------------- issue 16: more indexing, products, splits
    /** The elements of the flattened tensor at index (negative counts from the end), shaped like index. */
    public Tensor take(Tensor index) { return IndexUpdates.take(this, index); }
    /** Out-of-place {@code index_fill}: the slices at index along dim set to value. */
    public Tensor indexFill(int dim, Tensor index, double value) { return IndexUpdates.indexFill(this, dim, index, value); }
    /** Out-of-place {@code index_copy}: the slices at index along dim replaced by source's. */
    public Tensor indexCopy(int dim, Tensor index, Tensor source) { return IndexUpdates.indexCopy(this, dim, index, source); }
    /** Out-of-place {@code index_put}: {@code x[indices] = values} (or {@code +=} with accumulate); int64 or bool index tensors. */
    public Tensor indexPut(List<Tensor> indices, Tensor values, boolean accumulate) { return IndexUpdates.indexPut(this, indices, values, accumulate); }
    public Tensor indexPut(List<Tensor> indices, Tensor values) { return indexPut(indices, values, false); }
    /** Advanced indexing {@code x[i0, i1, ...]} with int64 or bool index tensors for the leading dims. */
    public Tensor index(Tensor... indices) { return IndexUpdates.index(this, List.of(indices)); }
    /** Out-of-place {@code masked_scatter}: where mask is true, source's elements in order. */
    public Tensor maskedScatter(Tensor mask, Tensor source) { return IndexUpdates.maskedScatter(this, mask, source); }
    /** Out-of-place {@code scatter_reduce} with "sum", "prod", "mean", "amax" or "amin". */
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        return ScatterReduce.scatterReduce(this, dim, index, src, reduce, includeSelf);
    }
    public Tensor scatterReduce(int dim, Tensor index, Tensor src, String reduce) { return scatterReduce(dim, index, src, reduce, true); }
    /** Counts of each value of a 1-D non-negative integer tensor (or sums of weights, may be null), at least minlength long. */
    public Tensor bincount(Tensor weights, int minlength) { return Histograms.bincount(this, weights, minlength); }
    public Tensor bincount() { return bincount(null, 0); }
    /** Histogram with bins equal bins over [min, max] (the data's range when min == max). */
    public Tensor histc(int bins, double min, double max) { return Histograms.histc(this, bins, min, max); }
    public Tensor histc() { return histc(100, 0, 0); }
    /** The diagonal offset of the (dim1, dim2) planes as a view, appended as the last dim. */
    public Tensor diagonal(int offset, int dim1, int dim2) { return Diagonals.diagonal(this, offset, dim1, dim2); }
    public Tensor diagonal() { return diagonal(0, 0, 1); }
    /** Matrices with the last dim on diagonal offset of the new (dim1, dim2) planes. */
    public Tensor diagEmbed(int offset, int dim1, int dim2) { return Diagonals.diagEmbed(this, offset, dim1, dim2); }
    public Tensor diagEmbed() { return diagEmbed(0, -2, -1); }
    /** beta * this + alpha * (mat1 @ mat2). */
    public Tensor addmm(Tensor mat1, Tensor mat2, double beta, double alpha) { return FusedProducts.addmm(this, mat1, mat2, beta, alpha); }
    public Tensor addmm(Tensor mat1, Tensor mat2) { return addmm(mat1, mat2, 1.0, 1.0); }
    /** beta * this + alpha * bmm(batch1, batch2). */
    public Tensor baddbmm(Tensor batch1, Tensor batch2, double beta, double alpha) { return FusedProducts.baddbmm(this, batch1, batch2, beta, alpha); }
    public Tensor baddbmm(Tensor batch1, Tensor batch2) { return baddbmm(batch1, batch2, 1.0, 1.0); }
    /** beta * this + alpha * sum_b batch1[b] @ batch2[b]. */
    public Tensor addbmm(Tensor batch1, Tensor batch2, double beta, double alpha) { return FusedProducts.addbmm(this, batch1, batch2, beta, alpha); }
    /** beta * this + alpha * (mat @ vec). */
    public Tensor addmv(Tensor mat, Tensor vec, double beta, double alpha) { return FusedProducts.addmv(this, mat, vec, beta, alpha); }
    /** beta * this + alpha * outer(vec1, vec2). */
    public Tensor addr(Tensor vec1, Tensor vec2, double beta, double alpha) { return FusedProducts.addr(this, vec1, vec2, beta, alpha); }
    /** The cross product of 3-vectors along dim (broadcasting). */
    public Tensor cross(Tensor other, int dim) { return FusedProducts.cross(this, other, dim); }
    /** cross along the first dim of size 3, as torch.cross without dim. */
    public Tensor cross(Tensor other) { return FusedProducts.cross(this, other); }
    /** (min, max) over dim (or all elements when dim is null). */
    public Moments.MinMax aminmax(Integer dim, boolean keepdim) { return Moments.aminmax(this, dim, keepdim); }
    public Moments.MinMax aminmax() { return aminmax(null, false); }
    /** (var, mean) over dims with correction (1 = unbiased). */
    public Moments.SpreadMean varMean(int[] dims, int correction, boolean keepdim) { return Moments.varMean(this, dims, correction, keepdim); }
    /** (std, mean) over dims with correction (1 = unbiased). */
    public Moments.SpreadMean stdMean(int[] dims, int correction, boolean keepdim) { return Moments.stdMean(this, dims, correction, keepdim); }
    /** Variance with an integer correction (1 = unbiased, Bessel's), as var(correction=...). */
    public Tensor var(int[] dims, int correction, boolean keepdim) { return Reductions.var(this, dims, correction, keepdim); }
    public Tensor std(int[] dims, int correction, boolean keepdim) { return Reductions.std(this, dims, correction, keepdim); }
    /** Alias of transpose (numpy's name). */
    public Tensor swapaxes(int axis0, int axis1) { return transpose(axis0, axis1); }
    /** Alias of transpose. */
    public Tensor swapdims(int dim0, int dim1) { return transpose(dim0, dim1); }
    /** Alias of movedim (numpy's name). */
    public Tensor moveaxis(int source, int destination) { return movedim(source, destination); }
    /** {@code sections} pieces along dim, the first size % sections one longer; views. */
    public List<Tensor> tensorSplit(int sections, int dim) { return Stacking.tensorSplit(this, sections, dim); }
    /** Pieces between split indices along dim (Python slice semantics); views. */
    public List<Tensor> tensorSplit(int[] indices, int dim) { return Stacking.tensorSplit(this, indices, dim); }
    public List<Tensor> hsplit(int sections) { return Stacking.hsplit(this, sections); }
    public List<Tensor> hsplit(int[] indices) { return Stacking.hsplit(this, indices); }
    public List<Tensor> vsplit(int sections) { return Stacking.vsplit(this, sections); }
    public List<Tensor> vsplit(int[] indices) { return Stacking.vsplit(this, indices); }
    public List<Tensor> dsplit(int sections) { return Stacking.dsplit(this, sections); }
    public List<Tensor> dsplit(int[] indices) { return Stacking.dsplit(this, indices); }
    public Tensor erfinv() { return MathFunctions.erfinv(this); }
    public Tensor lgamma() { return MathFunctions.lgamma(this); }
    public Tensor digamma() { return MathFunctions.digamma(this); }
    /** The n-th derivative of digamma, as {@code x.polygamma(n)}. */
    public Tensor polygamma(int n) { return MathFunctions.polygamma(n, this); }

    /** The q-quantile (q in [0, 1]) of all elements, linearly interpolated. */
    public Tensor quantile(double q) { return Quantiles.quantile(this, q, null, false, "linear"); }
    /** The q-quantile along dim (null: all elements) with an interpolation of torch.quantile. */
    public Tensor quantile(double q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation); }
    /** quantiles for a 0-d or 1-d q of this dtype; a 1-d q prepends its length to the result. */
    public Tensor quantile(Tensor q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.quantile(this, q, dim, keepdim, interpolation); }
    /** quantile over the non-NaN values of each line (NaN where a line has none). */
    public Tensor nanquantile(double q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.nanquantile(this, q, dim, keepdim, interpolation); }
    public Tensor nanquantile(Tensor q, Integer dim, boolean keepdim, String interpolation) { return Quantiles.nanquantile(this, q, dim, keepdim, interpolation); }
    /** Lower median of the non-NaN values along dim, with its position. */
    public Reductions.ValuesIndices nanmedian(int dim, boolean keepdim) { return Quantiles.nanmedian(this, dim, keepdim); }
    public Tensor nanmedian() { return Quantiles.nanmedian(this); }
    /** The most frequent value along dim (smallest among ties) with its last position. */
    public Reductions.ValuesIndices mode(int dim, boolean keepdim) { return Quantiles.mode(this, dim, keepdim); }
    public Reductions.ValuesIndices mode() { return mode(-1, false); }
    /** Distinct elements (dim null) or slices along dim, sorted, with inverse indices and counts when asked. */
    public Uniques.Unique unique(boolean returnInverse, boolean returnCounts, Integer dim) { return Uniques.unique(this, returnInverse, returnCounts, dim); }
    public Tensor unique() { return unique(false, false, null).values(); }

    // in-place forms of the index updates: the out-of-place result copied back (autograd rebases the history)
    public Tensor indexFill_(int dim, Tensor index, double value) { return InPlace.copy(this, indexFill(dim, index, value)); }
    public Tensor indexCopy_(int dim, Tensor index, Tensor source) { return InPlace.copy(this, indexCopy(dim, index, source)); }
    public Tensor indexPut_(List<Tensor> indices, Tensor values, boolean accumulate) { return InPlace.copy(this, indexPut(indices, values, accumulate)); }
    public Tensor maskedScatter_(Tensor mask, Tensor source) {
        if (!Arrays.equals(Shapes.broadcast("maskedScatter_", shape, mask.shape()), shape)) {
            throw new IllegalArgumentException("maskedScatter_: mask of shape " + Shapes.str(mask.shape())
                    + " cannot be broadcast to the input's shape " + Shapes.str(shape));
        }
        return InPlace.copy(this, maskedScatter(mask, source));
    }
    public Tensor scatterReduce_(int dim, Tensor index, Tensor src, String reduce, boolean includeSelf) {
        // on a clone: the backward of amax/amin/prod reads self's old values, which the write replaces
        return InPlace.copy(this, clone().scatterReduce(dim, index, src, reduce, includeSelf));
    }
    public Tensor indexAdd_(int dim, Tensor index, Tensor source) { return InPlace.copy(this, indexAdd(dim, index, source)); }

    /** True when grad mode is on for this thread (convenience for modules). */
    static boolean gradEnabled() { return GradMode.isEnabled(); }
}
