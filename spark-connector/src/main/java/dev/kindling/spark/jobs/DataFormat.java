package dev.kindling.spark.jobs;

import org.apache.spark.sql.DataFrameReader;
import org.apache.spark.sql.SparkSession;

import java.util.Locale;

/**
 * The input formats the jobs read: Parquet, CSV (with a header row; column types inferred), LIBSVM
 * (columns {@code label} and {@code features}, a Spark ML Vector) and JSON lines. Picocli turns
 * the lower-case names users type into these constants.
 */
public enum DataFormat {
    PARQUET, CSV, LIBSVM, JSON;

    /** The name users type and Spark's data source name. */
    public String sourceName() { return name().toLowerCase(Locale.ROOT); }

    @Override
    public String toString() { return sourceName(); }

    /** A reader of this format with the options Kindling's jobs use. */
    DataFrameReader reader(SparkSession spark) {
        DataFrameReader r = spark.read().format(sourceName());
        if (this == CSV) r = r.option("header", "true").option("inferSchema", "true");
        return r;
    }
}
