package dev.kindling.examples.readme;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.optim.Adam;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.nio.file.Path;

import static org.apache.spark.sql.functions.array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.rand;
import static org.apache.spark.sql.functions.when;

public class TrainOnSpark {
    public static void main(String[] args) throws Exception {
        SparkSession spark = SparkSession.builder().master("local[2]").appName("kindling-readme")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .getOrCreate();
        // Two features in [0, 1) and a class: is the point above the diagonal? (made by the tasks)
        Dataset<Row> points = spark.range(0, 4000, 1, 2)
                .select(rand(1).cast("float").as("a"), rand(2).cast("float").as("b"))
                .select(array(col("a"), col("b")).as("features"), when(col("a").gt(col("b")), 1).otherwise(0).as("label"));
        Dataset<Row>[] split = points.randomSplit(new double[] {0.8, 0.2}, 0);

        FitResult r = DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(2, 16), new ReLU(), new Linear(16, 2)))   // serializable factory
                .optimizer(params -> new Adam(params, 1e-2))
                .features("features").label("label", true)   // array<float>, array<double>, ML Vector, scalars, or binary images
                .batchSize(128).epochs(5).seed(0)
                .localSteps(1)                                 // K > 1: K local steps per Spark job, parameters averaged
                .treeDepth(2).earlyStopping(3)
                .checkpoint("kindling-output/checkpoints", 20)   // any Hadoop path, e.g. hdfs:///ckpt/run1 or s3a://bucket/run1;
                .build()                                       // a restarted fit resumes from the latest one exactly
                .fit(split[0], split[1]);
        System.out.printf("validation accuracy %.3f after %d steps%n", r.last().validationAccuracy(), r.steps());
        r.trainingHistory().writeFiles(Path.of("kindling-output"), "readme-history");   // CSV, JSON and a PNG chart
        spark.stop();
    }
}
