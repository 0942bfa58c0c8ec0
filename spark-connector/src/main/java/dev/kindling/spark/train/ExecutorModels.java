package dev.kindling.spark.train;

import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.tensor.Device;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Model instances kept on an executor between the steps of a fit (building a model every step
 * would cost more than the step), one in use per running task. Each fit's pool is dropped when the
 * fit ends on this executor, or when a newer fit has started more than a few fits later.
 */
final class ExecutorModels {
    private static final Map<String, ConcurrentLinkedQueue<Module>> POOLS = new ConcurrentHashMap<>();

    private ExecutorModels() {}

    /** A model of the fit on device (pools are per device: tasks of one executor may hold different GPUs). */
    static Module borrow(String fitId, ModelFactory factory, Device device) {
        Module m = POOLS.computeIfAbsent(key(fitId, device), k -> new ConcurrentLinkedQueue<>()).poll();
        // Built from a generator of its own: its weights are overwritten by the broadcast state, and
        // drawing them from the process-wide generator would move it under the user's feet (local mode).
        return m != null ? m : DistributedTrainer.buildModel(factory, 0).to(device);
    }

    static void release(String fitId, Device device, Module m) {
        ConcurrentLinkedQueue<Module> pool = POOLS.get(key(fitId, device));
        if (pool != null) pool.add(m);
    }

    /** Drops the fit's models and its partitions' device copies on this executor. */
    static void drop(String fitId) {
        POOLS.keySet().removeIf(k -> k.startsWith(fitId + "@"));
        DeviceBatches.drop(fitId);
    }

    private static String key(String fitId, Device device) { return fitId + "@" + device; }
}
