package dev.kindling.spark.jobs;

import dev.kindling.spark.serde.KindlingKryoRegistrator;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;

/**
 * The SparkSession a job runs in: the one already active (a test, a notebook), or a new one whose
 * master comes from {@code spark-submit} ({@code spark.master}), else an embedded {@code local[*]}.
 * {@link #close} stops the session only when the job started it.
 */
public final class JobSession implements AutoCloseable {
    private final SparkSession spark;
    private final boolean owned;

    private JobSession(SparkSession spark, boolean owned) {
        this.spark = spark;
        this.owned = owned;
    }

    /** The active session, or a new one named appName with Spark's log level set to logLevel. */
    public static JobSession open(String appName, String logLevel) {
        var active = SparkSession.getActiveSession();
        if (active.isDefined()) return new JobSession(active.get(), false);
        SparkSession.Builder b = SparkSession.builder().appName(appName)
                .config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
                .config("spark.kryo.registrator", KindlingKryoRegistrator.class.getName());
        if (System.getProperty("spark.master") == null) b.master("local[*]").config("spark.ui.enabled", "false");
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel(logLevel.toUpperCase(Locale.ROOT));
        return new JobSession(spark, true);
    }

    public SparkSession spark() { return spark; }

    @Override
    public void close() {
        if (owned) spark.stop();
    }
}
