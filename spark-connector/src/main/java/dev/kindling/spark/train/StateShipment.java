package dev.kindling.spark.train;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;

/**
 * How one Spark job's {@link ModelState} reaches the executors: inside the task itself when it is
 * small, as a Spark broadcast otherwise.
 *
 * <p>Why two ways: a broadcast costs a fixed amount per job however small the state is (the driver
 * writes it into its block manager in compressed chunks, every task looks it up, and destroying it
 * messages every executor); with one job per synchronous step that dominated a small model's
 * step. A state carried in the task travels in the job's serialized task binary, which Spark sends
 * once per job anyway, but every task deserializes it again, so large states still go by broadcast.
 */
abstract sealed class StateShipment implements Serializable permits StateShipment.InTask, StateShipment.Broadcasted {
    /**
     * States of at most this many bytes of floats travel inside the task. Measured with
     * {@code benchmarks/run-spark.sh --only overhead} (see the commit that set it).
     */
    static final long IN_TASK_LIMIT_BYTES = 64 * 1024;

    /** Ships state for one job: in the task if small, else as a broadcast; {@link #release()} it after the job. */
    static StateShipment of(JavaSparkContext jsc, ModelState state) {
        return floatBytes(state) <= IN_TASK_LIMIT_BYTES ? new InTask(state) : new Broadcasted(jsc.broadcast(state));
    }

    /** The state, on an executor. */
    abstract ModelState value();

    /** Frees what shipping held on the driver and executors (the broadcast's blocks). */
    abstract void release();

    private static long floatBytes(ModelState s) {
        long n = s.flat().length;
        for (float[] v : s.optimizer().values()) n += v.length;
        return 4 * n;
    }

    /** The state as a field of the task. */
    static final class InTask extends StateShipment {
        private final ModelState state;

        InTask(ModelState state) { this.state = state; }

        @Override
        ModelState value() { return state; }

        @Override
        void release() { }
    }

    /** The state as a Spark broadcast. */
    static final class Broadcasted extends StateShipment {
        private final Broadcast<ModelState> broadcast;

        Broadcasted(Broadcast<ModelState> broadcast) { this.broadcast = broadcast; }

        @Override
        ModelState value() { return broadcast.value(); }

        @Override
        void release() { broadcast.destroy(); }
    }
}
