package dev.kindling.bench;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

import java.util.function.Supplier;

/**
 * The PyTorch peer: libtorch's CPU kernels through DJL's PyTorch engine. DJL must find libtorch in
 * the {@code pytorch-native-cpu} jar on the classpath (it never downloads with
 * {@code -Dai.djl.offline=true}) and extracts it under {@code DJL_CACHE_DIR}; its thread counts
 * come from {@code -Dai.djl.pytorch.num_threads} / {@code num_interop_threads} and
 * {@code OMP_NUM_THREADS}, which {@code run-core.sh} sets to this machine's two cores.
 *
 * <p>Each timed call closes its result straight away, so libtorch frees the output as a Python
 * loop's reference counting would, and memory does not pile up in the manager.
 */
final class TorchPeer implements AutoCloseable {
    private final Engine engine;
    private final NDManager manager;

    TorchPeer() {
        try {
            engine = Engine.getEngine("PyTorch");
        } catch (RuntimeException | LinkageError e) {
            throw new IllegalStateException("DJL could not start its PyTorch engine (needs pytorch-native-cpu "
                    + "2.7.1:linux-x86_64 and pytorch-jni 2.7.1-0.36.0 on the classpath, DJL_CACHE_DIR writable): " + e, e);
        }
        manager = engine.newBaseManager();
    }

    /** E.g. "PyTorch 2.7.1 via DJL 0.36.0, 2 intra-op / 1 inter-op threads". */
    String describe() {
        return "PyTorch " + engine.getVersion() + " via DJL " + Engine.getDjlVersion() + ", "
                + System.getProperty("ai.djl.pytorch.num_threads", "default") + " intra-op / "
                + System.getProperty("ai.djl.pytorch.num_interop_threads", "default") + " inter-op threads, OMP_NUM_THREADS="
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "unset");
    }

    /** A child manager: what it creates is freed when it is closed (this peer's own arrays are not). */
    NDManager newManager() { return manager.newSubManager(); }

    /** A libtorch tensor holding a copy of data. */
    NDArray array(float[] data, long... shape) { return manager.create(data, new Shape(shape)); }

    /** A libtorch int64 tensor holding a copy of data. */
    NDArray array(long[] data, long... shape) { return manager.create(data, new Shape(shape)); }

    /** A timed call: runs op and frees its result. */
    static Runnable call(Supplier<NDArray> op) {
        return () -> {
            try (NDArray r = op.get()) {
                Sink.keep(r);
            }
        };
    }

    /** A timed in-place call (the result is the input itself, so nothing is freed). */
    static Runnable inPlace(Supplier<NDArray> op) {
        return () -> Sink.keep(op.get());
    }

    /** The values of one run of op, for checking against Kindling; the result is freed. */
    static float[] values(Supplier<NDArray> op) {
        try (NDArray r = op.get()) {
            return r.toFloatArray();
        }
    }

    @Override
    public void close() { manager.close(); }
}
