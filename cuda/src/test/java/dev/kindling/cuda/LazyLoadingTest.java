package dev.kindling.cuda;

import dev.kindling.backend.Backends;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CPU-only program with the cuda module on its class path loads the CUDA provider (every provider
 * is instantiated by the registry) but not one other CUDA class, no JCuda class and so no native
 * library. Checked in a fresh JVM that logs every class it loads.
 */
class LazyLoadingTest {

    /** The CPU-only program: tensors, a matmul, autograd and the registry's device types. */
    public static void main(String[] args) {
        Tensor x = Tensors.ones(3, 4).requiresGrad_(true);
        Tensor y = x.matmul(Tensors.ones(4, 2)).relu().sum();
        y.backward();
        System.out.println("devices " + Backends.deviceTypes() + " result " + y.item());
    }

    @Test
    void cpuWorkLoadsNoCudaCodeBeyondTheProvider() throws IOException, InterruptedException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-verbose:class", "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), LazyLoadingTest.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("result 24.0"), out);
        List<String> loaded = out.lines().filter(l -> l.contains("[class,load]"))
                .map(l -> l.replaceAll(".*\\[class,load\\] (\\S+).*", "$1")).collect(Collectors.toList());
        assertTrue(loaded.contains(CudaBackendProvider.class.getName()), "the provider was not even registered");
        List<String> cuda = loaded.stream()
                .filter(c -> c.startsWith("jcuda.") || (c.startsWith("dev.kindling.cuda.")
                        && !c.equals(CudaBackendProvider.class.getName()) && !c.equals(LazyLoadingTest.class.getName())))
                .toList();
        assertTrue(cuda.isEmpty(), "CPU-only work loaded CUDA classes: " + cuda);
        assertFalse(out.contains("libJCudaDriver"), "JCuda's native library was loaded");
    }
}
