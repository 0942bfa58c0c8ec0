package dev.kindling.spark.ml;

import dev.kindling.spark.gpu.GpuAssignment;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.Params;

/**
 * The {@code device} param that estimators and fitted models share, so that {@code copyValues}
 * carries an estimator's setting to the model it fits: where executors compute, "auto" by default
 * (the GPU Spark assigned to the task, else the CPU with one WARN line per executor), "cpu",
 * "cuda" (the assigned GPU; the task fails naming what is missing when there is none) or "cuda:N".
 */
final class DeviceParam {
    private DeviceParam() {}

    /** The param of parent, with Spark's validator for values set by name (Connect, ParamMap, load). */
    static Param<String> of(Params parent, String doing) {
        return new Param<>(parent, "device", "where executors " + doing + ": 'auto' (the GPU Spark assigned to the task, "
                + "else the CPU with one WARN per executor), 'cpu', 'cuda' (the assigned GPU; fails without one) or 'cuda:N'",
                new Validator());
    }

    /** The setting normalised (trimmed, lower case), or an IllegalArgumentException naming the values it takes. */
    static String check(String setting) { return GpuAssignment.checkSetting("device", setting); }

    /**
     * Spark's validator for the param. It throws rather than answer false so that callers setting
     * it by name get the message naming the values, not Spark's generic "given invalid value". A
     * named class because stages may be Java-serialized.
     */
    private static final class Validator extends scala.runtime.AbstractFunction1<String, Object> implements java.io.Serializable {
        @Override
        public Object apply(String v) {
            check(v);
            return true;
        }
    }
}
