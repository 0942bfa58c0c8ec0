package dev.kindling.spark;

import dev.kindling.spark.serde.KindlingKryoRegistrator;
import org.apache.spark.sql.SparkSession;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * A multi-process Spark for tests: master {@code local-cluster[2,1,1024]} starts two executor JVMs.
 * They need a SPARK_HOME whose jars/ holds Spark's jars; it is assembled under target/ from the
 * test classpath (symlinks, no copies), and the executors get the same classpath for Kindling's
 * classes and the tests' model factories.
 */
public final class LocalCluster {
    private LocalCluster() {}

    public static Path sparkHome() {
        Path module = Paths.get(System.getProperty("kindling.module.dir", "."));
        Path home = module.resolve("target").resolve("spark-home");
        Path jars = home.resolve("jars");
        try {
            Files.createDirectories(jars);
            for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
                Path p = Paths.get(entry);
                if (!entry.endsWith(".jar") || !Files.isRegularFile(p)) continue;
                Path link = jars.resolve(p.getFileName());
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, p.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not assemble a SPARK_HOME under " + home, e);
        }
        return home;
    }

    public static SparkSession session() { return builder().getOrCreate(); }

    /**
     * A local cluster whose workers each "have" GPU address (a discovery script that prints it; no
     * GPU needed) and whose tasks ask for taskAmount of it: Spark then schedules GPU tasks and hands
     * each the address in {@code TaskContext.resources()}.
     */
    public static SparkSession sessionWithFakeGpu(String address, String taskAmount) {
        Path script;
        try {
            script = Files.createTempFile("fake-gpu-discovery", ".sh");
            Files.writeString(script, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"" + address + "\"]}'\n");
            Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException("could not write a fake GPU discovery script", e);
        }
        return builder()
                .config("spark.worker.resource.gpu.amount", "1")
                .config("spark.worker.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.resource.gpu.amount", "1")
                .config("spark.executor.resource.gpu.discoveryScript", script.toString())
                .config("spark.task.resource.gpu.amount", taskAmount)
                .getOrCreate();
    }

    private static SparkSession.Builder builder() {
        String flags = System.getProperty("spark.jvm.flags", "");
        return SparkSession.builder()
                .master("local-cluster[2,1,1024]")
                .appName("kindling-local-cluster-test")
                .config("spark.home", sparkHome().toString())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", flags)
                .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrationRequired", "true")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName());
    }
}
