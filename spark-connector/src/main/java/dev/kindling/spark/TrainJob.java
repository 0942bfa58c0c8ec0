package dev.kindling.spark;

import dev.kindling.nn.ModelSpec;
import dev.kindling.spark.jobs.DataFormat;
import dev.kindling.spark.jobs.JobCli;
import dev.kindling.spark.jobs.JobData;
import dev.kindling.spark.jobs.JobSession;
import dev.kindling.spark.ml.KindlingClassifier;
import dev.kindling.spark.ml.KindlingEstimator;
import dev.kindling.spark.ml.KindlingModel;
import dev.kindling.spark.ml.KindlingRegressor;
import dev.kindling.spark.train.EpochMetrics;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.feature.IndexToString;
import org.apache.spark.ml.feature.StringIndexer;
import org.apache.spark.ml.feature.StringIndexerModel;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Trains a Kindling network on a table without writing code:
 * {@code spark-submit --class dev.kindling.spark.TrainJob kindling-spark-assembly.jar --input data.parquet
 * --features a,b,c --label y --model "Linear(3,16) ReLU Linear(16,2)" --output model}. It builds a
 * Spark ML {@code Pipeline} (a {@code StringIndexer} for string labels, a {@code VectorAssembler}
 * when several feature columns are named, then {@link KindlingClassifier} or
 * {@link KindlingRegressor}, and an {@code IndexToString} that turns predictions back into the
 * label strings), fits it, and saves the fitted {@code PipelineModel} to the output directory with
 * {@code metrics.json} (the final epoch's training and validation metrics) and
 * {@code history/history.{csv,json,png}} beside it. {@link PredictJob} applies the saved model.
 */
@Command(name = "TrainJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train a Kindling network on a Parquet/CSV/LIBSVM/JSON table and save the fitted Spark ML PipelineModel.")
public final class TrainJob implements Callable<Integer> {
    static final String SYNOPSIS = "spark-submit [SPARK OPTIONS] --class " + TrainJob.class.getName()
            + " kindling-spark-assembly_2.13-VERSION.jar --input PATH --features COLS --label COL --model SPEC --output DIR [OPTIONS]";
    /** Where several feature columns are assembled to (a name unlikely to clash with the user's). */
    static final String ASSEMBLED = "kindling_features";
    /** Where string labels are indexed to. */
    static final String INDEXED = "kindling_label";
    /** Where IndexToString writes the predicted label string. */
    static final String PREDICTED_LABEL = "predicted_label";

    /** Classification (cross entropy over class indices) or regression (mean squared error). */
    enum Task { classification, regression }

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "training data: a file or directory (any Hadoop path); required")
    String input;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
            description = "format of --input: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); csv needs a header row")
    DataFormat format;

    @Option(names = "--features", defaultValue = "features", paramLabel = "COLS",
            description = "comma-separated numeric feature columns (assembled into one vector), or one vector/array column (default: ${DEFAULT-VALUE})")
    String features;

    @Option(names = "--label", defaultValue = "label", paramLabel = "COL",
            description = "label column: class indices 0..C-1 or strings (indexed) for classification, numbers for regression (default: ${DEFAULT-VALUE})")
    String label;

    @Option(names = "--task", defaultValue = "classification", paramLabel = "TASK",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    Task task;

    @Option(names = "--model", required = true, paramLabel = "SPEC",
            description = "the network as layers, e.g. \"Linear(4,16) ReLU Linear(16,3)\" (the last layer gives C logits or 1 output); required")
    String model;

    @Option(names = "--epochs", defaultValue = "10", paramLabel = "N", description = "passes over the training rows (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "128", paramLabel = "N", description = "global batch size, over all partitions (default: ${DEFAULT-VALUE})")
    int batchSize;

    @Option(names = "--optimizer", defaultValue = "adam", paramLabel = "NAME",
            description = "adam, adamw, sgd, rmsprop or adagrad (default: ${DEFAULT-VALUE})")
    String optimizer;

    @Option(names = "--lr", defaultValue = "0.001", paramLabel = "RATE", description = "learning rate (default: ${DEFAULT-VALUE})")
    double lr;

    @Option(names = "--validation-fraction", defaultValue = "0.2", paramLabel = "F",
            description = "fraction of rows held out (seeded split) for validation metrics; 0 = none (default: ${DEFAULT-VALUE})")
    double validationFraction;

    @Option(names = "--early-stopping", defaultValue = "0", paramLabel = "EPOCHS",
            description = "stop after this many epochs without a lower validation loss; 0 = off (default: ${DEFAULT-VALUE})")
    int earlyStopping;

    @Option(names = "--local-steps", defaultValue = "1", paramLabel = "K",
            description = "optimizer steps per partition per Spark job; 1 = synchronous (default: ${DEFAULT-VALUE})")
    int localSteps;

    @Option(names = "--partitions", defaultValue = "0", paramLabel = "N",
            description = "repartition the input to N partitions (= data-parallel workers); 0 keeps the input's (default: ${DEFAULT-VALUE})")
    int partitions;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N", description = "seed of weights, batch order and the validation split (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint-dir", paramLabel = "DIR",
            description = "directory (any Hadoop path, shared by driver restarts) for training checkpoints; rerunning the same command resumes from the newest one (default: none)")
    String checkpointDir;

    @Option(names = "--checkpoint-interval", defaultValue = "100", paramLabel = "STEPS",
            description = "optimizer steps between checkpoints, with --checkpoint-dir (default: ${DEFAULT-VALUE})")
    int checkpointInterval;

    @Option(names = "--output", required = true, paramLabel = "DIR", description = "directory to save the fitted PipelineModel, metrics.json and history/ to; required")
    String output;

    @Option(names = "--overwrite", description = "replace --output if it exists (default: ${DEFAULT-VALUE})")
    boolean overwrite;

    @Option(names = "--spark-log-level", defaultValue = "WARN", paramLabel = "LEVEL",
            description = "Spark's log level when the job starts Spark: ERROR, WARN, INFO, DEBUG (default: ${DEFAULT-VALUE})")
    String sparkLogLevel;

    public static void main(String[] args) {
        System.exit(JobCli.commandLine(new TrainJob(), SYNOPSIS).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        checkOptions();
        try (JobSession session = JobSession.open("kindling-train", sparkLogLevel)) {
            SparkSession spark = session.spark();
            if (!overwrite && JobData.exists(spark, output)) {
                throw JobCli.invalid(spec, "--output", output, "a directory that does not exist yet (or pass --overwrite)");
            }
            Dataset<Row> data = JobData.read(spark, "--input", input, format);
            if (partitions > 0) data = data.repartition(partitions);
            PipelineModel fitted = fit(data);
            fitted.write().overwrite().save(output);
            KindlingModel<?> km = (KindlingModel<?>) Arrays.stream(fitted.stages()).filter(s -> s instanceof KindlingModel<?>)
                    .findFirst().orElseThrow();
            TrainingReport.write(spark, output, km.history(), km.trainingHistory(), km.steps(), km.stoppedEarly(),
                    task == Task.classification, summary());
            EpochMetrics last = km.history().get(km.history().size() - 1);
            System.out.println("TrainJob: " + last.line(epochs, task == Task.classification));
            System.out.println("TrainJob: saved the PipelineModel, metrics.json and history/ to " + output);
        }
        return 0;
    }

    private void checkOptions() {
        if (epochs < 1) throw JobCli.invalid(spec, "--epochs", Integer.toString(epochs), "a positive integer");
        if (batchSize < 1) throw JobCli.invalid(spec, "--batch-size", Integer.toString(batchSize), "a positive integer");
        if (localSteps < 1) throw JobCli.invalid(spec, "--local-steps", Integer.toString(localSteps), "a positive integer");
        if (partitions < 0) throw JobCli.invalid(spec, "--partitions", Integer.toString(partitions), "0 (keep the input's) or more");
        if (checkpointInterval < 1) throw JobCli.invalid(spec, "--checkpoint-interval", Integer.toString(checkpointInterval), "a positive integer");
        if (earlyStopping < 0) throw JobCli.invalid(spec, "--early-stopping", Integer.toString(earlyStopping), "0 (off) or more");
        if (!(lr > 0)) throw JobCli.invalid(spec, "--lr", Double.toString(lr), "a number > 0");
        if (!(validationFraction >= 0 && validationFraction < 1)) {
            throw JobCli.invalid(spec, "--validation-fraction", Double.toString(validationFraction), "a number in [0, 1)");
        }
        if (earlyStopping > 0 && validationFraction == 0) {
            throw JobCli.invalid(spec, "--early-stopping", Integer.toString(earlyStopping), "0 when --validation-fraction is 0 (it needs validation rows)");
        }
        if (!KindlingEstimator.OPTIMIZERS.contains(optimizer)) {
            throw JobCli.invalid(spec, "--optimizer", optimizer, "one of " + String.join(", ", KindlingEstimator.OPTIMIZERS));
        }
        try {
            ModelSpec.parse(model);
        } catch (IllegalArgumentException e) {
            throw JobCli.invalid(spec, "--model", model, "a layer spec such as \"Linear(4,16) ReLU Linear(16,3)\" (" + JobCli.firstLine(e.getMessage()) + ")");
        }
        if (featureColumns().isEmpty()) throw JobCli.invalid(spec, "--features", features, "one or more column names, comma-separated");
    }

    private List<String> featureColumns() {
        return Arrays.stream(features.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** Checks the columns, builds the pipeline and fits it on data. */
    PipelineModel fit(Dataset<Row> data) {
        StructType schema = data.schema();
        List<String> cols = featureColumns();
        String where = "--input '" + input + "'";
        for (String c : cols) {
            StructField f = JobData.column(schema, "--features", c, where);
            if (cols.size() > 1 && !(f.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException("--features: column '" + c + "' has type " + f.dataType().simpleString()
                        + "; several feature columns must all be numeric (or name one vector/array column)");
            }
        }
        StructField labelField = JobData.column(schema, "--label", label, where);
        boolean classification = task == Task.classification;
        boolean stringLabel = labelField.dataType() instanceof StringType;
        if (!(labelField.dataType() instanceof NumericType) && !(classification && stringLabel)) {
            throw new IllegalArgumentException("--label: column '" + label + "' has type " + labelField.dataType().simpleString()
                    + "; expected numbers" + (classification ? " (class indices) or strings" : " (regression targets)"));
        }
        List<PipelineStage> stages = new ArrayList<>();
        String labelCol = label;
        StringIndexerModel indexer = null;
        if (stringLabel) {
            // Fitted here, not in the Pipeline, so that IndexToString can be given its labels; "keep"
            // lets PredictJob score rows whose label was never seen (or that have no label column).
            indexer = new StringIndexer().setInputCol(label).setOutputCol(INDEXED).setHandleInvalid("keep").fit(data);
            stages.add(indexer);
            labelCol = INDEXED;
        }
        String featuresCol = cols.get(0);
        if (cols.size() > 1) {
            stages.add(new VectorAssembler().setInputCols(cols.toArray(new String[0])).setOutputCol(ASSEMBLED));
            featuresCol = ASSEMBLED;
        }
        KindlingEstimator<?, ?> estimator = classification ? new KindlingClassifier() : new KindlingRegressor();
        estimator.setFeaturesCol(featuresCol).setLabelCol(labelCol).setModel(model).setOptimizer(optimizer).setLearningRate(lr)
                .setBatchSize(batchSize).setMaxIter(epochs).setLocalSteps(localSteps).setValidationFraction(validationFraction)
                .setEarlyStoppingPatience(earlyStopping).setSeed(seed);
        if (checkpointDir != null) estimator.setCheckpointDir(checkpointDir).setCheckpointInterval(checkpointInterval);
        stages.add(estimator);
        if (indexer != null) {
            stages.add(new IndexToString().setInputCol(estimator.getPredictionCol()).setOutputCol(PREDICTED_LABEL)
                    .setLabels(indexer.labelsArray()[0]));
        }
        System.out.printf(Locale.ROOT, "TrainJob: %s on %s (%s), features %s, label %s, model %s, %s lr %s, batch %d, %d epochs%n",
                task, input, format, cols, label, model, optimizer, lr, batchSize, epochs);
        return new Pipeline().setStages(stages.toArray(new PipelineStage[0])).fit(data);
    }

    /** What metrics.json records about the run besides the metrics. */
    private java.util.Map<String, Object> summary() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("task", task.name());
        m.put("input", input);
        m.put("format", format.sourceName());
        m.put("features", featureColumns());
        m.put("label", label);
        m.put("model", model);
        m.put("optimizer", optimizer);
        m.put("learningRate", lr);
        m.put("batchSize", batchSize);
        m.put("epochs", epochs);
        m.put("validationFraction", validationFraction);
        m.put("seed", seed);
        return m;
    }
}
