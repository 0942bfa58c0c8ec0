package dev.kindling.spark;

import com.esotericsoftware.kryo.Kryo;
import org.apache.spark.serializer.KryoRegistrator;

/**
 * Registers the Spark classes that Spark's own ML code sends through Kryo without registering
 * them (StringIndexerModel's Parquet reader ships a schema holding an ArrayType;
 * RegressionEvaluator aggregates SummarizerBuffers and the metric objects they hold), so the tests can keep
 * {@code spark.kryo.registrationRequired=true} to catch any Kindling class missing from
 * {@link KindlingKryoRegistrator}.
 */
public final class SparkInternalsKryo implements KryoRegistrator {
    static final String[] CLASSES = {
        "[Lorg.apache.spark.sql.types.DataType;",
        "org.apache.spark.sql.types.ArrayType",
        "org.apache.spark.ml.stat.SummarizerBuffer",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeM2n$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeMean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$ComputeWeightSum$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Mean$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL1$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$NormL2$",
        "org.apache.spark.ml.stat.SummaryBuilderImpl$Variance$",
    };

    @Override
    public void registerClasses(Kryo kryo) {
        for (String name : CLASSES) {
            try {
                kryo.register(Class.forName(name));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException("test Kryo registration: no class " + name, e);
            }
        }
    }
}
