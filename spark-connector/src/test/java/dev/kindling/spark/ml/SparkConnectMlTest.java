package dev.kindling.spark.ml;

import dev.kindling.spark.MlTestData;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import org.apache.spark.connect.proto.Expression;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.connect.service.SparkConnectService;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Kindling's stages driven through Spark Connect, the only client Databricks-style shared and
 * serverless clusters accept: a Connect server runs in this JVM (Spark's own {@code SparkConnectService}
 * over gRPC on a free loopback port) and {@link ConnectMlClient} sends the protocol's ML commands
 * (fit by class name, transform with the cached model, write, read) exactly as PySpark's Connect client
 * would. The server finds the stages through {@code ServiceLoader}, so this fails if their registration
 * or their no-argument constructors go. Predictions must equal the classic API's on the same data.
 */
class SparkConnectMlTest {
    private static final String LAYERS = "Linear(4,16) ReLU Linear(16,3)";
    static SparkSession spark;
    static int port;

    @BeforeAll
    static void startConnectServer() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        spark = SparkSession.builder()
                .master("local[2]")
                .appName("kindling-connect-test")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName())
                .config("spark.connect.grpc.binding.address", "127.0.0.1")
                .config("spark.connect.grpc.binding.port", String.valueOf(port))
                .getOrCreate();
        SparkConnectService.start(spark.sparkContext());
    }

    @AfterAll
    static void stopConnectServer() {
        SparkConnectService.stop(SparkConnectService.stop$default$1(), SparkConnectService.stop$default$2());
        spark.stop();
    }

    @Test
    void fitTransformWriteAndReadThroughConnectMatchTheClassicApi(@TempDir Path dir) throws Exception {
        String train = irisParquet(dir.resolve("iris.parquet"));

        // The classic API on the same files, so both fits see the same partitions.
        KindlingClassificationModel classic = classifier().fit(spark.read().parquet(train));
        List<Row> expected = byId(classic.transform(spark.read().parquet(train)));

        try (ConnectMlClient client = new ConnectMlClient(port)) {
            Map<String, Expression.Literal> params = new LinkedHashMap<>();
            params.put("modelSpec", ConnectMlClient.string(LAYERS));   // a ModelFactory cannot cross the wire
            params.put("learningRate", ConnectMlClient.doubleValue(0.03));
            params.put("batchSize", ConnectMlClient.integer(32));
            params.put("maxIter", ConnectMlClient.integer(3));
            params.put("seed", ConnectMlClient.longValue(3));
            params.put("device", ConnectMlClient.string("cpu"));   // a plain string param; the classic fit used the default, "auto"
            String modelId = client.fit(KindlingClassifier.class.getName(), params, train);

            String out = dir.resolve("connect-predictions.parquet").toString();
            client.transform(modelId, train, out);
            assertSamePredictions(expected, byId(spark.read().parquet(out)), "transform of the model fitted through Connect");

            String saved = dir.resolve("connect-model").toString();
            client.write(modelId, saved);
            String reloadedId = client.readModel(KindlingClassificationModel.class.getName(), saved);
            String out2 = dir.resolve("reloaded-predictions.parquet").toString();
            client.transform(reloadedId, train, out2);
            assertSamePredictions(expected, byId(spark.read().parquet(out2)), "transform of the model written and read through Connect");

            // What a Connect client saved, the classic API loads (and the other way round is Read above).
            KindlingClassificationModel loaded = KindlingClassificationModel.load(saved);
            assertSamePredictions(expected, byId(loaded.transform(spark.read().parquet(train))), "classic load of the Connect-saved model");
        }
    }

    private static KindlingClassifier classifier() {
        return new KindlingClassifier().setModel(LAYERS).setLearningRate(0.03).setBatchSize(32).setMaxIter(3).setSeed(3);
    }

    /** Iris as features (ML Vector), label (index) and a row id, written once to Parquet; returns its path. */
    private static String irisParquet(Path path) throws IOException {
        Dataset<Row> raw = MlTestData.iris(spark, 2);
        Dataset<Row> assembled = new VectorAssembler().setInputCols(MlTestData.IRIS_FEATURES).setOutputCol("features").transform(raw);
        Dataset<Row> labelled = new StringIndexer().setInputCol("species").setOutputCol("label").fit(assembled).transform(assembled);
        labelled.withColumn("id", functions.monotonically_increasing_id()).select("id", "features", "label")
                .coalesce(2).write().parquet(path.toString());
        return path.toString();
    }

    private static List<Row> byId(Dataset<Row> predictions) {
        return predictions.select("id", "prediction", "probability").orderBy("id").collectAsList();
    }

    private static void assertSamePredictions(List<Row> expected, List<Row> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": rows");
        assertTrue(expected.size() >= 150, what + ": all of iris");
        for (int i = 0; i < expected.size(); i++) {
            Row e = expected.get(i);
            Row a = actual.get(i);
            assertEquals(e.getLong(0), a.getLong(0), what + ": row order");
            assertEquals(e.getDouble(1), a.getDouble(1), what + ": prediction of row " + e.getLong(0));
            assertArrayEquals(((Vector) e.get(2)).toArray(), ((Vector) a.get(2)).toArray(), what + ": probability of row " + e.getLong(0));
        }
    }
}
