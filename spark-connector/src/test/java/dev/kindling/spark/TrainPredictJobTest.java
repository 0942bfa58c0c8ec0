package dev.kindling.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.spark.jobs.JobCli;
import dev.kindling.spark.serde.KindlingKryoRegistrator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link TrainJob} and {@link PredictJob} run as users run them (through their command lines) on
 * sklearn's iris written by the test as Parquet (string labels) and CSV (numeric labels): the saved
 * model, metrics.json and history files exist, the predictions are accurate, and mistakes on the
 * command line or in the data end in one line and exit code 2 or 1.
 */
class TrainPredictJobTest extends LocalSparkTest {
    private static final String[] SPECIES = {"setosa", "versicolor", "virginica"};
    private static final String MLP = "Linear(4,16) ReLU Linear(16,3)";
    @TempDir
    static Path dir;
    static Path parquet;
    static Path csv;

    /** What a job run printed and returned. */
    record Run(int code, String out, String err) {}

    @BeforeAll
    static void writeIris() throws IOException {
        // The jobs run Spark as users do: Kryo without registrationRequired (the shared test session
        // requires registration, and Spark ML's own classes, e.g. VectorUDT, are not registered).
        spark.stop();
        spark = org.apache.spark.sql.SparkSession.builder().master("local[2]").appName("kindling-jobs-test")
                .config("spark.ui.enabled", "false").config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName()).getOrCreate();
        List<String> lines = Files.readAllLines(SparkTestSupport.shared().resolve("data/sklearn/iris.csv"));
        List<Row> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] v = line.split(",");
            int cls = Integer.parseInt(v[4].strip());
            rows.add(RowFactory.create(Double.parseDouble(v[0]), Double.parseDouble(v[1]), Double.parseDouble(v[2]),
                    Double.parseDouble(v[3]), SPECIES[cls], cls));
        }
        StructType schema = new StructType().add("sepal_length", DataTypes.DoubleType).add("sepal_width", DataTypes.DoubleType)
                .add("petal_length", DataTypes.DoubleType).add("petal_width", DataTypes.DoubleType)
                .add("species", DataTypes.StringType).add("label", DataTypes.IntegerType);
        Dataset<Row> iris = spark.createDataFrame(rows, schema).repartition(2);
        parquet = dir.resolve("iris.parquet");
        csv = dir.resolve("iris.csv");
        iris.write().parquet(parquet.toString());
        iris.drop("species").write().option("header", "true").csv(csv.toString());
    }

    static Run run(Callable<Integer> job, String synopsis, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = JobCli.commandLine(job, synopsis);
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        return new Run(cl.execute(args), out.toString(), err.toString());
    }

    static Run train(String... args) { return run(new TrainJob(), TrainJob.SYNOPSIS, args); }

    static Run predict(String... args) { return run(new PredictJob(), PredictJob.SYNOPSIS, args); }

    private static final String FEATURES = "sepal_length,sepal_width,petal_length,petal_width";

    @Test
    void trainsOnParquetWithStringLabelsThenPredicts() throws IOException {
        Path model = dir.resolve("model-parquet");
        Run t = train("--input", parquet.toString(), "--features", FEATURES, "--label", "species", "--model", MLP,
                "--epochs", "60", "--batch-size", "16", "--lr", "0.03", "--output", model.toString());
        assertEquals(0, t.code(), t.err());
        assertTrue(Files.isDirectory(model.resolve("metadata")) && Files.isDirectory(model.resolve("stages")));
        for (String f : List.of("history/history.csv", "history/history.json", "history/history.png")) {
            assertTrue(Files.size(model.resolve(f)) > 0, f);
        }
        JsonNode metrics = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
        assertEquals("classification", metrics.get("task").asText());
        assertEquals(60, metrics.get("epochsRun").asInt());
        assertTrue(metrics.get("train").get("accuracy").asDouble() > 0.9, metrics.toString());
        assertTrue(metrics.get("validation").get("accuracy").asDouble() > 0.85, metrics.toString());

        Path out = dir.resolve("predictions-parquet");
        Run p = predict("--model", model.toString(), "--input", parquet.toString(), "--output", out.toString());
        assertEquals(0, p.code(), p.err());
        Dataset<Row> scored = spark.read().parquet(out.toString());
        long n = scored.count();
        long right = scored.filter("species = predicted_label").count();
        assertEquals(150, n);
        assertTrue(right >= 0.9 * n, right + " of " + n + " right");
        assertFalse(List.of(scored.columns()).contains(TrainJob.ASSEMBLED), "internal column left in the output");
    }

    @Test
    void trainsOnCsvWithNumericLabelsThenPredictsToCsv() {
        Path model = dir.resolve("model-csv");
        Run t = train("--input", csv.toString(), "--format", "csv", "--features", FEATURES, "--label", "label", "--model", MLP,
                "--epochs", "60", "--batch-size", "16", "--lr", "0.03", "--validation-fraction", "0", "--output", model.toString());
        assertEquals(0, t.code(), t.err());
        Path out = dir.resolve("predictions-csv");
        Run p = predict("--model", model.toString(), "--input", csv.toString(), "--format", "csv", "--output", out.toString(),
                "--output-format", "csv");
        assertEquals(0, p.code(), p.err());
        Dataset<Row> scored = spark.read().option("header", "true").option("inferSchema", "true").csv(out.toString());
        long right = scored.filter("label = prediction").count();
        assertTrue(right >= 135, right + " of 150 right");
        String probability = scored.select("probability").first().getString(0);
        assertEquals(3, probability.split(" ").length, probability);

        Path partial = dir.resolve("sepal-only.parquet");
        spark.read().parquet(parquet.toString()).select("sepal_length", "sepal_width").write().parquet(partial.toString());
        assertBadData(predict("--model", model.toString(), "--input", partial.toString(), "--output", dir.resolve("p2").toString()),
                "--input '" + partial + "' does not fit the model in '" + model + "'");
    }

    @Test
    void trainsARegressorOnJson() throws IOException {
        // y = 2a - b + 0.5 exactly: a linear model learns it to a small validation MSE.
        List<Row> rows = new ArrayList<>();
        java.util.Random r = new java.util.Random(7);
        for (int i = 0; i < 400; i++) {
            double a = r.nextDouble() * 2 - 1;
            double b = r.nextDouble() * 2 - 1;
            rows.add(RowFactory.create(a, b, 2 * a - b + 0.5));
        }
        StructType schema = new StructType().add("a", DataTypes.DoubleType).add("b", DataTypes.DoubleType).add("y", DataTypes.DoubleType);
        Path json = dir.resolve("linear.json");
        spark.createDataFrame(rows, schema).write().json(json.toString());
        Path model = dir.resolve("model-regression");
        Run t = train("--input", json.toString(), "--format", "json", "--features", "a,b", "--label", "y", "--task", "regression",
                "--model", "Linear(2,1)", "--epochs", "40", "--batch-size", "32", "--lr", "0.05", "--output", model.toString());
        assertEquals(0, t.code(), t.err());
        JsonNode metrics = new ObjectMapper().readTree(model.resolve("metrics.json").toFile());
        assertFalse(metrics.get("validation").has("accuracy"));
        assertTrue(metrics.get("validation").get("loss").asDouble() < 1e-3, metrics.toString());
    }

    @Test
    void helpListsEveryOptionWithItsDefault() {
        for (Callable<Integer> job : List.<Callable<Integer>>of(new TrainJob(), new PredictJob())) {
            Run h = run(job, "synopsis", "--help");
            assertEquals(0, h.code());
            CommandLine cl = new CommandLine(job);
            for (CommandLine.Model.OptionSpec o : cl.getCommandSpec().options()) {
                assertTrue(h.out().contains(o.longestName()), o.longestName() + " missing from\n" + h.out());
                if (o.defaultValue() != null) {
                    assertTrue(h.out().contains("(default: " + o.defaultValue() + ")"), o.longestName() + " default missing");
                }
            }
        }
    }

    @Test
    void commandLineMistakesExitWithTwoAndOneLine() {
        String[] base = {"--input", parquet.toString(), "--features", FEATURES, "--label", "species", "--model", MLP,
                "--output", dir.resolve("never").toString()};
        assertUsage(train(concat(base, "--epochs", "0")), "'--epochs': '0'; expected a positive integer");
        assertUsage(train(concat(base, "--format", "xml")), "--format");
        assertUsage(train(concat(base, "--optimizr", "sgd")), "--optimizr");
        assertUsage(train(concat(base, "--model", "Linear(4,16) Frobnicate")), "'--model'");
        assertUsage(train("--input", parquet.toString()), "--model");
        assertUsage(train("--input", parquet.toString(), "--features", FEATURES, "--label", "species", "--model", MLP,
                "--output", parquet.toString()), "'--output': '" + parquet + "'; expected a directory that does not exist yet");
        assertFalse(Files.exists(dir.resolve("never")));
    }

    @Test
    void dataMistakesExitWithOneAndOneLine() {
        Path missing = dir.resolve("no-such.parquet");
        assertBadData(train("--input", missing.toString(), "--features", FEATURES, "--model", MLP, "--output", dir.resolve("m1").toString()),
                "--input '" + missing + "': no such file or directory");
        assertBadData(train("--input", parquet.toString(), "--features", "sepal_length,petal_size", "--label", "species", "--model", MLP,
                "--output", dir.resolve("m2").toString()), "--features: column 'petal_size' is not in");
        assertBadData(train("--input", parquet.toString(), "--features", FEATURES, "--label", "kind", "--model", MLP,
                "--output", dir.resolve("m3").toString()), "--label: column 'kind' is not in");
        assertBadData(train("--input", csv.toString(), "--features", FEATURES, "--model", MLP, "--output", dir.resolve("m4").toString()),
                "could not be read as parquet (--format)");
        assertBadData(train("--input", parquet.toString(), "--features", FEATURES, "--label", "species", "--task", "regression",
                "--model", MLP, "--output", dir.resolve("m5").toString()), "--label: column 'species' has type string");
        assertBadData(predict("--model", parquet.toString(), "--input", parquet.toString(), "--output", dir.resolve("p1").toString()),
                "is not a PipelineModel saved by TrainJob");
    }

    private static void assertUsage(Run r, String expected) {
        assertEquals(JobCli.USAGE, r.code(), r.err());
        assertOneLine(r, expected);
    }

    private static void assertBadData(Run r, String expected) {
        assertEquals(JobCli.BAD_DATA, r.code(), r.err());
        assertOneLine(r, expected);
    }

    private static void assertOneLine(Run r, String expected) {
        String err = r.err().strip();
        assertFalse(err.contains("\n"), "more than one line:\n" + err);
        assertTrue(err.contains(expected), "'" + expected + "' not in: " + err);
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
