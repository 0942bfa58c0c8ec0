package dev.kindling.backend;

import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

import java.util.Arrays;

/**
 * What a backend kernel sees of a tensor: its {@link Storage} (memory, dtype, device) and the
 * layout that addresses it, a shape, element strides and an element offset. Nothing else: no
 * autograd state, no view history, so a backend for another device needs to know nothing of
 * autograd. The tensor facade builds one per operand of every kernel call.
 *
 * <p>A view is immutable: the accessors hand out copies of its arrays, the way {@code Tensor}'s do,
 * so a kernel may edit what it gets; the factories take the arrays they are given without a copy. Layouts are not checked here (the ops computed valid ones
 * before they call a backend); {@link #of(Storage, int...)} checks only that a contiguous shape
 * covers its storage.
 */
public final class StridedView {
    private final Storage storage;
    private final int[] shape;
    private final int[] strides;
    private final int offset;

    private StridedView(Storage storage, int[] shape, int[] strides, int offset) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
    }

    /**
     * A view of storage with this layout. The arrays are taken as they are, not copied (this runs
     * for every operand of every kernel call): the caller hands them over and must not change them.
     */
    public static StridedView of(Storage storage, int[] shape, int[] strides, int offset) {
        if (shape.length != strides.length) {
            throw new IllegalArgumentException("StridedView: shape " + Shapes.str(shape) + " and strides "
                    + Arrays.toString(strides) + " differ in length");
        }
        return new StridedView(storage, shape, strides, offset);
    }

    /** The whole of storage as a contiguous view of this shape. */
    public static StridedView of(Storage storage, int... shape) {
        int n = Shapes.numel(shape);
        if (n != storage.numel()) {
            throw new IllegalArgumentException("StridedView: shape " + Shapes.str(shape) + " has " + n
                    + " elements but the storage has " + storage.numel());
        }
        return new StridedView(storage, shape.clone(), Shapes.contiguousStrides(shape), 0);
    }

    /** Fresh zero-filled contiguous CPU memory of this dtype and shape. */
    public static StridedView allocate(DType dtype, int... shape) {
        return of(Storage.allocate(dtype, Shapes.numel(shape)), shape);
    }

    /** Another layout over the same storage (the arrays are taken as they are, as in {@link #of(Storage, int[], int[], int)}). */
    public StridedView viewOf(int[] shape, int[] strides, int offset) {
        return of(storage, shape, strides, offset);
    }

    public Storage storage() { return storage; }

    public DType dtype() { return storage.dtype(); }

    public Device device() { return storage.device(); }

    /** The sizes of each dim (a copy). */
    public int[] shape() { return shape.clone(); }

    /** Size of one dim (negative dims count from the end). */
    public int size(int dim) { return shape[Shapes.dim("size", dim, shape.length)]; }

    /** Element strides of each dim (a copy). */
    public int[] strides() { return strides.clone(); }

    public int stride(int dim) { return strides[Shapes.dim("stride", dim, shape.length)]; }

    /** Offset of the first element in the storage, in elements. */
    public int storageOffset() { return offset; }

    public int dim() { return shape.length; }

    public int numel() { return Shapes.numel(shape); }

    public boolean isContiguous() { return Shapes.isContiguous(shape, strides); }

    /** True if this view and other address the same storage. */
    public boolean sharesStorageWith(StridedView other) { return storage == other.storage; }

    /** True if other has this view's storage, shape, strides and offset. */
    public boolean sameLayoutAs(StridedView other) {
        return storage == other.storage && offset == other.offset && Arrays.equals(shape, other.shape)
                && Arrays.equals(strides, other.strides);
    }

    /** For kernels writing in place: marks the storage as modified (autograd checks the counter). */
    public void bumpVersion() { storage.bumpVersion(); }

    @Override
    public String toString() {
        return "StridedView[" + dtype() + " " + Shapes.str(shape) + ", strides " + Arrays.toString(strides)
                + ", offset " + offset + ", " + device() + "]";
    }
}
