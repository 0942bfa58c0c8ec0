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

    public static SparkSession session() {
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
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .getOrCreate();
    }
}
