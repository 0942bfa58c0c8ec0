package dev.kindling.cuda;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.util.Optional;

/**
 * Whether this process can use CUDA at all, decided once and cheaply: the driver library
 * {@code libcuda.so.1} is looked up through the JDK's FFM, which loads no JCuda class and no JCuda
 * native; only when the driver is there are JCuda's natives loaded to count the devices. The reason
 * names what is missing, so that a GPU test can skip with it and a user asking for {@code cuda:0}
 * learns why it cannot be had.
 */
public final class CudaAvailability {
    /** The driver's shared library, installed by the NVIDIA driver, not by the CUDA toolkit. */
    public static final String DRIVER_LIBRARY = "libcuda.so.1";

    private CudaAvailability() {}

    /** Empty when a CUDA device can be used, else why not. */
    public static Optional<String> unavailableReason() { return Probe.REASON; }

    /** True when at least one CUDA device can be used. */
    public static boolean isAvailable() { return Probe.REASON.isEmpty(); }

    private static final class Probe {
        static final Optional<String> REASON = probe();

        private static Optional<String> probe() {
            try {
                SymbolLookup.libraryLookup(DRIVER_LIBRARY, Arena.global());
            } catch (IllegalArgumentException | UnsatisfiedLinkError e) {
                return Optional.of("no CUDA driver: " + DRIVER_LIBRARY + " not found (" + e.getMessage() + ")");
            }
            try {
                int count = CudaDriver.deviceCount();
                return count > 0 ? Optional.empty() : Optional.of("no CUDA device: the driver reports 0 devices");
            } catch (UnsatisfiedLinkError | RuntimeException e) {
                return Optional.of("CUDA driver present but unusable: " + e);
            }
        }
    }
}
