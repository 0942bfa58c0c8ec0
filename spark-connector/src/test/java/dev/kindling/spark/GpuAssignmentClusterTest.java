package dev.kindling.spark;

import dev.kindling.spark.gpu.GpuAssignment;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;

import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Spark's GPU scheduling end to end on a local cluster whose two workers "have" GPU 7 (a fake
 * discovery script): with spark.task.resource.gpu.amount = 0.5, two tasks at a time share it, every
 * task sees address 7, "cuda" maps it to cuda:7 and "auto" falls back to the CPU because this class
 * path has no usable CUDA (no libcuda.so.1).
 */
class GpuAssignmentClusterTest {

    @Test
    void tasksSeeTheGpuSparkAssignedThem() {
        SparkSession spark = LocalCluster.sessionWithFakeGpu("7", "0.5");
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
