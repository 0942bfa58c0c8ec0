package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.LocalSparkTest;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.Test;

import java.util.function.DoubleSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link StepAnatomy} runs each part of a step on the session's executors and times it; the figures
 * themselves are the benchmarks' business, so this checks that each part ran (positive times, the
 * sums' size checked inside) and that bad settings are refused as a fit would refuse them.
 */
class StepAnatomyTest extends LocalSparkTest {

    private static StepAnatomy anatomy(int partitions) {
        return new StepAnatomy(JavaSparkContext.fromSparkContext(spark.sparkContext()),
                () -> new Sequential(new Linear(20, 8), new ReLU(), new Linear(8, 3)), partitions);
    }

    @Test
    void everyPartRunsOnTheExecutors() {
        try (StepAnatomy a = anatomy(2)) {
            assertEquals(20 * 8 + 8 + 8 * 3 + 3, a.parameters());
            assertTrue(a.computeSeconds(16, 20) > 0);
            assertTrue(a.shipmentSeconds(true) > 0);
            assertTrue(a.shipmentSeconds(false) > 0);
            assertTrue(a.aggregationSeconds(1000, "tree", 0, "float32") > 0);
            assertTrue(a.aggregationSeconds(1000, "sharded", 2, "bfloat16") > 0);
            DoubleSupplier driver = a.driverStep(ps -> new Adam(ps, 1e-3), 64);
            assertTrue(driver.getAsDouble() > 0);
        }
    }

    @Test
    void badSettingsAreRefusedByName() {
        try (StepAnatomy a = anatomy(2)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.aggregationSeconds(10, "ring", 0, "float32"));
            assertTrue(e.getMessage().contains("\"ring\""), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> a.aggregationSeconds(10, "tree", 0, "bfloat16"));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> anatomy(0));
        assertTrue(e.getMessage().contains("partitions must be >= 1 but got 0"), e.getMessage());
    }
}
