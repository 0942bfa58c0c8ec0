package dev.kindling.backend;

import dev.kindling.tensor.Device;

/**
 * The service a backend module registers (in {@code META-INF/services/dev.kindling.backend.BackendProvider})
 * so that {@link Backends} finds it with {@link java.util.ServiceLoader}: it names the device type it
 * serves and makes the backend of one device of that type. A CUDA backend can so live in a module
 * of its own that core does not depend on.
 *
 * <p>Implementations need a public no-argument constructor and should do nothing costly in it:
 * every provider on the class path is instantiated when the first backend is looked up, also in
 * programs that never use its device. Native libraries belong in {@link #backend}.
 */
public interface BackendProvider {

    /** The device type this provider serves. */
    Device.Type deviceType();

    /**
     * The backend of one device of {@link #deviceType()}; called once per device, the result is
     * kept. Fails with an {@link IllegalArgumentException} naming the device when it cannot serve it.
     */
    Backend backend(Device device);
}
