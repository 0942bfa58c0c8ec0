package dev.kindling.spark;

import dev.kindling.spark.gpu.GpuAssignment;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spark's GPU scheduling end to end on a local cluster whose one worker "has" GPU 7 (a fake
 * discovery script): with spark.task.resource.gpu.amount = 0.5, two tasks at a time share it, every
 * task sees address 7, "cuda" maps it to cuda:7 and "auto" falls back to the CPU because this class
 * path has no CUDA backend.
 */
class GpuAssignmentClusterTest {

    @Test
    void tasksSeeTheGpuSparkAssignedThem() throws IOException {
        Path script = Files.createTempFile("fake-gpu-discovery", ".sh");
        Files.writeString(script, "#!/bin/sh\necho '{\"name\":\"gpu\",\"addresses\":[\"7\"]}'\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
        SparkSession spark = SparkSession.builder()
                .master("local-cluster[1,2,1024]")
                .appName("kindling-gpu-assignment-test")
                .config("spark.home", LocalCluster.sparkHome().toString())
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.executor.extraJavaOptions", System.getProperty("spark.jvm.flags", ""))
                .config("spark.executorEnv.SPARK_LOCAL_IP", "127.0.0.1")
                .config("spark.worker.resource.gpu.amount", "1")
                .config("spark.worker.resource.gpu.discoveryScript", script.toString())
                .config("spark.executor.resource.gpu.amount", "1")
                .config("spark.executor.resource.gpu.discoveryScript", script.toString())
                .config("spark.task.resource.gpu.amount", "0.5")
                .getOrCreate();
        try {
            List<String> seen = new JavaSparkContext(spark.sparkContext()).parallelize(List.of(1, 2, 3, 4), 4)
                    .mapPartitions(GpuAssignmentClusterTest::describe).collect();
            assertEquals(List.of("7 cuda:7 cpu", "7 cuda:7 cpu", "7 cuda:7 cpu", "7 cuda:7 cpu"), seen);
        } finally {
            spark.stop();
        }
    }

    private static Iterator<String> describe(Iterator<Integer> rows) {
        String address = GpuAssignment.assignedAddress(TaskContext.get()).orElse("none");
        return List.of(address + " " + GpuAssignment.forCurrentTask("cuda") + " " + GpuAssignment.forCurrentTask("auto")).iterator();
    }
}
