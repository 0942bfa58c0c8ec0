package dev.kindling.spark;

import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.jobs.DataFormat;
import dev.kindling.spark.jobs.JobCli;
import dev.kindling.spark.jobs.JobData;
import dev.kindling.spark.jobs.JobSession;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Applies a model saved by {@link TrainJob} to a table and writes the predictions:
 * {@code spark-submit --class dev.kindling.spark.PredictJob kindling-spark-assembly.jar --model DIR
 * --input PATH --output PATH}. The output holds the input's columns and the model's outputs
 * ({@code prediction}; for classifiers also {@code probability}, {@code rawPrediction} and, for
 * string labels, {@code predicted_label}), less the pipeline's internal columns. CSV cannot hold
 * vectors, and JSON would write Spark's internal vector struct, so for those two formats vectors
 * become arrays (JSON) or space-separated numbers (CSV).
 */
@Command(name = "PredictJob", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Apply a PipelineModel saved by TrainJob to a Parquet/CSV/LIBSVM/JSON table and write its predictions.")
public final class PredictJob implements Callable<Integer> {
    static final String SYNOPSIS = "spark-submit [SPARK OPTIONS] --class " + PredictJob.class.getName()
            + " kindling-spark-assembly_2.13-VERSION.jar --model DIR --input PATH --output PATH [OPTIONS]";

    /** Formats the predictions can be written in. */
    enum OutputFormat { parquet, csv, json }

    @Spec
    CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "directory TrainJob saved the model to; required")
    String model;

    @Option(names = "--input", required = true, paramLabel = "PATH", description = "rows to score: a file or directory (any Hadoop path); required")
    String input;

    @Option(names = "--format", defaultValue = "parquet", paramLabel = "FORMAT",
            description = "format of --input: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}); csv needs a header row")
    DataFormat format;

    @Option(names = "--output", required = true, paramLabel = "PATH", description = "directory to write the predictions to; required")
    String output;

    @Option(names = "--output-format", defaultValue = "parquet", paramLabel = "FORMAT",
            description = "${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE})")
    OutputFormat outputFormat;

    @Option(names = "--overwrite", description = "replace --output if it exists (default: ${DEFAULT-VALUE})")
    boolean overwrite;

    @Option(names = "--spark-log-level", defaultValue = "WARN", paramLabel = "LEVEL",
            description = "Spark's log level when the job starts Spark: ERROR, WARN, INFO, DEBUG (default: ${DEFAULT-VALUE})")
    String sparkLogLevel;

    public static void main(String[] args) {
        System.exit(JobCli.commandLine(new PredictJob(), SYNOPSIS).execute(args));
    }

    @Override
    public Integer call() {
        try (JobSession session = JobSession.open("kindling-predict", sparkLogLevel)) {
            SparkSession spark = session.spark();
            if (!overwrite && JobData.exists(spark, output)) {
                throw JobCli.invalid(spec, "--output", output, "a path that does not exist yet (or pass --overwrite)");
            }
            PipelineModel pipeline = load(spark);
            Dataset<Row> data = JobData.read(spark, "--input", input, format);
            try {
                pipeline.transformSchema(data.schema());
            } catch (Exception e) { // IllegalArgumentException, or an AnalysisException thrown undeclared
                throw new IllegalArgumentException("--input '" + input + "' does not fit the model in '" + model + "': "
                        + JobCli.firstLine(e.getMessage()), e);
            }
            Dataset<Row> scored = forOutput(pipeline.transform(data).drop(TrainJob.ASSEMBLED, TrainJob.INDEXED));
            scored.write().mode(overwrite ? "overwrite" : "errorifexists").format(outputFormat.name())
                    .option("header", "true").save(output);
            System.out.println("PredictJob: scored " + input + " with " + model + "; predictions (" + outputFormat + ") in " + output);
        }
        return 0;
    }

    private PipelineModel load(SparkSession spark) {
        JobData.requireExists(spark, "--model", model, "a directory saved by TrainJob");
        try {
            return PipelineModel.load(model);
        } catch (Exception e) { // Spark throws AnalysisException (checked) undeclared
            throw new IllegalArgumentException("--model '" + model + "' is not a PipelineModel saved by TrainJob: "
                    + JobCli.firstLine(e.getMessage()), e);
        }
    }

    /** The predictions with vector columns turned into what the output format can hold. */
    private Dataset<Row> forOutput(Dataset<Row> scored) {
        if (outputFormat == OutputFormat.parquet) return scored;
        List<Column> cols = new ArrayList<>();
        for (StructField f : scored.schema().fields()) {
            Column c = functions.col(f.name());
            boolean vector = SparkInternals.isMlVector(f.dataType());
            if (vector) c = org.apache.spark.ml.functions.vector_to_array(c, "float64");
            if (outputFormat == OutputFormat.csv && (vector || f.dataType() instanceof ArrayType)) {
                c = functions.concat_ws(" ", c.cast(DataTypes.createArrayType(DataTypes.StringType)));
            }
            cols.add(c.as(f.name()));
        }
        return scored.select(cols.toArray(new Column[0]));
    }
}
