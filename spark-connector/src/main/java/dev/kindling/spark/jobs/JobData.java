package dev.kindling.spark.jobs;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reading a job's input and checking its columns before any Spark job runs, so that a wrong path,
 * a file in another format or a misspelt column ends in one {@link IllegalArgumentException} that
 * names the option, the value and what was expected.
 */
public final class JobData {
    private JobData() {}

    /** The DataFrame at path in format; option names the command-line option that gave the path. */
    public static Dataset<Row> read(SparkSession spark, String option, String path, DataFormat format) {
        requireExists(spark, option, path, "a " + format + " file or directory");
        try {
            Dataset<Row> df = format.reader(spark).load(path);
            if (df.schema().isEmpty()) throw new IllegalArgumentException("no columns were found");
            return df;
        } catch (Exception e) { // Scala throws SparkException (checked) undeclared
            throw new IllegalArgumentException(option + " '" + path + "' could not be read as " + format + " (--format): "
                    + JobCli.firstLine(rootMessage(e)), e);
        }
    }

    /** Fails unless path exists on its (Hadoop) file system. */
    public static void requireExists(SparkSession spark, String option, String path, String expected) {
        if (!exists(spark, path)) {
            throw new IllegalArgumentException(option + " '" + path + "': no such file or directory; expected " + expected);
        }
    }

    /** Whether path exists on its (Hadoop) file system. */
    public static boolean exists(SparkSession spark, String path) {
        try {
            Path p = new Path(path);
            FileSystem fs = p.getFileSystem(spark.sparkContext().hadoopConfiguration());
            return fs.exists(p);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("path '" + path + "' cannot be opened: " + JobCli.firstLine(e.getMessage()), e);
        }
    }

    /** The named column of schema, or an exception naming the option, the column and the columns there are. */
    public static StructField column(StructType schema, String option, String name, String input) {
        Optional<StructField> f = Arrays.stream(schema.fields()).filter(x -> x.name().equals(name)).findFirst();
        return f.orElseThrow(() -> new IllegalArgumentException(option + ": column '" + name + "' is not in " + input
                + "; its columns are " + Arrays.toString(schema.fieldNames())));
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) t = t.getCause();
        return t.getMessage() != null ? t.getMessage() : e.getMessage();
    }
}
