package dev.kindling.spark.train;

import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.spark.data.PartitionData;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.function.Function2;

import java.util.Iterator;
import java.util.List;

/**
 * One synchronous training step on one partition: forward and backward over the partition's rows
 * of the global batch with the broadcast parameters, returning the gradient sum, the buffers
 * (weighted by rows, for averaging), the loss sum and the row count.
 */
final class SyncStepTask implements Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> {
    private final String fitId;
    private final ModelFactory factory;
    private final TrainingLoss loss;
    private final StateShipment state;
    private final int[][] plan;
    private final long seed;
    private final String deviceSetting;

    SyncStepTask(String fitId, ModelFactory factory, TrainingLoss loss, StateShipment state, int[][] plan, long seed,
                 String deviceSetting) {
        this.fitId = fitId;
        this.factory = factory;
        this.loss = loss;
        this.state = state;
        this.plan = plan;
        this.seed = seed;
        this.deviceSetting = deviceSetting;
    }

    @Override
    public Iterator<Partial> call(Integer partition, Iterator<PartitionData> it) {
        PartitionData data = it.next();
        int[] rows = plan[partition];
        if (rows.length == 0) return List.of(Partial.empty(partition)).iterator();
        long start = System.nanoTime();
        Partial p = ExecutorTask.run(() -> {
            Device device = ExecutorTask.device(deviceSetting);
            Module m = ExecutorModels.borrow(fitId, factory, device);
            try {
                FlatLayout layout = ExecutorTask.load(m, state.value());
                ExecutorTask.seedRandom(StepPlanner.mix(seed, partition));
                m.train();
                m.zeroGrad();
                Tensor[] xy = ExecutorTask.gather(fitId, data, rows, device);
                Tensor out = m.forward(xy[0]);
                Tensor l = loss.sum(out, xy[1], xy[2]);
                l.backward();
                long correct = loss.classification() ? loss.correct(out.detach(), xy[1]) : 0;
                float[] buffers = layout.buffers(m);
                for (int i = 0; i < buffers.length; i++) buffers[i] *= rows.length;
                return Partial.ofStep(partition, layout.grads(m), buffers, l.item(), rows.length, correct)
                        .weighted(Partial.weightOf(xy[2], rows.length));
            } finally {
                ExecutorModels.release(fitId, device, m);
            }
        });
        p.computeNanos = System.nanoTime() - start;
        return List.of(p).iterator();
    }
}
