package dev.kindling.spark.gpu;

import dev.kindling.backend.Backends;
import dev.kindling.tensor.Device;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Which device a Spark task computes on. Spark hands each task the GPU addresses it scheduled it
 * on ({@code TaskContext.resources().get("gpu")}, from {@code spark.executor.resource.gpu.amount},
 * {@code spark.task.resource.gpu.amount} and the executor's discovery script); with a fractional
 * task amount several tasks get the same address and share that GPU. The address is a physical
 * ordinal (what {@code nvidia-smi} and the discovery script print); when the cluster manager has
 * narrowed {@code CUDA_VISIBLE_DEVICES}, CUDA numbers the visible devices from 0, so the device index
 * is the address's position in that list.
 *
 * <p>The setting is the user's {@code setDevice}: {@code "cpu"}, {@code "cuda"} (the assigned GPU,
 * else device 0), {@code "cuda:N"}, or {@code "auto"}: the assigned GPU when there is one and a CUDA
 * backend can serve it, otherwise the CPU, with one WARN line per executor JVM saying why.
 */
public final class GpuAssignment {
    private static final Logger LOG = LoggerFactory.getLogger(GpuAssignment.class);
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private GpuAssignment() {}

    /** The settings {@link #checkSetting} accepts, as its error message lists them. */
    public static final String SETTINGS = "'auto', 'cpu', 'cuda' or 'cuda:N'";

    /**
     * The setting lower-cased and trimmed, or an IllegalArgumentException naming the parameter, the
     * values it takes and the value it got: checked where the user sets it, not in an executor.
     */
    public static String checkSetting(String param, String setting) {
        String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        boolean ok = s.equals("auto") || s.equals("cpu") || s.equals("cuda") || s.matches("cuda:[0-9]+");
        if (!ok) throw new IllegalArgumentException(param + ": expected " + SETTINGS + " but got '" + setting + "'");
        return s;
    }

    /**
     * The device a fit's task computes on, ready to use: as {@link #forCurrentTask}, and for a CUDA
     * device asked for explicitly ("cuda", "cuda:N") a check that the device can be served, failing
     * the task with what is missing (the driver library, a device, the CUDA backend, Spark's GPU
     * assignment) instead of an obscure error in the first kernel.
     */
    public static Device forFit(String setting) {
        Optional<String> address = assignedAddress(TaskContext.get());
        Device d = choose(setting, address, System.getenv("CUDA_VISIBLE_DEVICES"), GpuAssignment::cudaUsable);
        if (d.isCpu()) return d;
        Optional<String> why = cudaUsable(d);
        if (why.isEmpty()) return d;
        String assignment = address.isPresent() ? "Spark assigned GPU " + address.get() + " to this task"
                : "Spark assigned no gpu resource to this task (set spark.executor.resource.gpu.amount and "
                + "spark.task.resource.gpu.amount)";
        throw new IllegalStateException("Kindling device '" + setting + "': cannot compute on " + d + ": " + why.get()
                + "; " + assignment + ". Use setDevice(\"auto\") to fall back to the CPU.");
    }

    /** The device for the calling Spark task (the driver, outside a task, has no assignment). */
    public static Device forCurrentTask(String setting) {
        return choose(setting, assignedAddress(TaskContext.get()), System.getenv("CUDA_VISIBLE_DEVICES"),
                GpuAssignment::cudaUsable);
    }

    /** The first GPU address Spark assigned to the task, if any. */
    public static Optional<String> assignedAddress(TaskContext task) {
        if (task == null) return Optional.empty();
        scala.Option<ResourceInformation> gpu = task.resources().get("gpu");
        if (gpu.isEmpty() || gpu.get().addresses().length == 0) return Optional.empty();
        return Optional.of(gpu.get().addresses()[0]);
    }

    /**
     * The device for a setting, an assigned address (or none) and CUDA_VISIBLE_DEVICES (or null);
     * usable says whether a CUDA device can be served, or why not.
     */
    public static Device choose(String setting, Optional<String> address, String visibleDevices, CudaProbe usable) {
        String s = setting == null ? "" : setting.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "cpu":
                return Device.CPU;
            case "cuda":
                return Device.cuda(address.map(a -> deviceIndex(a, visibleDevices)).orElse(0));
            case "auto": {
                if (address.isEmpty()) {
                    warnOnce("Kindling device auto: Spark assigned no GPU to this task (set spark.executor.resource.gpu.amount"
                            + " and spark.task.resource.gpu.amount); computing on the CPU");
                    return Device.CPU;
                }
                Device d = Device.cuda(deviceIndex(address.get(), visibleDevices));
                Optional<String> why = usable.whyNot(d);
                if (why.isPresent()) {
                    warnOnce("Kindling device auto: Spark assigned GPU " + address.get() + " but " + d + " cannot be used ("
                            + why.get() + "); computing on the CPU");
                    return Device.CPU;
                }
                return d;
            }
            default:
                if (s.startsWith("cuda:")) return Device.parse(s);
                throw new IllegalArgumentException("device setting: expected 'auto', 'cpu', 'cuda' or 'cuda:N' but got '" + setting + "'");
        }
    }

    /** The CUDA index of a Spark GPU address under CUDA_VISIBLE_DEVICES (null or empty: all devices visible). */
    public static int deviceIndex(String address, String visibleDevices) {
        int ordinal;
        try {
            ordinal = Integer.parseInt(address.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("GPU address: expected a device ordinal such as '0' but got '" + address
                    + "' (the discovery script must print nvidia-smi indices)");
        }
        if (visibleDevices == null || visibleDevices.isBlank()) return ordinal;
        List<String> visible = Arrays.stream(visibleDevices.split(",")).map(String::trim).toList();
        int position = visible.indexOf(address.trim());
        if (position < 0) {
            throw new IllegalArgumentException("GPU address " + address + " is not among CUDA_VISIBLE_DEVICES=" + visibleDevices);
        }
        return position;
    }

    /** Whether a CUDA device can be used: empty if so, else the reason. */
    @FunctionalInterface
    public interface CudaProbe {
        Optional<String> whyNot(Device device);
    }

    /** Asks the backend registry: only touches CUDA code when a CUDA backend is on the class path. */
    static Optional<String> cudaUsable(Device device) {
        if (!Backends.deviceTypes().contains(Device.Type.CUDA)) {
            return Optional.of("no CUDA backend on the class path (add kindling-cuda)");
        }
        try {
            Backends.of(device);
            return Optional.empty();
        } catch (RuntimeException e) {   // no driver, no device, kernels the driver cannot load...
            return Optional.of(e.getMessage());
        }
    }

    private static void warnOnce(String message) {
        if (WARNED.compareAndSet(false, true)) LOG.warn(message);
    }
}
