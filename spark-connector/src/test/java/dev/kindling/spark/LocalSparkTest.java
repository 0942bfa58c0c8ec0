package dev.kindling.spark;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Base of the test classes that share one embedded {@code local[2]} session for the class
 * (configured by {@link SparkTestSupport#session}); a subclass's own {@code @BeforeAll} runs after
 * the session has started.
 */
abstract class LocalSparkTest {
    static SparkSession spark;

    @BeforeAll
    static void startSpark() {
        spark = SparkTestSupport.session("local[2]");
    }

    @AfterAll
    static void stopSpark() {
        spark.stop();
    }
}
