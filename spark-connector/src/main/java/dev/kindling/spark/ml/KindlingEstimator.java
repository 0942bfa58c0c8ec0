package dev.kindling.spark.ml;

import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.ModelSpec;
import dev.kindling.spark.data.WeightSpec;
import dev.kindling.spark.train.DistributedTrainer;
import dev.kindling.spark.train.FitResult;
import dev.kindling.spark.train.TrainingLoss;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.util.List;

/**
 * What {@link KindlingClassifier} and {@link KindlingRegressor} share: the Spark ML params of a
 * distributed Kindling fit (columns including MLlib's {@code weightCol}, the network, optimizer, batch size, epochs, local steps, tree
 * depth, validation split, early stopping, checkpoints, image shape, seed), their checks, and
 * {@code fit}, which splits off the validation rows, runs {@link DistributedTrainer} and wraps the
 * trained network in a model. Setters return the concrete estimator, so calls chain.
 *
 * @param <E> the concrete estimator (returned by the setters)
 * @param <M> the model it fits
 */
public abstract class KindlingEstimator<E extends KindlingEstimator<E, M>, M extends KindlingModel<M>> extends Estimator<M>
        implements MLWritable {
    /** The optimizer names {@link #setOptimizer} accepts. */
    public static final List<String> OPTIMIZERS = NamedOptimizer.NAMES;

    private final String uid;
    private final Param<String> featuresCol;
    private final Param<String> labelCol;
    private final Param<String> weightCol;
    private final Param<String> predictionCol;
    private final ModelParam model;
    private final Param<String> modelSpec;
    private final Param<String> optimizer;
    private final DoubleParam learningRate;
    private final DoubleParam momentum;
    private final DoubleParam weightDecay;
    private final IntParam batchSize;
    private final IntParam maxIter;
    private final IntParam localSteps;
    private final IntParam treeDepth;
    private final DoubleParam validationFraction;
    private final IntParam earlyStoppingPatience;
    private final Param<String> checkpointDir;
    private final IntParam checkpointInterval;
    private final IntArrayParam imageShape;
    private final LongParam seed;
    private final Param<String> device;

    protected KindlingEstimator(String uid) {
        this.uid = uid;
        featuresCol = new Param<>(this, "featuresCol", "features column: an ML Vector, array<float|double|int|long>, a number, "
                + "or binary images (with imageShape)");
        labelCol = new Param<>(this, "labelCol", "label column (numeric)");
        weightCol = new Param<>(this, "weightCol", "instance weight column (numeric, >= 0), as in MLlib: each step minimises "
                + "sum w_i * loss_i / sum w_i over the global batch; unset or empty = all weights 1");
        predictionCol = new Param<>(this, "predictionCol", "prediction column name");
        model = new ModelParam(this);
        modelSpec = ModelParam.specParam(this);
        optimizer = new Param<>(this, "optimizer", "optimizer: one of " + NamedOptimizer.NAMES,
                ParamValidators.inArray(NamedOptimizer.NAMES.toArray(new String[0])));
        learningRate = new DoubleParam(this, "learningRate", "the optimizer's learning rate (> 0)", ParamValidators.gt(0.0));
        momentum = new DoubleParam(this, "momentum", "momentum of sgd and rmsprop (>= 0)", ParamValidators.gtEq(0.0));
        weightDecay = new DoubleParam(this, "weightDecay", "weight decay (>= 0); unset keeps the optimizer's PyTorch default",
                ParamValidators.gtEq(0.0));
        batchSize = new IntParam(this, "batchSize", "global batch size, summed over all partitions (> 0)", ParamValidators.gt(0.0));
        maxIter = new IntParam(this, "maxIter", "number of epochs (> 0)", ParamValidators.gt(0.0));
        localSteps = new IntParam(this, "localSteps", "optimizer steps each partition takes per Spark job; 1 = synchronous (>= 1)",
                ParamValidators.gtEq(1.0));
        treeDepth = new IntParam(this, "treeDepth", "depth of the gradient aggregation tree (>= 1)", ParamValidators.gtEq(1.0));
        validationFraction = new DoubleParam(this, "validationFraction", "fraction of rows held out for validation, "
                + "by a seeded random split; 0 = none ([0, 1))", ParamValidators.inRange(0.0, 1.0, true, false));
        earlyStoppingPatience = new IntParam(this, "earlyStoppingPatience", "stop after this many epochs without a lower "
                + "validation loss; 0 = off (>= 0)", ParamValidators.gtEq(0.0));
        checkpointDir = new Param<>(this, "checkpointDir", "directory (any Hadoop path) for training checkpoints; a fit resumes "
                + "from the latest one there");
        checkpointInterval = new IntParam(this, "checkpointInterval", "optimizer steps between checkpoints (>= 1)",
                ParamValidators.gtEq(1.0));
        imageShape = new IntArrayParam(this, "imageShape", "[C, H, W] or [H, W] of binary image features (uint8 pixels)");
        seed = new LongParam(this, "seed", "random seed: initial weights, batch order, validation split");
        device = DeviceParam.of(this, "compute");
        setDefault(featuresCol, "features");
        setDefault(labelCol, "label");
        setDefault(predictionCol, "prediction");
        setDefault(optimizer, "adam");
        setDefault(learningRate, 1e-3);
        setDefault(momentum, 0.0);
        setDefault(batchSize, 128);
        setDefault(maxIter, 10);
        setDefault(localSteps, 1);
        setDefault(treeDepth, 2);
        setDefault(validationFraction, 0.0);
        setDefault(earlyStoppingPatience, 0);
        setDefault(checkpointInterval, 100);
        setDefault(device, "auto");
        setDefault(seed, (long) getClass().getName().hashCode());
    }

    @Override
    public String uid() { return uid; }

    @SuppressWarnings("unchecked")
    private E self() { return (E) this; }

    // ------------------------------------------------------------------ params

    public Param<String> featuresCol() { return featuresCol; }

    public Param<String> labelCol() { return labelCol; }

    public Param<String> weightCol() { return weightCol; }

    public Param<String> predictionCol() { return predictionCol; }

    public Param<ModelFactory> model() { return model; }

    public Param<String> optimizer() { return optimizer; }

    public DoubleParam learningRate() { return learningRate; }

    public DoubleParam momentum() { return momentum; }

    public DoubleParam weightDecay() { return weightDecay; }

    public IntParam batchSize() { return batchSize; }

    public IntParam maxIter() { return maxIter; }

    public IntParam localSteps() { return localSteps; }

    public IntParam treeDepth() { return treeDepth; }

    public DoubleParam validationFraction() { return validationFraction; }

    public IntParam earlyStoppingPatience() { return earlyStoppingPatience; }

    public Param<String> checkpointDir() { return checkpointDir; }

    public IntParam checkpointInterval() { return checkpointInterval; }

    public IntArrayParam imageShape() { return imageShape; }

    public LongParam seed() { return seed; }

    public Param<String> device() { return device; }

    // ------------------------------------------------------------------ getters

    public String getFeaturesCol() { return getOrDefault(featuresCol); }

    public String getLabelCol() { return getOrDefault(labelCol); }

    /** The instance weight column, or null when the rows are unweighted (unset or empty, as MLlib treats it). */
    public String getWeightCol() { return isDefined(weightCol) && !getOrDefault(weightCol).isEmpty() ? getOrDefault(weightCol) : null; }

    public String getPredictionCol() { return getOrDefault(predictionCol); }

    /** The network's factory (a {@link ModelSpec} when set from a string); null when not set yet. */
    public ModelFactory getModel() { return ModelParam.resolve(this, model, modelSpec); }

    /** The network as a layer spec string (what Spark Connect clients set). */
    public Param<String> modelSpec() { return modelSpec; }

    public String getOptimizer() { return getOrDefault(optimizer); }

    public double getLearningRate() { return (Double) getOrDefault(learningRate); }

    public double getMomentum() { return (Double) getOrDefault(momentum); }

    /** The weight decay in effect: the one set, else the optimizer's PyTorch default. */
    public double getWeightDecay() {
        return isDefined(weightDecay) ? (Double) getOrDefault(weightDecay) : NamedOptimizer.defaultWeightDecay(getOptimizer());
    }

    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }

    public int getMaxIter() { return (Integer) getOrDefault(maxIter); }

    public int getLocalSteps() { return (Integer) getOrDefault(localSteps); }

    public int getTreeDepth() { return (Integer) getOrDefault(treeDepth); }

    public double getValidationFraction() { return (Double) getOrDefault(validationFraction); }

    public int getEarlyStoppingPatience() { return (Integer) getOrDefault(earlyStoppingPatience); }

    /** The checkpoint directory, or null when the fit writes no checkpoints. */
    public String getCheckpointDir() { return isDefined(checkpointDir) ? getOrDefault(checkpointDir) : null; }

    public int getCheckpointInterval() { return (Integer) getOrDefault(checkpointInterval); }

    /** The image shape of binary features, or null when unset. */
    public int[] getImageShape() { return isDefined(imageShape) ? getOrDefault(imageShape).clone() : null; }

    public long getSeed() { return (Long) getOrDefault(seed); }

    public String getDevice() { return getOrDefault(device); }

    // ------------------------------------------------------------------ setters

    public E setFeaturesCol(String v) { set(featuresCol, v); return self(); }

    public E setLabelCol(String v) { set(labelCol, v); return self(); }

    /** A numeric column of instance weights >= 0 (null, NaN and negative weights fail naming the column and row). */
    public E setWeightCol(String v) { set(weightCol, v); return self(); }

    public E setPredictionCol(String v) { set(predictionCol, v); return self(); }

    /** The network as a layer spec, e.g. {@code "Linear(4,16) ReLU Linear(16,3)"} (see {@link ModelSpec}). */
    public E setModel(String spec) {
        set(modelSpec, spec);
        clear(model);
        return self();
    }

    /** The network as a factory; saved with the stage by Java serialization unless it is a {@link ModelSpec}. */
    public E setModel(ModelFactory factory) {
        if (factory == null) throw new IllegalArgumentException("setModel: the model factory is null");
        if (factory instanceof ModelSpec spec) return setModel(spec.text());
        set(model, factory);
        clear(modelSpec);
        return self();
    }

    /** One of "adam", "adamw", "sgd", "rmsprop", "adagrad". */
    public E setOptimizer(String v) {
        NamedOptimizer.check(v, 0);
        set(optimizer, v);
        return self();
    }

    public E setLearningRate(double v) { set(learningRate, checkPositive("learningRate", v)); return self(); }

    public E setMomentum(double v) { set(momentum, checkNonNegative("momentum", v)); return self(); }

    public E setWeightDecay(double v) { set(weightDecay, checkNonNegative("weightDecay", v)); return self(); }

    public E setBatchSize(int v) { set(batchSize, checkPositive("batchSize", v)); return self(); }

    /** The number of epochs. */
    public E setMaxIter(int v) { set(maxIter, checkPositive("maxIter", v)); return self(); }

    /** The same as {@link #setMaxIter}: epochs, in PyTorch's word. */
    public E setEpochs(int v) { return setMaxIter(v); }

    public E setLocalSteps(int v) { set(localSteps, checkPositive("localSteps", v)); return self(); }

    public E setTreeDepth(int v) { set(treeDepth, checkPositive("treeDepth", v)); return self(); }

    public E setValidationFraction(double v) {
        if (!(v >= 0 && v < 1)) throw new IllegalArgumentException("validationFraction must be in [0, 1) but got " + v);
        set(validationFraction, v);
        return self();
    }

    public E setEarlyStoppingPatience(int v) { set(earlyStoppingPatience, checkNonNegative("earlyStoppingPatience", v)); return self(); }

    public E setCheckpointDir(String v) {
        if (v == null || v.isBlank()) throw new IllegalArgumentException("checkpointDir must be a path but got '" + v + "'");
        set(checkpointDir, v);
        return self();
    }

    public E setCheckpointInterval(int v) { set(checkpointInterval, checkPositive("checkpointInterval", v)); return self(); }

    /** The [C, H, W] (or [H, W]) shape of binary image features. */
    public E setImageShape(int... v) { set(imageShape, StageSchemas.imageShape(v)); return self(); }

    public E setSeed(long v) { set(seed, v); return self(); }

    /**
     * Where executors compute: "auto" (default: the GPU Spark assigned to the task, else the CPU
     * with one WARN line per executor), "cpu", "cuda" (the assigned GPU; the fit fails naming what
     * is missing when there is none) or "cuda:N". A CUDA device needs kindling-cuda on the class path.
     */
    public E setDevice(String v) { set(device, DeviceParam.check(v)); return self(); }

    private static double checkPositive(String name, double v) {
        if (!(v > 0)) throw new IllegalArgumentException(name + " must be > 0 but got " + v);
        return v;
    }

    private static int checkPositive(String name, int v) {
        if (v <= 0) throw new IllegalArgumentException(name + " must be > 0 but got " + v);
        return v;
    }

    private static int checkNonNegative(String name, int v) {
        if (v < 0) throw new IllegalArgumentException(name + " must be >= 0 but got " + v);
        return v;
    }

    private static double checkNonNegative(String name, double v) {
        if (!(v >= 0)) throw new IllegalArgumentException(name + " must be >= 0 but got " + v);
        return v;
    }

    // ------------------------------------------------------------------ fitting

    /** Whether labels are class indices (cross entropy) or real targets (mean squared error). */
    abstract boolean classification();

    /** Wraps a finished fit in this estimator's model (params are copied by the caller). */
    abstract M newModel(FitResult fit);

    /** The schema with the model's output columns appended (checking they are new). */
    abstract StructType appendOutputs(StructType schema);

    @Override
    public StructType transformSchema(StructType schema) {
        StageSchemas.features(schema, getFeaturesCol(), getImageShape());
        StageSchemas.label(schema, getLabelCol(), classification());
        if (getWeightCol() != null) WeightSpec.of(schema, getWeightCol());
        return appendOutputs(schema);
    }

    @Override
    public M fit(Dataset<?> dataset) {
        transformSchema(dataset.schema(), true);
        ModelFactory factory = getModel();
        if (factory == null) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " " + uid + " has no model: call setModel(\"Linear(4,16) "
                    + "ReLU Linear(16,3)\") or setModel(ModelFactory) first");
        }
        NamedOptimizer opt = new NamedOptimizer(getOptimizer(), getLearningRate(), getMomentum(),
                isDefined(weightDecay) ? (Double) getOrDefault(weightDecay) : null);
        Dataset<Row> train = dataset.toDF();
        Dataset<Row> validation = null;
        double fraction = getValidationFraction();
        if (fraction > 0) {
            Dataset<Row>[] parts = train.randomSplit(new double[] {1 - fraction, fraction}, getSeed());
            train = parts[0];
            validation = parts[1];
            if (validation.isEmpty()) {
                throw new IllegalArgumentException("validationFraction " + fraction + " left no validation rows (seed " + getSeed()
                        + "); raise it or set it to 0");
            }
        } else if (getEarlyStoppingPatience() > 0) {
            throw new IllegalArgumentException("earlyStoppingPatience " + getEarlyStoppingPatience()
                    + " needs validation rows: set validationFraction > 0");
        }
        DistributedTrainer.Builder b = DistributedTrainer.builder()
                .model(factory)
                .loss(classification() ? TrainingLoss.crossEntropy() : TrainingLoss.mse())
                .optimizer(opt)
                .features(getFeaturesCol())
                .label(getLabelCol(), classification())
                .weight(getWeightCol())
                .batchSize(getBatchSize())
                .epochs(getMaxIter())
                .seed(getSeed())
                .localSteps(getLocalSteps())
                .treeDepth(getTreeDepth())
                .earlyStopping(getEarlyStoppingPatience())
                .device(getDevice());
        if (getImageShape() != null) b.imageShape(getImageShape());
        if (getCheckpointDir() != null) b.checkpoint(getCheckpointDir(), getCheckpointInterval());
        FitResult fit = b.build().fit(train, validation);
        M fitted = copyValues(newModel(fit), ParamMap.empty());
        return fitted.setParent(this);
    }

    @Override
    public MLWriter write() { return new StagePersistence.Writer(this, null); }
}
