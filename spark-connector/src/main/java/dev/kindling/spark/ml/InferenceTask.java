package dev.kindling.spark.ml;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.nn.functional.F;
import dev.kindling.spark.data.FeatureSpec;
import dev.kindling.spark.data.PartitionData;
import dev.kindling.spark.data.PartitionWriter;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.train.ExecutorTask;
import dev.kindling.spark.train.ModelState;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.catalyst.InternalRow;
import org.apache.spark.sql.types.StructType;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.function.UnaryOperator;

/**
 * Inference over one partition of a DataFrame's internal rows: the rows are taken in chunks, each
 * chunk's features column goes through the training path ({@link PartitionWriter} to Arrow, then
 * {@link PartitionData#all()}, no label), the broadcast model runs in eval mode without autograd,
 * and every input row comes out unchanged, in order, with the prediction columns appended:
 * {@code rawPrediction} (logits) and {@code probability} (softmax) as ML vectors and
 * {@code prediction} (the argmax class index, or MLlib's thresholded class) for a classifier, {@code prediction} alone for a
 * regressor. The chunk's Arrow memory is freed before the model runs; empty partitions build no
 * model. The model and each chunk's features live on the device the stage's setting gives the
 * task (the GPU Spark assigned to it under "auto"), and only the outputs come back to the host.
 */
final class InferenceTask implements Function2<Integer, Iterator<InternalRow>, Iterator<InternalRow>> {
    /** Rows per inference chunk: bounds the copied rows and the Arrow batch held at once. */
    static final int CHUNK_ROWS = 4096;

    /**
     * Which columns to append: classification (with or without raw and probability vectors; the
     * prediction by MLlib's threshold rule when thresholds is not null) or regression.
     */
    record Outputs(boolean classification, boolean raw, boolean probability, double[] thresholds) implements java.io.Serializable {}

    private final ModelFactory factory;
    private final Broadcast<ModelState> state;
    private final PartitionWriter writer;
    private final int featureOrdinal;
    private final String featureColumn;
    private final StructType projected;
    private final Outputs outputs;
    private final int chunkRows;
    private final String deviceSetting;

    InferenceTask(ModelFactory factory, Broadcast<ModelState> state, FeatureSpec features, StructType input, Outputs outputs,
                  int chunkRows, String deviceSetting) {
        this.factory = factory;
        this.state = state;
        this.featureColumn = features.columns().get(0);
        this.featureOrdinal = input.fieldIndex(featureColumn);
        this.projected = new StructType().add(input.fields()[featureOrdinal]);
        this.writer = new PartitionWriter(features, null, projected, chunkRows, true);
        this.outputs = outputs;
        this.chunkRows = chunkRows;
        this.deviceSetting = deviceSetting;
    }

    @Override
    public Iterator<InternalRow> call(Integer partition, Iterator<InternalRow> rows) {
        if (!rows.hasNext()) return Collections.emptyIterator();
        return new Chunks(partition, rows);
    }

    /** Pulls the input a chunk at a time and hands out the joined rows of the current chunk. */
    private final class Chunks implements Iterator<InternalRow> {
        private final int partition;
        private final Iterator<InternalRow> input;
        private Module model;
        private Device device;
        private List<InternalRow> chunk = List.of();
        private InternalRow[] extras;
        private int next;
        private int firstRow;

        Chunks(int partition, Iterator<InternalRow> input) {
            this.partition = partition;
            this.input = input;
        }

        @Override
        public boolean hasNext() {
            if (next < chunk.size()) return true;
            if (!input.hasNext()) return false;
            firstRow += chunk.size();
            List<InternalRow> rows = new ArrayList<>(chunkRows);
            // Spark reuses the row object between calls: keep copies.
            while (rows.size() < chunkRows && input.hasNext()) rows.add(input.next().copy());
            extras = ExecutorTask.run(() -> predict(rows));
            chunk = rows;
            next = 0;
            return true;
        }

        @Override
        public InternalRow next() {
            if (!hasNext()) throw new NoSuchElementException();
            InternalRow out = SparkInternals.joined(chunk.get(next), extras[next]);
            next++;
            return out;
        }

        private InternalRow[] predict(List<InternalRow> rows) {
            if (model == null) {
                device = ExecutorTask.device(deviceSetting);
                model = ExecutorTask.modelFrom(factory, state.value(), device);
                model.eval();
            }
            Tensor x;
            PartitionData data = writer.write(partition, projectedRows(rows), firstRow);
            try {
                x = data.all()[0].to(device);
            } finally {
                data.close();
            }
            Tensor out;
            try (var g = GradMode.noGrad()) {
                out = model.forward(x);
            } catch (IllegalArgumentException e) {
                // Name the column and the rows: the model's own message only knows tensors.
                throw new IllegalArgumentException("the model cannot take features column '" + featureColumn + "' with samples of "
                        + "shape " + Shapes.str(java.util.Arrays.copyOfRange(x.shape(), 1, x.dim())) + " (rows " + firstRow + "-"
                        + (firstRow + rows.size() - 1) + " of partition " + partition + "): " + e.getMessage(), e);
            }
            return outputs.classification ? classification(out, rows.size()) : regression(out, rows.size());
        }
    }

    private Iterator<InternalRow> projectedRows(List<InternalRow> rows) {
        UnaryOperator<InternalRow> featuresOnly = SparkInternals.projection(projected, featureOrdinal);
        return rows.stream().map(featuresOnly).iterator();
    }

    private InternalRow[] classification(Tensor logits, int n) {
        if (logits.dim() != 2 || logits.size(0) != n) {
            throw new IllegalArgumentException("classifier model output has shape " + Shapes.str(logits.shape()) + " for " + n
                    + " rows; expected logits [" + n + ", classes]");
        }
        int classes = logits.size(1);
        ClassifierOutputParams.checkThresholdCount(outputs.thresholds, classes);
        float[] raw = logits.contiguous().toFloatArray();
        float[] prob = F.softmax(logits, 1).contiguous().toFloatArray();
        InternalRow[] out = new InternalRow[n];
        for (int r = 0; r < n; r++) {
            double[] rawRow = new double[classes];
            double[] probRow = new double[classes];
            for (int c = 0; c < classes; c++) {
                rawRow[c] = raw[r * classes + c];
                probRow[c] = prob[r * classes + c];
            }
            List<Object> values = new ArrayList<>(3);
            if (outputs.raw) values.add(SparkInternals.denseMlVector(rawRow));
            if (outputs.probability) values.add(SparkInternals.denseMlVector(probRow));
            values.add((double) ClassifierOutputParams.predictedClass(rawRow, probRow, outputs.thresholds));
            out[r] = SparkInternals.row(values.toArray());
        }
        return out;
    }

    private static InternalRow[] regression(Tensor output, int n) {
        boolean ok = output.size(0) == n && (output.dim() == 1 || (output.dim() == 2 && output.size(1) == 1));
        if (!ok) {
            throw new IllegalArgumentException("regression model output has shape " + Shapes.str(output.shape()) + " for " + n
                    + " rows; expected [" + n + "] or [" + n + ", 1]");
        }
        float[] y = output.contiguous().toFloatArray();
        InternalRow[] out = new InternalRow[n];
        for (int r = 0; r < n; r++) out[r] = SparkInternals.row((double) y[r]);
        return out;
    }
}
