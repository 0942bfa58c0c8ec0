package dev.kindling.spark.ml;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.ModelSpec;
import dev.kindling.nn.Module;
import dev.kindling.spark.data.FeatureSpec;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.EpochMetrics;
import dev.kindling.spark.train.FitResult;
import dev.kindling.spark.train.ModelState;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import dev.kindling.tensor.Tensors;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.attribute.AttributeGroup;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/**
 * What {@link KindlingClassificationModel} and {@link KindlingRegressionModel} share: the trained
 * network (on the driver) with its training history, the params inference needs (features column,
 * prediction column, image shape, the network's factory), {@code transform}, which broadcasts the
 * weights once and runs {@link InferenceTask} on every partition, and saving (weights as
 * safetensors with PyTorch keys, see {@link StagePersistence}).
 *
 * @param <M> the concrete model (returned by the setters)
 */
public abstract class KindlingModel<M extends KindlingModel<M>> extends Model<M> implements MLWritable {
    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> predictionCol;
    private final ModelParam model;
    private final Param<String> modelSpec;
    private final IntArrayParam imageShape;
    private final Param<String> device;
    private FitResult fit;
    private int chunkRows = InferenceTask.CHUNK_ROWS;

    KindlingModel(String uid, FitResult fit) {
        this.uid = uid;
        this.fit = fit;
        featuresCol = new Param<>(this, "featuresCol", "features column: an ML Vector, array<float|double|int|long>, a number, "
                + "or binary images (with imageShape)");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        model = new ModelParam(this);
        modelSpec = ModelParam.specParam(this);
        imageShape = new IntArrayParam(this, "imageShape", "[C, H, W] or [H, W] of binary image features (uint8 pixels)");
        device = DeviceParam.of(this, "predict");
        setDefault(featuresCol, "features");
        setDefault(predictionCol, "prediction");
        setDefault(device, "auto");
    }

    @Override
    public String uid() { return uid; }

    @SuppressWarnings("unchecked")
    M self() { return (M) this; }

    public Param<String> featuresCol() { return featuresCol; }

    public Param<String> predictionCol() { return predictionCol; }

    public Param<ModelFactory> model() { return model; }

    public IntArrayParam imageShape() { return imageShape; }

    public String getFeaturesCol() { return getOrDefault(featuresCol); }

    public String getPredictionCol() { return getOrDefault(predictionCol); }

    /** Where {@code transform}'s tasks compute; a fitted model starts with its estimator's setting. */
    public Param<String> device() { return device; }

    public String getDevice() { return getOrDefault(device); }

    /** The factory of the network's architecture (a {@link ModelSpec} when it was given as a string). */
    public ModelFactory getModel() { return ModelParam.resolve(this, model, modelSpec); }

    /** The network as a layer spec string, when it was given as one. */
    public Param<String> modelSpec() { return modelSpec; }

    /** The image shape of binary features, or null when unset. */
    public int[] getImageShape() { return isDefined(imageShape) ? getOrDefault(imageShape).clone() : null; }

    public M setFeaturesCol(String v) { set(featuresCol, v); return self(); }

    public M setPredictionCol(String v) { set(predictionCol, v); return self(); }

    /**
     * Where {@code transform}'s tasks compute: "auto" (the GPU Spark assigned to the task, else the
     * CPU with one WARN line per executor), "cpu", "cuda" (the assigned GPU; the task fails naming
     * what is missing when there is none) or "cuda:N". Single-row {@code predict} stays on the driver's CPU.
     */
    public M setDevice(String v) { set(device, DeviceParam.check(v)); return self(); }

    /** The [C, H, W] (or [H, W]) shape of binary image features. */
    public M setImageShape(int... v) { set(imageShape, StageSchemas.imageShape(v)); return self(); }

    /** The trained network (live, on the driver: changing it changes later transforms). */
    public Module module() { return fit.model(); }

    /** Per-epoch training and validation metrics, in order. */
    public List<EpochMetrics> history() { return fit.history(); }

    /** The fit's history (rows every few steps and per epoch; a loaded model has the epoch rows). */
    public dev.kindling.metrics.TrainingHistory trainingHistory() { return fit.trainingHistory(); }

    /** Optimizer steps the fit took. */
    public long steps() { return fit.steps(); }

    /** Whether early stopping ended the fit. */
    public boolean stoppedEarly() { return fit.stoppedEarly(); }

    FitResult fit() { return fit; }

    /** Rows per inference chunk (tests use small chunks to cover partitions of several chunks). */
    M chunkRows(int rows) {
        chunkRows = rows;
        return self();
    }

    /**
     * The network's output for one sample, on the driver (eval mode, no autograd): features as the
     * network takes them, flattened (image pixels already scaled to [0, 1], in C, H, W order); the
     * single-row counterpart of {@code transform}, as MLlib's {@code predict(features)}.
     */
    Tensor forwardOne(Vector features) {
        if (fit == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + uid + " has no trained network: fit an estimator or load a saved model");
        }
        float[] x = new float[features.size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) features.apply(i);
        int[] sample = getImageShape() != null ? getImageShape() : new int[] {x.length};
        int[] shape = new int[sample.length + 1];
        shape[0] = 1;
        System.arraycopy(sample, 0, shape, 1, sample.length);
        if (Shapes.numel(sample) != x.length) {
            throw new IllegalArgumentException("features vector has " + x.length + " values but imageShape " + Arrays.toString(sample)
                    + " holds " + Shapes.numel(sample));
        }
        Module m = fit.model();
        boolean training = m.isTraining();
        try (var g = GradMode.noGrad()) {
            m.eval();
            return m.forward(Tensors.fromArray(x, shape));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the model cannot take a features vector of " + x.length + " values: " + e.getMessage(), e);
        } finally {
            m.train(training);
        }
    }

    /** Set once by the reader, after the saved params (which name the architecture) are in place. */
    void attach(FitResult loaded) { this.fit = loaded; }

    /** The columns inference appends. */
    abstract InferenceTask.Outputs outputs();

    /** The schema with the output columns appended (checking they are new). */
    abstract StructType appendOutputs(StructType schema);

    /** Checks, on the driver, the network's output for one sample (shape [1, ...]) against this model's params. */
    void checkNetworkOutput(dev.kindling.tensor.Tensor oneSample) {}

    @Override
    public StructType transformSchema(StructType schema) {
        StageSchemas.features(schema, getFeaturesCol(), getImageShape());
        return appendOutputs(schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        StructType input = dataset.schema();
        StructType output = transformSchema(input, true);
        FeatureSpec features = StageSchemas.features(input, getFeaturesCol(), getImageShape());
        if (getModel() == null || fit == null) {
            throw new IllegalStateException(getClass().getSimpleName() + " " + uid + " has no trained network: fit an estimator or load a saved model");
        }
        checkWidth(dataset, features);
        SparkSession spark = dataset.sparkSession();
        Broadcast<ModelState> weights = JavaSparkContext.fromSparkContext(spark.sparkContext())
                .broadcast(ModelState.of(fit.model()));
        InferenceTask task = new InferenceTask(getModel(), weights, features, input, outputs(), chunkRows, getDevice());
        RDD<InternalRow> rows = SparkInternals.internalRows(dataset).mapPartitionsWithIndex(task, true).rdd();
        return SparkInternals.dataFrame(spark, rows, output);
    }

    /**
     * Fails on the driver, before any row is predicted, when the network cannot take the features:
     * the sample shape comes from the schema (scalars, images), a Vector's ML attribute metadata, or
     * else the first non-null row (one small job; not for streaming DataFrames, whose rows are
     * checked as they come, on the executors).
     */
    private void checkWidth(Dataset<?> dataset, FeatureSpec features) {
        String column = getFeaturesCol();
        int[] shape = switch (features.kind()) {
            case SCALARS, IMAGE -> features.shape();
            case VECTOR -> {
                int size = AttributeGroup.fromStructField(dataset.schema().apply(column)).size();
                yield size >= 0 ? new int[] {size} : firstRowWidth(dataset, org.apache.spark.ml.functions.vector_to_array(
                        functions.col(column), "float64"));
            }
            case ARRAY -> firstRowWidth(dataset, functions.col(column));
            case ARROW_WRITER -> null;
        };
        if (shape != null) checkNetworkOutput(DistributedTrainer.probe(fit.model(), shape, column));
    }

    /** The length of the first non-null value of an array expression over the features column (null if none, or streaming). */
    private int[] firstRowWidth(Dataset<?> dataset, org.apache.spark.sql.Column array) {
        if (dataset.isStreaming()) return null;
        List<Row> first = dataset.toDF().where(functions.col(getFeaturesCol()).isNotNull())
                .select(functions.size(array)).limit(1).collectAsList();
        return first.isEmpty() ? null : new int[] {first.get(0).getInt(0)};
    }

    @Override
    public MLWriter write() { return new StagePersistence.Writer(this, fit); }
}
