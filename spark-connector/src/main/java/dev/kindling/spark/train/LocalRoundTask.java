package dev.kindling.spark.train;

import dev.kindling.nn.ModelFactory;
import dev.kindling.nn.Module;
import dev.kindling.optim.Optimizer;
import dev.kindling.optim.ParamGroup;
import dev.kindling.spark.data.PartitionData;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Tensor;
import org.apache.spark.api.java.function.Function2;

import java.util.Iterator;
import java.util.List;

/**
 * One round of local-steps mode on one partition: starting from the broadcast parameters and the
 * averaged optimizer state, K optimizer steps on this partition's share of K consecutive global
 * batches; returns the resulting parameters, buffers and optimizer state weighted by the rows
 * trained on, for the driver to average.
 */
final class LocalRoundTask implements Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> {
    private final String fitId;
    private final ModelFactory factory;
    private final TrainingLoss loss;
    private final OptimizerFactory optimizerFactory;
    private final StateShipment state;
    private final int[][][] plans;
    private final long seed;
    private final String deviceSetting;

    LocalRoundTask(String fitId, ModelFactory factory, TrainingLoss loss, OptimizerFactory optimizerFactory,
                   StateShipment state, int[][][] plans, long seed, String deviceSetting) {
        this.fitId = fitId;
        this.factory = factory;
        this.loss = loss;
        this.optimizerFactory = optimizerFactory;
        this.state = state;
        this.plans = plans;
        this.seed = seed;
        this.deviceSetting = deviceSetting;
    }

    @Override
    public Iterator<Partial> call(Integer partition, Iterator<PartitionData> it) {
        PartitionData data = it.next();
        long rowsInRound = 0;
        for (int[][] plan : plans) rowsInRound += plan[partition].length;
        if (rowsInRound == 0) return List.of(Partial.empty(partition)).iterator();
        long start = System.nanoTime();
        Partial p = ExecutorTask.run(() -> {
            Device device = ExecutorTask.device(deviceSetting);
            Module m = ExecutorModels.borrow(fitId, factory, device);
            try {
                ModelState st = state.value();
                FlatLayout layout = ExecutorTask.load(m, st);
                ExecutorTask.seedRandom(StepPlanner.mix(seed, partition));
                List<Tensor> params = m.parameters();
                Optimizer opt = optimizerFactory.apply(params);
                st.optimizer().loadInto(opt, params);
                List<ParamGroup> groups = opt.paramGroups();
                for (int g = 0; g < groups.size(); g++) groups.get(g).setLr(st.lrs()[g]);
                double lossSum = 0;
                long count = 0;
                double weightSum = 0;
                long correct = 0;
                m.train();
                for (int[][] plan : plans) {
                    int[] rows = plan[partition];
                    if (rows.length == 0) continue;
                    opt.zeroGrad();
                    Tensor[] xy = ExecutorTask.gather(fitId, data, rows, device);
                    Tensor out = m.forward(xy[0]);
                    Tensor l = loss.sum(out, xy[1], xy[2]);
                    // The local step's loss is the mean over this partition's rows, weighted when there are weights.
                    double weight = Partial.weightOf(xy[2], rows.length);
                    if (xy[2] == null) l.div(rows.length).backward();
                    else if (weight > 0) l.div(weight).backward();
                    opt.step();
                    lossSum += l.item();
                    count += rows.length;
                    weightSum += weight;
                    if (loss.classification()) correct += loss.correct(out.detach(), xy[1]);
                }
                OptimizerState os = OptimizerState.of(opt, params).scaled(count);
                return Partial.ofRound(partition, scaled(layout.params(m), count), scaled(layout.buffers(m), count), os, lossSum, count,
                        correct).weighted(weightSum);
            } finally {
                ExecutorModels.release(fitId, device, m);
            }
        });
        p.computeNanos = System.nanoTime() - start;
        return List.of(p).iterator();
    }

    private static float[] scaled(float[] v, long factor) {
        for (int i = 0; i < v.length; i++) v[i] *= factor;
        return v;
    }
}
