package dev.kindling.spark.train;

import dev.kindling.spark.data.PartitionData;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The cached partitions of a fit copied to a GPU, once per fit and executor, so that a step's rows
 * are gathered on the device instead of crossing PCIe every step. When a partition does not fit in
 * device memory the copy is abandoned (one WARN per executor) and each step copies just its rows.
 * {@link #drop} at the end of the fit lets go of the copies; their device memory returns to the
 * CUDA caching allocator when the collector reclaims them.
 *
 * <p>Copies are keyed by the cached object itself (weakly): if Spark evicts and recomputes a block,
 * the new one gets its own copy and the old copy goes with the old block.
 */
final class DeviceBatches {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceBatches.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();
    private static final Map<String, Map<PartitionData, Map<Device, Optional<PartitionData>>>> FITS = new ConcurrentHashMap<>();

    private DeviceBatches() {}

    /** The rows of one step on device: from the fit's device copy of data, or copied now when there is none. */
    static Tensor[] gather(String fitId, PartitionData data, int[] rows, Device device) {
        Optional<PartitionData> copy = copyOf(fitId, data, device);
        if (copy.isPresent()) return copy.get().gather(rows);
        Tensor[] xy = data.gather(rows);
        for (int i = 0; i < xy.length; i++) if (xy[i] != null) xy[i] = xy[i].to(device);
        return xy;
    }

    /** How many partitions this executor holds on a device for the fit (for tests and logs). */
    static int copies(String fitId) {
        Map<PartitionData, Map<Device, Optional<PartitionData>>> fit = FITS.get(fitId);
        if (fit == null) return 0;
        synchronized (fit) {
            return (int) fit.values().stream().flatMap(m -> m.values().stream()).filter(Optional::isPresent).count();
        }
    }

    static void drop(String fitId) {
        FITS.remove(fitId);
    }

    private static Optional<PartitionData> copyOf(String fitId, PartitionData data, Device device) {
        Map<PartitionData, Map<Device, Optional<PartitionData>>> fit =
                FITS.computeIfAbsent(fitId, k -> new WeakHashMap<>());
        // One copy per partition even when two tasks of the fit reach it at once; copies happen once per fit.
        synchronized (fit) {
            return fit.computeIfAbsent(data, k -> new ConcurrentHashMap<>()).computeIfAbsent(device, d -> copy(data, d));
        }
    }

    private static Optional<PartitionData> copy(PartitionData data, Device device) {
        try {
            return Optional.of(data.to(device));
        } catch (RuntimeException | OutOfMemoryError e) {   // CUDA out of memory after the allocator freed its cache
            if (WARNED.compareAndSet(false, true)) {
                LOG.warn("Kindling: partition {} ({} rows) does not fit on {} ({}); copying each step's rows instead",
                        data.partition(), data.rows(), device, e.getMessage());
            }
            return Optional.empty();
        }
    }
}
