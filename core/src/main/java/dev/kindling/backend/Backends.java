package dev.kindling.backend;

import dev.kindling.tensor.Device;

import java.util.EnumMap;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Finds the backend for a device through a registry of {@link BackendProvider}s, keyed by device
 * type and filled once by {@link ServiceLoader} from the class path. Core registers its CPU backend
 * this way too; another device's backend (CUDA) is a separate module that registers itself, and a
 * program without it gets a clear error when it asks for that device, and never loads its natives
 * otherwise.
 */
public final class Backends {
    private static final ConcurrentHashMap<Device, Backend> LOADED = new ConcurrentHashMap<>();

    private Backends() {}

    /**
     * The backend of device, made by its type's provider on first use.
     *
     * @throws IllegalArgumentException when no provider on the class path serves the device's type
     */
    public static Backend of(Device device) {
        if (device.isCpu() && Cpu.BACKEND != null) return Cpu.BACKEND;
        return LOADED.computeIfAbsent(device, Backends::load);
    }

    /** The device types some provider on the class path serves. */
    public static Set<Device.Type> deviceTypes() { return Set.copyOf(Registry.PROVIDERS.keySet()); }

    private static Backend load(Device device) {
        String conflict = Registry.CONFLICTS.get(device.type());
        if (conflict != null) throw new IllegalArgumentException("device " + device + ": " + conflict);
        BackendProvider provider = Registry.PROVIDERS.get(device.type());
        if (provider == null) {
            throw new IllegalArgumentException("device " + device + ": no backend for device type " + device.type()
                    + " on the class path; found backends for " + Registry.PROVIDERS.keySet()
                    + " (a backend registers a " + BackendProvider.class.getName() + " in META-INF/services)");
        }
        return provider.backend(device);
    }

    /** The providers, found once, when the first backend is asked for. */
    private static final class Registry {
        static final Map<Device.Type, BackendProvider> PROVIDERS = new EnumMap<>(Device.Type.class);
        /** Device types with two different providers: an error on lookup rather than a silent pick. */
        static final Map<Device.Type, String> CONFLICTS = new EnumMap<>(Device.Type.class);

        static {
            for (BackendProvider p : ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
                BackendProvider earlier = PROVIDERS.putIfAbsent(p.deviceType(), p);
                if (earlier != null && earlier.getClass() != p.getClass()) {
                    CONFLICTS.put(p.deviceType(), "two backends for device type " + p.deviceType() + " on the class path: "
                            + earlier.getClass().getName() + " and " + p.getClass().getName());
                }
            }
        }
    }

    /** The CPU backend, looked up once so that every CPU op does not pay a map lookup. */
    private static final class Cpu {
        static final Backend BACKEND = Registry.PROVIDERS.containsKey(Device.Type.CPU)
                && !Registry.CONFLICTS.containsKey(Device.Type.CPU) ? load(Device.CPU) : null;
    }
}
