package dev.kindling.spark.train;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kindling.io.Checkpoint;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.optim.Adam;
import dev.kindling.optim.GradClipping;
import dev.kindling.optim.LRScheduler;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;
import dev.kindling.spark.data.CachedDataset;
import dev.kindling.spark.data.FeatureSpec;
import dev.kindling.spark.data.LabelSpec;
import dev.kindling.spark.data.WeightSpec;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Tensor;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * Trains a Kindling model on a Spark DataFrame, data-parallel, with the optimizer on the driver
 * (MLlib's runMiniBatchSGD pattern). The training DataFrame is converted to Arrow batches once and
 * cached on the executors. Each step the driver broadcasts the parameters as one flat buffer,
 * every partition computes the gradient sum over its rows of the global batch, a tree aggregation
 * of depth {@code treeDepth} returns (gradient sum, loss sum, count), and the driver divides,
 * optionally clips, and steps its optimizer (any Kindling optimizer and scheduler). BatchNorm
 * running statistics are averaged over the partitions the same way.
 *
 * <p>With {@code localSteps = K > 1} each partition instead takes K optimizer steps of its own
 * from the broadcast parameters and optimizer state, and the driver averages the resulting
 * parameters, buffers and optimizer state (weighted by rows) - one Spark job per K steps. The
 * optimizer's per-parameter state (momentum, Adam's moments) is averaged like the parameters and
 * carried to the next round; its step count advances by K per round.
 *
 * <p>The same seed and the same partitioning give the same final parameters, run after run (see
 * {@link TreeSum}); with a checkpoint directory, a restarted fit resumes from the latest checkpoint
 * and ends with exactly the parameters of an uninterrupted run.
 */
public final class DistributedTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(DistributedTrainer.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Builder settings;
    private final String jobTag;

    private DistributedTrainer(Builder builder) {
        this.settings = builder;
        this.jobTag = builder.jobTag != null ? builder.jobTag : "kindling-fit-" + UUID.randomUUID();
    }

    public static Builder builder() { return new Builder(); }

    /** The fit's settings; only {@code model} and the feature/label columns are required. */
    public static final class Builder {
        ModelFactory model;
        TrainingLoss loss = TrainingLoss.crossEntropy();
        OptimizerFactory optimizer = params -> new Adam(params, 1e-3);
        SchedulerFactory scheduler;
        boolean schedulerPerStep;
        double clipGradNorm;
        List<String> features;
        int[] imageShape;
        String label;
        String weight;
        boolean classification = true;
        int batchSize = 128;
        int epochs = 5;
        long maxSteps;
        long seed;
        int localSteps = 1;
        int treeDepth = 2;
        String aggregationMode = "tree";
        int aggregationShards;
        String gradientPrecision = "float32";
        GradientAggregation aggregation = GradientAggregation.TREE;
        int rowsPerBatch = 16384;
        boolean checkNaN = true;
        String checkpointDir;
        int checkpointEvery;
        int checkpointsKept = 3;
        int earlyStoppingPatience;
        Consumer<String> progress;
        int historyEvery;
        java.util.function.LongConsumer onStep;
        String jobTag;
        String device = "auto";

        public Builder model(ModelFactory v) { model = v; return this; }

        /**
         * Where executors compute: "auto" (the default) the GPU Spark assigned to the task, else the
         * CPU with one WARN line per executor; "cpu"; "cuda" the assigned GPU (device 0 without an
         * assignment), failing the fit when it cannot be used; "cuda:N" that device. Gradients
         * return to the driver, whose optimizer steps on the CPU, for treeAggregate as on the CPU.
         */
        public Builder device(String v) { device = dev.kindling.spark.gpu.GpuAssignment.checkSetting("device", v); return this; }

        public Builder loss(TrainingLoss v) { loss = v; return this; }

        public Builder optimizer(OptimizerFactory v) { optimizer = v; return this; }

        /** A scheduler stepped once per epoch, or once per optimizer step when perStep. */
        public Builder scheduler(SchedulerFactory v, boolean perStep) { scheduler = v; schedulerPerStep = perStep; return this; }

        /** Clips the global gradient norm before each driver step (0 = off). */
        public Builder clipGradNorm(double v) { clipGradNorm = v; return this; }

        /** One features column (array, Vector or binary with {@link #imageShape}) or several numeric columns. */
        public Builder features(String... columns) { features = List.of(columns); return this; }

        /** The [C, H, W] (or [H, W]) shape of binary image features. */
        public Builder imageShape(int... shape) { imageShape = shape.clone(); return this; }

        /** The label column; classification labels are class indices, otherwise real targets. */
        public Builder label(String column, boolean classIndex) { label = column; classification = classIndex; return this; }

        /**
         * An instance-weight column (null = none), as MLlib's {@code weightCol}: each step minimises
         * sum w_i * loss_i / sum w_i over the global batch.
         */
        public Builder weight(String column) { weight = column; return this; }

        /** The global batch size (summed over all partitions). */
        public Builder batchSize(int v) { batchSize = v; return this; }

        public Builder epochs(int v) { epochs = v; return this; }

        /** Stop after this many optimizer steps (0 = run all epochs). */
        public Builder maxSteps(long v) { maxSteps = v; return this; }

        public Builder seed(long v) { seed = v; return this; }

        /** Optimizer steps each partition takes per Spark job (1 = synchronous gradient aggregation). */
        public Builder localSteps(int v) { localSteps = v; return this; }

        public Builder treeDepth(int v) { treeDepth = v; return this; }

        /**
         * How synchronous steps sum the gradients: "tree" (default; shards 0) or "sharded" with
         * shards >= 1 slices of the gradient, each summed by its own task (see {@link GradientAggregation}).
         */
        public Builder aggregation(String mode, int shards) { aggregationMode = mode; aggregationShards = shards; return this; }

        /** "float32" (default) or "bfloat16": the precision gradients travel in (bfloat16 needs sharded aggregation). */
        public Builder gradientPrecision(String v) { gradientPrecision = v; return this; }

        /** Rows per Arrow record batch on the executors. */
        public Builder rowsPerBatch(int v) { rowsPerBatch = v; return this; }

        /** Reject NaN or infinite features before training (default true). */
        public Builder checkNaN(boolean v) { checkNaN = v; return this; }

        /** A checkpoint every n steps into dir (any Hadoop path); an existing checkpoint there is resumed. */
        public Builder checkpoint(String dir, int everySteps) { checkpointDir = dir; checkpointEvery = everySteps; return this; }

        /** How many of the newest checkpoints are kept (default 3); older ones are deleted. */
        public Builder checkpointsKept(int v) { checkpointsKept = v; return this; }

        /** Stop when the validation loss has not improved for this many epochs (0 = off). */
        public Builder earlyStopping(int patience) { earlyStoppingPatience = patience; return this; }

        /** Receives each epoch's progress line (besides the log). */
        public Builder progress(Consumer<String> v) { progress = v; return this; }

        /**
         * A row of the fit's {@link FitResult#trainingHistory()} every n optimizer steps (0, the
         * default, = ten rows per epoch); epochs always get a row of their own.
         */
        public Builder historyEvery(int n) { historyEvery = n; return this; }

        /** Called on the driver after each synchronous step or local round (and its checkpoint, if one was due) with the step count. */
        public Builder onStep(java.util.function.LongConsumer v) { onStep = v; return this; }

        /**
         * The Spark job tag every job of this trainer's fits carries (default: kindling-fit- and a
         * random UUID, one per {@link #build()}); see {@link DistributedTrainer#jobTag()}.
         */
        public Builder jobTag(String v) {
            if (v == null || v.isEmpty() || v.contains(",")) {
                throw new IllegalArgumentException("DistributedTrainer: a job tag must be non-empty without ',' but got '" + v + "'");
            }
            jobTag = v;
            return this;
        }

        public DistributedTrainer build() {
            if (model == null) throw new IllegalArgumentException("DistributedTrainer: a model factory is required");
            if (features == null || features.isEmpty()) throw new IllegalArgumentException("DistributedTrainer: features columns are required");
            if (label == null) throw new IllegalArgumentException("DistributedTrainer: a label column is required");
            if (batchSize <= 0) throw new IllegalArgumentException("DistributedTrainer: batchSize must be positive but got " + batchSize);
            if (epochs <= 0 && maxSteps <= 0) throw new IllegalArgumentException("DistributedTrainer: epochs must be positive but got " + epochs);
            if (localSteps < 1) throw new IllegalArgumentException("DistributedTrainer: localSteps must be >= 1 but got " + localSteps);
            if (treeDepth < 1) throw new IllegalArgumentException("DistributedTrainer: treeDepth must be >= 1 but got " + treeDepth);
            aggregation = GradientAggregation.of(aggregationMode, aggregationShards, gradientPrecision, localSteps);
            if (historyEvery < 0) throw new IllegalArgumentException("DistributedTrainer: historyEvery must be >= 0 but got " + historyEvery);
            if (rowsPerBatch < 1) throw new IllegalArgumentException("DistributedTrainer: rowsPerBatch must be >= 1 but got " + rowsPerBatch);
            if (maxSteps < 0) throw new IllegalArgumentException("DistributedTrainer: maxSteps must be >= 0 but got " + maxSteps);
            if (!(clipGradNorm >= 0)) throw new IllegalArgumentException("DistributedTrainer: clipGradNorm must be >= 0 but got " + clipGradNorm);
            if (earlyStoppingPatience < 0) {
                throw new IllegalArgumentException("DistributedTrainer: earlyStopping patience must be >= 0 but got " + earlyStoppingPatience);
            }
            if (checkpointDir != null && checkpointEvery <= 0) {
                throw new IllegalArgumentException("DistributedTrainer: checkpoint interval must be positive but got " + checkpointEvery);
            }
            if (checkpointsKept < 1) {
                throw new IllegalArgumentException("DistributedTrainer: checkpointsKept must be >= 1 but got " + checkpointsKept);
            }
            return new DistributedTrainer(this);
        }
    }

    /** Converts the data, trains, frees the executors' caches, and returns the model and history. */
    public FitResult fit(Dataset<Row> train, Dataset<Row> validation) {
        FeatureSpec fs = naming("training", () -> featureSpec(train));
        LabelSpec ls = naming("training", () -> LabelSpec.of(train.schema(), settings.label, settings.classification));
        if (validation != null) {
            FeatureSpec vfs = naming("validation", () -> featureSpec(validation));
            if (vfs.kind() != fs.kind()) {
                throw new IllegalArgumentException("validation features have kind " + vfs.kind() + " but training features have " + fs.kind());
            }
            naming("validation", () -> LabelSpec.of(validation.schema(), settings.label, settings.classification));
            if (settings.weight != null) naming("validation", () -> WeightSpec.of(validation.schema(), settings.weight));
        }
        WeightSpec ws = settings.weight == null ? null : naming("training", () -> WeightSpec.of(train.schema(), settings.weight));
        SparkContext sc = train.sparkSession().sparkContext();
        String fitId = UUID.randomUUID().toString();
        try (FitJobScope jobs = new FitJobScope(sc, jobTag)) {
            CachedDataset data = CachedDataset.convert(train, "training", fs, ls, ws, settings.rowsPerBatch, settings.checkNaN);
            CachedDataset val = null;
            try {
                val = validation == null ? null
                        : CachedDataset.convert(validation, "validation", fs, ls, ws, settings.rowsPerBatch, settings.checkNaN);
                if (val != null && !java.util.Arrays.equals(val.sampleShape(), data.sampleShape())) {
                    throw new IllegalArgumentException("validation samples have shape " + java.util.Arrays.toString(val.sampleShape())
                            + " but training samples have " + java.util.Arrays.toString(data.sampleShape()));
                }
                return new Run(sc, jobs, fitId, data, val).train();
            } finally {
                if (val != null) val.close();
                data.close();
            }
        }
    }

    /**
     * The Spark job tag this trainer's fits give their jobs, on the thread that calls
     * {@link #fit}: another thread can stop a fit in progress with
     * {@code sparkContext.cancelJobsWithTag(trainer.jobTag())}. The tag is removed, and the
     * caller's job description and group put back, when the fit returns.
     */
    public String jobTag() { return jobTag; }

    private FeatureSpec featureSpec(Dataset<Row> df) {
        return settings.features.size() == 1 ? FeatureSpec.of(df.schema(), settings.features.get(0), settings.imageShape)
                : FeatureSpec.scalars(df.schema(), settings.features);
    }

    /** Runs a schema check, naming the DataFrame (training, validation) in its error. */
    private static <T> T naming(String role, java.util.function.Supplier<T> check) {
        try {
            return check.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(role + " DataFrame: " + e.getMessage(), e);
        }
    }

    /**
     * One fit in progress: the data, the driver's model, optimizer and scheduler, and where the
     * fit stands (step, epoch, the epoch's running totals, early stopping), which checkpoints save
     * and a resumed fit restores.
     */
    private final class Run {
        final SparkContext sc;
        final JavaSparkContext jsc;
        final FitJobScope jobs;
        final String fitId;
        final CachedDataset data;
        final CachedDataset val;
        /** The per-step jobs over data and val, without their lineage (see {@link CachedBlocksRDD}). */
        final CachedSteps dataSteps;
        final CachedSteps valSteps;
        final Module model;
        final FlatLayout layout;
        final Optimizer opt;
        final LRScheduler sched;
        final StepPlanner planner;
        final HadoopCheckpoints checkpoints;
        final List<EpochMetrics> history = new ArrayList<>();
        final FitReporter reporter;
        /** Optimizer steps taken, over all epochs. */
        long step;
        /** Epochs finished. */
        int epoch;
        /** Steps taken in the epoch in progress. */
        int stepInEpoch;
        /** The step this run started from (0, or the resumed checkpoint's). */
        long startStep;
        EpochTotals epochTotals = new EpochTotals();
        EarlyStopping earlyStopping;

        Run(SparkContext sc, FitJobScope jobs, String fitId, CachedDataset data, CachedDataset val) {
            this.sc = sc;
            this.jsc = JavaSparkContext.fromSparkContext(sc);
            this.jobs = jobs;
            this.fitId = fitId;
            this.data = data;
            this.val = val;
            this.dataSteps = new CachedSteps(data);
            this.valSteps = val == null ? null : new CachedSteps(val);
            this.model = buildModel(settings.model, settings.seed);
            this.layout = new FlatLayout(model);
            this.earlyStopping = new EarlyStopping(settings.earlyStoppingPatience);
            this.opt = settings.optimizer.apply(model.parameters());
            this.sched = settings.scheduler == null ? null : settings.scheduler.apply(opt);
            this.planner = new StepPlanner(data.rowsPerPartition(), settings.seed, settings.batchSize);
            this.checkpoints = settings.checkpointDir == null ? null : new HadoopCheckpoints(settings.checkpointDir, sc.hadoopConfiguration(), settings.checkpointsKept);
            this.reporter = new FitReporter(LOG, fitId.substring(0, 8), settings.historyEvery, settings.loss.classification());
            checkModelFitsData();
        }

        /**
         * Runs the model once on a zero sample on the driver, before the first step: a network whose
         * first layer does not take the features, a regression network with more than one output,
         * or a class index beyond a classifier's outputs fails here, naming the column, instead of
         * inside an executor mid-training.
         */
        void checkModelFitsData() {
            int[] sample = data.sampleShape();
            Tensor out = DistributedTrainer.probe(model, sample, featuresName());
            if (out.dim() == 0 || out.size(0) != 1) {
                throw new IllegalArgumentException("the model maps one sample of features column '" + featuresName() + "' (shape "
                        + java.util.Arrays.toString(sample) + ") to output shape " + java.util.Arrays.toString(out.shape())
                        + "; expected the batch dimension first");
            }
            if (!settings.classification) {
                if (out.numel() != 1) {
                    throw new IllegalArgumentException("a regression model must output one value per sample ([N] or [N, 1]) but this "
                            + "one maps features column '" + featuresName() + "' (shape " + java.util.Arrays.toString(sample)
                            + ") to " + java.util.Arrays.toString(out.shape()) + " for one sample");
                }
                return;
            }
            int largest = Math.max(data.maxClassLabel(), val == null ? -1 : val.maxClassLabel());
            if (largest < 0) return;
            int classes = out.size(out.dim() - 1);
            if (largest >= classes) {
                throw new IllegalArgumentException("label column '" + settings.label + "' holds class index " + largest + " but the model outputs "
                        + classes + " classes (indices 0.." + (classes - 1) + ")");
            }
        }

        private String featuresName() {
            return settings.features.size() == 1 ? settings.features.get(0) : settings.features.toString();
        }

        FitResult train() {
            if (checkpoints != null) restore();
            int stepsPerEpoch = planner.stepsPerEpoch();
            boolean stopped = false;
            int epochs = settings.epochs > 0 ? settings.epochs : Integer.MAX_VALUE;
            LOG.info("Kindling fit {}: {} rows in {} partitions, samples {}, global batch {}, {} steps per epoch, {} mode",
                    fitId.substring(0, 8), data.rows(), data.numPartitions(), java.util.Arrays.toString(data.sampleShape()),
                    settings.batchSize, stepsPerEpoch, settings.localSteps == 1 ? "synchronous" : settings.localSteps + " local steps per round");
            try {
                while (epoch < epochs && !stopped) {
                    reporter.epochStarted(epoch + 1, settings.epochs, stepsPerEpoch);
                    while (stepInEpoch < stepsPerEpoch && !maxStepsReached()) {
                        int k = Math.min(settings.localSteps, stepsPerEpoch - stepInEpoch);
                        if (settings.maxSteps > 0) k = (int) Math.min(k, settings.maxSteps - step);
                        if (settings.localSteps == 1) syncStep();
                        else localRound(k);
                        if (checkpoints != null && step % settings.checkpointEvery < k && step > 0) saveCheckpoint();
                        if (settings.onStep != null) settings.onStep.accept(step);
                    }
                    if (stepInEpoch < stepsPerEpoch) break; // maxSteps hit mid-epoch
                    stopped = endEpoch(epochs);
                }
            } finally {
                dropExecutorModels();
            }
            return new FitResult(model, List.copyOf(history), step, stopped, opt, startStep, reporter.history());
        }

        boolean maxStepsReached() { return settings.maxSteps > 0 && step >= settings.maxSteps; }

        ModelState broadcastState() {
            double[] lrs = opt.paramGroups().stream().mapToDouble(ParamGroup::lr).toArray();
            OptimizerState os = settings.localSteps > 1 ? OptimizerState.of(opt, model.parameters()) : OptimizerState.EMPTY;
            return ModelState.of(model, layout, os, lrs);
        }

        void describe(String what) {
            jobs.describe(String.format("Kindling fit %s: epoch %d/%d, %s", fitId.substring(0, 8), epoch + 1,
                    settings.epochs, what));
        }

        void syncStep() {
            long t0 = System.nanoTime();
            StateShipment bc = StateShipment.of(jsc, broadcastState());
            describe("step " + (stepInEpoch + 1) + "/" + planner.stepsPerEpoch());
            int[][] plan = planner.plan(epoch, stepInEpoch);
            Partial total;
            try {
                total = dataSteps.aggregate(settings.aggregation, new SyncStepTask(fitId, settings.model, settings.loss, bc, plan, StepPlanner.mix(settings.seed, step), settings.device),
                        settings.treeDepth);
            } finally {
                bc.release();
            }
            long t1 = System.nanoTime();
            // The gradient of the (weighted) mean loss over the global batch: divide by the global weight sum, not per partition.
            // Without weights weightSum is the row count, exact in float below 2^24, so the figures are unchanged.
            layout.setGrads(model, total.modelSum(), total.weightSum > 0 ? 1.0f / (float) total.weightSum : 0f);
            if (layout.bufferSize() > 0) layout.loadBuffers(model, scaled(total.bufferSum(), 1.0f / total.count));
            advanceIntBuffers(1);
            if (settings.clipGradNorm > 0) GradClipping.clipGradNorm(model.parameters(), settings.clipGradNorm);
            opt.step();
            opt.zeroGrad();
            if (sched != null && settings.schedulerPerStep) sched.step();
            long t2 = System.nanoTime();
            account(total, 1, t0, t1, t2);
        }

        void localRound(int k) {
            long t0 = System.nanoTime();
            StateShipment bc = StateShipment.of(jsc, broadcastState());
            describe("steps " + (stepInEpoch + 1) + "-" + (stepInEpoch + k) + "/" + planner.stepsPerEpoch() + " (local)");
            int[][][] plans = new int[k][][];
            for (int i = 0; i < k; i++) plans[i] = planner.plan(epoch, stepInEpoch + i);
            Partial total;
            try {
                total = dataSteps.aggregate(new LocalRoundTask(fitId, settings.model, settings.loss, settings.optimizer, bc, plans, StepPlanner.mix(settings.seed, step), settings.device),
                        settings.treeDepth);
            } finally {
                bc.release();
            }
            long t1 = System.nanoTime();
            float inv = 1.0f / total.count;
            layout.loadParams(model, scaled(total.modelSum(), inv));
            if (layout.bufferSize() > 0) layout.loadBuffers(model, scaled(total.bufferSum(), inv));
            advanceIntBuffers(k);
            OptimizerState stateSum = total.optimizerStateSum();
            float[][] state = new float[stateSum.keys().length][];
            for (int i = 0; i < state.length; i++) state[i] = scaled(stateSum.values()[i], inv);
            new OptimizerState(stateSum.keys(), state, stateSum.step()).loadInto(opt, model.parameters());
            if (sched != null && settings.schedulerPerStep) for (int i = 0; i < k; i++) sched.step();
            long t2 = System.nanoTime();
            account(total, k, t0, t1, t2);
        }

        private void account(Partial total, int steps, long jobStart, long jobEnd, long driverEnd) {
            epochTotals.addRound(total, steps, jobStart, jobEnd, driverEnd);
            step += steps;
            stepInEpoch += steps;
            reporter.stepsDone(total, steps, step, epoch + 1, stepInEpoch, learningRate());
        }

        double learningRate() { return opt.paramGroups().get(0).lr(); }

        private void advanceIntBuffers(int k) {
            try (var g = dev.kindling.autograd.GradMode.noGrad()) {
                for (Map.Entry<String, Tensor> e : model.namedBuffers().entrySet()) {
                    if (e.getValue().dtype() == DType.INT64 && e.getKey().endsWith("num_batches_tracked")) e.getValue().add_(k);
                }
            }
        }

        /** Ends an epoch: validation, history, progress, scheduler, early stopping. Returns true to stop. */
        boolean endEpoch(int epochs) {
            double valLoss = Double.NaN;
            double valAcc = Double.NaN;
            if (val != null) {
                long t0 = System.nanoTime();
                StateShipment bc = StateShipment.of(jsc, broadcastState());
                describe("validation");
                Partial v;
                try {
                    v = valSteps.aggregate(new EvaluateTask(fitId, settings.model, settings.loss, bc, settings.device), settings.treeDepth);
                } finally {
                    bc.release();
                }
                valLoss = v.lossSum / v.weightSum;
                valAcc = (double) v.correct / v.count;
                epochTotals.wallSec += (System.nanoTime() - t0) / 1e9;
            }
            EpochMetrics m = epochTotals.metrics(epoch + 1, valLoss, valAcc);
            history.add(m);
            reporter.epochEnded(m, step, learningRate());
            String line = m.line(settings.epochs, settings.loss.classification());
            LOG.info("Kindling fit {}: {}", fitId.substring(0, 8), line);
            if (settings.progress != null) settings.progress.accept(line);
            if (sched != null && !settings.schedulerPerStep) sched.step();
            epoch++;
            stepInEpoch = 0;
            epochTotals = new EpochTotals();
            if (earlyStopping.shouldStop(valLoss)) {
                LOG.info("Kindling fit {}: early stop after epoch {}: validation loss has not improved for {} epochs",
                        fitId.substring(0, 8), epoch, earlyStopping.epochsWithoutImprovement);
                return true;
            }
            return false;
        }

        private void saveCheckpoint() {
            Map<String, String> meta = new LinkedHashMap<>();
            try {
                meta.put("kindling.seed", Long.toString(settings.seed));
                meta.put("kindling.epoch", Integer.toString(epoch));
                meta.put("kindling.stepInEpoch", Integer.toString(stepInEpoch));
                meta.put("kindling.history", JSON.writeValueAsString(history));
                meta.put("kindling.epochTotals", JSON.writeValueAsString(epochTotals));
                meta.put("kindling.earlyStopping", JSON.writeValueAsString(earlyStopping));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            checkpoints.save(step, model, opt, sched, meta);
        }

        private void restore() {
            Optional<Checkpoint.Restored> r = checkpoints.restoreLatest(model, opt, sched);
            if (r.isEmpty()) return;
            Map<String, String> meta = r.get().metadata();
            if (!Long.toString(settings.seed).equals(meta.get("kindling.seed"))) {
                throw new IllegalArgumentException("checkpoint " + checkpoints.path(r.get().step()) + " was written by a fit with seed "
                        + meta.get("kindling.seed") + ", not " + settings.seed + "; use another directory to start afresh");
            }
            if (!meta.containsKey("kindling.epochTotals")) {
                throw new IllegalArgumentException("checkpoint " + checkpoints.path(r.get().step()) + " was written by an older Kindling "
                        + "(no kindling.epochTotals); use another directory to start afresh");
            }
            step = r.get().step();
            startStep = step;
            epoch = Integer.parseInt(meta.get("kindling.epoch"));
            stepInEpoch = Integer.parseInt(meta.get("kindling.stepInEpoch"));
            try {
                history.addAll(JSON.readValue(meta.get("kindling.history"), new TypeReference<List<EpochMetrics>>() {}));
                epochTotals = JSON.readValue(meta.get("kindling.epochTotals"), EpochTotals.class);
                earlyStopping = JSON.readValue(meta.get("kindling.earlyStopping"), EarlyStopping.class);
                earlyStopping.patience = settings.earlyStoppingPatience;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            LOG.info("Kindling fit {}: resumed from the checkpoint at step {} (epoch {}, step {} of it)", fitId.substring(0, 8),
                    step, epoch + 1, stepInEpoch);
        }

        private void dropExecutorModels() {
            String id = fitId;
            try {
                jobs.describe("Kindling fit " + fitId.substring(0, 8) + ": release executor models");
                data.rdd().foreachPartition(it -> ExecutorModels.drop(id));
            } catch (RuntimeException e) {
                LOG.warn("Kindling fit {}: could not release executor models: {}", fitId.substring(0, 8), e.toString());
            }
            ExecutorModels.drop(id);
        }
    }

    /**
     * The model's output for one all-zero sample of the given shape (eval mode, no gradients, on
     * the driver); an input the model cannot take is an IllegalArgumentException naming the
     * features column, the sample shape and what the model said.
     */
    public static Tensor probe(Module model, int[] sampleShape, String column) {
        int[] shape = new int[sampleShape.length + 1];
        shape[0] = 1;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        boolean training = model.isTraining();
        try (var noGrad = dev.kindling.autograd.GradMode.noGrad()) {
            model.eval();
            return model.forward(dev.kindling.tensor.Tensors.zeros(shape));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("the model cannot take features column '" + column + "' with samples of shape "
                    + java.util.Arrays.toString(sampleShape) + ": " + e.getMessage(), e);
        } finally {
            model.train(training);
        }
    }

    /**
     * Builds the fit's model with its initial weights drawn from the fit's own generator (seeded
     * with the fit's seed), made the default for this thread while the factory runs: the weights
     * then depend on the seed alone, whatever else the JVM draws meanwhile (another fit, an
     * executor task in local mode), and the process-wide generator is left as it was.
     */
    public static Module buildModel(ModelFactory factory, long seed) {
        Generator previous = Generator.threadDefaultOrNull();
        Generator.setThreadDefault(new Generator(seed));
        try {
            return factory.get();
        } finally {
            Generator.setThreadDefault(previous);
        }
    }

    private static float[] scaled(float[] v, float s) {
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) out[i] = v[i] * s;
        return out;
    }
}
