package dev.kindling.spark.train;

import dev.kindling.autograd.GradMode;
import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.spark.data.PartitionData;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.function.Function2;

import java.util.Iterator;
import java.util.List;

/** Loss sum, correct count and row count of one partition under the broadcast model, in eval mode. */
final class EvaluateTask implements Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> {
    private static final int CHUNK = 2048;
    private final String fitId;
    private final ModelFactory factory;
    private final TrainingLoss loss;
    private final StateShipment state;
    private final String deviceSetting;

    EvaluateTask(String fitId, ModelFactory factory, TrainingLoss loss, StateShipment state, String deviceSetting) {
        this.fitId = fitId;
        this.factory = factory;
        this.loss = loss;
        this.state = state;
        this.deviceSetting = deviceSetting;
    }

    @Override
    public Iterator<Partial> call(Integer partition, Iterator<PartitionData> it) {
        PartitionData data = it.next();
        if (data.rows() == 0) return List.of(Partial.empty(partition)).iterator();
        long start = System.nanoTime();
        Partial p = ExecutorTask.run(() -> {
            Device device = ExecutorTask.device(deviceSetting);
            Module m = ExecutorModels.borrow(fitId, factory, device);
            try (var g = GradMode.noGrad()) {
                ExecutorTask.load(m, state.value());
                m.eval();
                double lossSum = 0;
                double weightSum = 0;
                long correct = 0;
                for (int from = 0; from < data.rows(); from += CHUNK) {
                    int n = Math.min(CHUNK, data.rows() - from);
                    int[] rows = new int[n];
                    for (int i = 0; i < n; i++) rows[i] = from + i;
                    Tensor[] xy = ExecutorTask.gather(fitId, data, rows, device);
                    Tensor out = m.forward(xy[0]);
                    lossSum += loss.sum(out, xy[1], xy[2]).item();
                    weightSum += Partial.weightOf(xy[2], n);
                    if (loss.classification()) correct += loss.correct(out, xy[1]);
                }
                return Partial.ofEvaluation(partition, lossSum, data.rows(), correct).weighted(weightSum);
            } finally {
                m.train();
                ExecutorModels.release(fitId, device, m);
            }
        });
        p.computeNanos = System.nanoTime() - start;
        return List.of(p).iterator();
    }
}
