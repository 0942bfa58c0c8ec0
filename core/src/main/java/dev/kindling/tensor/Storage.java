package dev.kindling.tensor;

import java.lang.foreign.MemorySegment;
import java.lang.ref.PhantomReference;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.nio.ByteBuffer;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flat memory behind one or more tensors: a {@link MemorySegment}, its dtype and its device.
 *
 * <p>Storage made by the library on the CPU is backed by a Java array of the dtype's primitive type
 * ({@code float[]}, {@code double[]}, {@code int[]}, {@code long[]}, {@code byte[]} for uint8 and
 * bool), because JIT-compiled loops over arrays are the fastest CPU kernels the JVM has. Storage can
 * also <em>view</em> memory it does not own (a user's array, a direct {@code ByteBuffer}, an Arrow
 * buffer, a memory-mapped file); it then holds a reference to the owner so the memory stays alive as
 * long as any tensor uses it, and never copies. Kernels read such foreign memory through the segment.
 *
 * <p>Storage from {@link #allocateUninitialized} holds an array lent by the {@link BufferPool}. The
 * array goes back to the pool when {@link #release()} is called, or when the garbage collector finds
 * this storage unreachable; so whoever uses the raw {@link #array()} or {@link #segment()} must keep
 * this storage (or a tensor on it) reachable for as long as it does, as every kernel does through
 * its tensor arguments (see {@code CpuBackend}). After release the storage has no memory: any later
 * use throws instead of reading an array someone else now owns.
 *
 * <p>Setting the system property {@code kindling.debug.poisonUninitialized=true} fills every
 * {@link #allocateUninitialized} array with NaN (integers and bytes with 0x5A patterns) before it
 * is handed out, so a kernel that reads an output it was supposed to overwrite shows up as wrong
 * values in tests rather than as zeros that happen to be right.
 *
 * <p>The version counter is shared by every tensor viewing this storage; in-place operations bump
 * it so autograd can detect that a tensor saved for backward was modified afterwards.
 */
public final class Storage {
    private final DType dtype;
    private final Device device;
    private final long numel;
    // Pooled storage that became unreachable is queued here by the GC; allocating threads drain the
    // queue (no cleaner thread that could fall behind and hold arrays while the machine is busy).
    private static final ReferenceQueue<Storage> UNREACHABLE = new ReferenceQueue<>();
    private static final Set<Lender> LENT = ConcurrentHashMap.newKeySet();
    private static final AtomicLong ALLOCATIONS = new AtomicLong(1);
    private static final boolean POISON = Boolean.getBoolean("kindling.debug.poisonUninitialized");

    private Object array;                // typed Java array, or null when the memory is foreign or released
    private final MemorySegment segment; // non-null for CPU storage
    private final Object owner;          // keeps foreign memory (or device memory) alive
    private int version;
    private Lender recycle;              // non-null while a pooled array is lent to this storage
    private boolean released;
    private long allocationSerial;       // 0 unless the library allocated this storage's array

    private Storage(DType dtype, Device device, long numel, Object array, MemorySegment segment, Object owner) {
        this.dtype = dtype;
        this.device = device;
        this.numel = numel;
        this.array = array;
        this.segment = segment;
        this.owner = owner;
    }

    /** Fresh zero-filled CPU storage backed by a Java array. */
    public static Storage allocate(DType dtype, int numel) {
        if (numel < 0) throw new IllegalArgumentException("storage size: expected >= 0 but got " + numel);
        Storage s = new Storage(dtype, Device.CPU, numel, newArray(dtype, numel), null, null);
        s.allocationSerial = ALLOCATIONS.getAndIncrement();
        return s;
    }

    /**
     * CPU storage whose elements hold arbitrary stale values, for outputs a kernel overwrites
     * entirely: large ones reuse an array from the global {@link BufferPool} (no zeroing, no fresh
     * humongous allocation), which returns there on {@link #release()} or once this storage is
     * unreachable; small ones are plain zeroed arrays.
     */
    public static Storage allocateUninitialized(DType dtype, int numel) {
        BufferPool pool = BufferPool.global();
        if (numel < 0 || !pool.accepts(dtype, numel)) {
            Storage s = allocate(dtype, numel);
            if (POISON) poison(s.array);
            return s;
        }
        reclaimUnreachable();
        Object array = pool.take(dtype, numel);
        if (array == null) array = newArray(dtype, numel);
        if (POISON) poison(array);
        Storage s = new Storage(dtype, Device.CPU, numel, array, null, null);
        s.allocationSerial = ALLOCATIONS.getAndIncrement();
        s.recycle = new Lender(s, pool, dtype, numel, array);
        LENT.add(s.recycle);
        return s;
    }

    /** Gives the pool the arrays of pooled storage the GC has found unreachable since the last call. */
    static void reclaimUnreachable() {
        for (Reference<? extends Storage> r; (r = UNREACHABLE.poll()) != null; ) ((Lender) r).giveBack();
    }

    /**
     * Tracks one lent array. It holds the array and the pool, never the storage (a phantom
     * reference cannot reach it), so the storage can become unreachable; LENT keeps the lender
     * itself alive until then.
     */
    private static final class Lender extends PhantomReference<Storage> {
        private final BufferPool pool;
        private final DType dtype;
        private final int numel;
        private final Object array;

        Lender(Storage storage, BufferPool pool, DType dtype, int numel, Object array) {
            super(storage, UNREACHABLE);
            this.pool = pool;
            this.dtype = dtype;
            this.numel = numel;
            this.array = array;
        }

        /** Returns the array once, whether release() or the GC gets here first. */
        void giveBack() {
            clear();
            if (LENT.remove(this)) pool.offer(dtype, numel, array);
        }
    }

    /** Fills an array with values no kernel should leave in an output it writes (see the class doc). */
    private static void poison(Object array) {
        switch (array) {
            case float[] a -> java.util.Arrays.fill(a, Float.NaN);
            case double[] a -> java.util.Arrays.fill(a, Double.NaN);
            case int[] a -> java.util.Arrays.fill(a, 0x5A5A5A5A);
            case long[] a -> java.util.Arrays.fill(a, 0x5A5A5A5A5A5A5A5AL);
            case byte[] a -> java.util.Arrays.fill(a, (byte) 0x5A);
            default -> throw new IllegalStateException("no poison for " + array.getClass());
        }
    }

    private static Object newArray(DType dtype, int numel) {
        return switch (dtype) {
            case FLOAT32 -> new float[numel];
            case FLOAT64 -> new double[numel];
            case INT32 -> new int[numel];
            case INT64 -> new long[numel];
            case UINT8, BOOL -> new byte[numel];
        };
    }

    /**
     * Gives a pooled array back to the {@link BufferPool} now rather than when the garbage collector
     * finds this storage unreachable. The caller promises that no tensor or view on this storage is
     * used afterwards and that no raw array taken from it is kept; tensors that are used anyway throw
     * {@link IllegalStateException}. Storage that holds no pooled array is left as it is.
     *
     * @return true when an array went back to the pool
     */
    public boolean release() {
        Lender r = recycle;
        if (r == null) return false;
        recycle = null;
        array = null;
        released = true;
        bumpVersion(); // autograd then reports a saved tensor of this storage as modified, not stale data
        r.giveBack();  // once only: a GC that finds this storage unreachable later returns nothing
        return true;
    }

    /**
     * Where this storage comes in the order of the library's own CPU allocations
     * ({@link #allocate}, {@link #allocateUninitialized}), across all threads; 0 for storage that
     * wraps memory someone else may hold (arrays, segments, buffers, device memory). Autograd uses
     * it to tell gradients its backward pass allocated (and nobody else can have seen) from
     * tensors that existed before.
     */
    public long allocationSerial() { return allocationSerial; }

    /** The serial the next library allocation will get: storage allocated from now on has at least this one. */
    public static long nextAllocationSerial() { return ALLOCATIONS.get(); }

    /** True once {@link #release()} gave this storage's array back. */
    public boolean isReleased() { return released; }

    /** True when this storage's array is lent by the {@link BufferPool}. */
    public boolean isPooled() { return recycle != null; }

    /**
     * Wraps a Java array without copying. The array type must match the dtype: {@code float[]} for
     * float32, {@code double[]} for float64, {@code int[]} for int32, {@code long[]} for int64 and
     * {@code byte[]} for uint8 or bool.
     */
    public static Storage ofArray(Object array, DType dtype) {
        int length = switch (dtype) {
            case FLOAT32 -> array instanceof float[] a ? a.length : -1;
            case FLOAT64 -> array instanceof double[] a ? a.length : -1;
            case INT32 -> array instanceof int[] a ? a.length : -1;
            case INT64 -> array instanceof long[] a ? a.length : -1;
            case UINT8, BOOL -> array instanceof byte[] a ? a.length : -1;
        };
        if (length < 0) {
            throw new IllegalArgumentException("ofArray: a " + dtype + " storage needs a " + arrayTypeName(dtype)
                    + " but got " + (array == null ? "null" : array.getClass().getSimpleName()));
        }
        return new Storage(dtype, Device.CPU, length, array, null, array);
    }

    /**
     * Views a memory segment as {@code byteSize / itemSize} elements of the dtype, without copying.
     * {@code owner} is kept reachable for as long as this storage is (pass the object whose lifetime
     * governs the memory: an Arrow buffer, a {@code ByteBuffer}, an {@code Arena}...).
     */
    public static Storage ofSegment(MemorySegment segment, DType dtype, Object owner) {
        if (segment.byteSize() % dtype.itemSize() != 0) {
            throw new IllegalArgumentException("ofSegment: byte size " + segment.byteSize()
                    + " is not a multiple of the " + dtype + " item size " + dtype.itemSize());
        }
        long n = segment.byteSize() / dtype.itemSize();
        return new Storage(dtype, Device.CPU, n, null, segment, owner == null ? segment : owner);
    }

    /** Views a direct (or heap) {@link ByteBuffer} from its position to its limit, without copying. */
    public static Storage ofBuffer(ByteBuffer buffer, DType dtype) {
        return ofSegment(MemorySegment.ofBuffer(buffer), dtype, buffer);
    }

    /** Storage on a non-CPU device, for backends: {@code deviceMemory} is the backend's handle. */
    public static Storage onDevice(DType dtype, Device device, long numel, Object deviceMemory) {
        if (device.isCpu()) throw new IllegalArgumentException("onDevice: expected a non-CPU device but got cpu");
        return new Storage(dtype, device, numel, null, null, deviceMemory);
    }

    public DType dtype() { return dtype; }

    public Device device() { return device; }

    /** Number of elements of the dtype this storage holds. */
    public long numel() { return numel; }

    /** True when the memory is a Java array of the dtype's primitive type (the fast kernel path). */
    public boolean isArrayBacked() { return array != null; }

    /** The backing Java array, or null for foreign memory. Writes through it are writes to the tensor. */
    public Object array() { return array; }

    /** The memory as a segment: a heap segment over the array, or the foreign segment. CPU only. */
    public MemorySegment segment() {
        if (segment != null) return segment;
        if (released) throw new IllegalStateException("storage of " + numel + " " + dtype + " elements was released to the buffer pool");
        if (array == null) throw new IllegalStateException("storage on " + device + " has no CPU memory segment");
        return switch (array) {
            case float[] a -> MemorySegment.ofArray(a);
            case double[] a -> MemorySegment.ofArray(a);
            case int[] a -> MemorySegment.ofArray(a);
            case long[] a -> MemorySegment.ofArray(a);
            case byte[] a -> MemorySegment.ofArray(a);
            default -> throw new IllegalStateException("unexpected array type " + array.getClass());
        };
    }

    /** The object that keeps foreign or device memory alive (the array itself for array storage). */
    public Object owner() { return owner != null ? owner : array; }

    /** Incremented by every in-place write; shared by all views of this storage. */
    public int version() { return version; }

    public void bumpVersion() { version++; }

    static String arrayTypeName(DType dtype) {
        return switch (dtype) {
            case FLOAT32 -> "float[]";
            case FLOAT64 -> "double[]";
            case INT32 -> "int[]";
            case INT64 -> "long[]";
            case UINT8, BOOL -> "byte[]";
        };
    }
}
