package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import dev.kindling.spark.data.ExecutorArrow;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Distributed training in local[2]: an MLP learns sklearn's digits. */
class LocalFitTest extends LocalSparkTest {

    @Test
    void mlpLearnsDigits() throws Exception {
        Dataset<Row> all = SparkTestSupport.digits(spark, 3);
        Dataset<Row>[] split = all.randomSplit(new double[] {0.8, 0.2}, 7);
        DistributedTrainer trainer = DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(64, 64), new ReLU(), new Linear(64, 10)))
                .optimizer(params -> new Adam(params, 0.01))
                .features("features").label("label", true)
                .batchSize(64).epochs(8).seed(1)
                .build();
        FitResult r = trainer.fit(split[0], split[1]);
        assertEquals(8, r.history().size());
        double acc = r.last().validationAccuracy();
        assertTrue(acc >= 0.93, "validation accuracy " + acc);
        assertEquals(0, ExecutorArrow.allocatedBytes(), "the executors' Arrow memory is freed after the fit");
    }
}
