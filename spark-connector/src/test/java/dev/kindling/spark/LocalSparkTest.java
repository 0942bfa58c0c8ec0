package dev.kindling.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that share one embedded {@code local[2]} session for the class
 * (configured by {@link SparkTestSupport#session}); a subclass's own {@code @BeforeAll} runs after
 * the session has started.
 */
public abstract class LocalSparkTest {
    protected static SparkSession spark;

    @BeforeAll
    public static void startSpark() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    public static void stopSpark() {
        spark.stop();
    }
}
