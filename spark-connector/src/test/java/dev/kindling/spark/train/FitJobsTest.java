package dev.kindling.spark.train;

import dev.kindling.nn.Linear;
import dev.kindling.nn.ReLU;
import dev.kindling.nn.Sequential;
import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.SparkTestSupport;
import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerJobStart;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A fit's Spark jobs carry its job tag (so a caller can cancel them) and keep the caller's job
 * group; when the fit returns, or fails, the caller's job description and group are back and the
 * tag is gone. Job properties are read from a SparkListener, as Spark's UI sees them.
 */
class FitJobsTest extends LocalSparkTest {
    private static final String TAGS = "spark.job.tags";

    /** The properties of every job start, in order; a latch opens when a job with the marker tag starts. */
    private static final class JobStarts extends SparkListener {
        final List<Properties> jobs = new ArrayList<>();
        final CountDownLatch marker = new CountDownLatch(1);

        @Override
        public synchronized void onJobStart(SparkListenerJobStart start) {
            jobs.add(start.properties());
            if (tags(start.properties()).contains("marker")) marker.countDown();
        }

        synchronized List<Properties> snapshot() { return List.copyOf(jobs); }
    }

    private static List<String> tags(Properties p) {
        String t = p == null ? null : p.getProperty(TAGS);
        return t == null || t.isEmpty() ? List.of() : Arrays.asList(t.split(","));
    }

    /** Runs a job tagged "marker" and waits until the listener saw it: one queue, in order, so it saw every earlier job too. */
    private static void drain(SparkContext sc, JobStarts starts) throws InterruptedException {
        sc.addJobTag("marker");
        try {
            spark.range(1).count();
        } finally {
            sc.removeJobTag("marker");
        }
        starts.marker.await();
    }

    private static DistributedTrainer.Builder trainer(int inputs) {
        return DistributedTrainer.builder()
                .model(() -> new Sequential(new Linear(inputs, 16), new ReLU(), new Linear(16, 10)))
                .features("features").label("label", true)
                .batchSize(300).epochs(1).seed(5);
    }

    @Test
    void aFitTagsItsJobsKeepsTheCallersGroupAndPutsTheCallersPropertiesBack() throws Exception {
        SparkContext sc = spark.sparkContext();
        Dataset<Row> df = SparkTestSupport.digits(spark, 2);
        JobStarts starts = new JobStarts();
        sc.addSparkListener(starts);
        try {
            sc.setJobGroup("outer-group", "outer description", true);
            DistributedTrainer t = trainer(64).jobTag("my-fit").build();
            assertEquals("my-fit", t.jobTag());
            FitResult fit = t.fit(df, null);
            assertEquals("outer description", sc.getLocalProperty("spark.job.description"));
            assertEquals("outer-group", sc.getLocalProperty("spark.jobGroup.id"));
            assertEquals("true", sc.getLocalProperty("spark.job.interruptOnCancel"));
            assertTrue(sc.getJobTags().isEmpty(), "the fit's tag is removed: " + sc.getJobTags());
            drain(sc, starts);
            List<Properties> fitJobs = starts.snapshot().stream().filter(p -> tags(p).contains("my-fit")).toList();
            // converting the data, one job per step, releasing the executor models
            assertEquals(1 + fit.steps() + 1, fitJobs.size(), "jobs tagged my-fit");
            for (Properties p : fitJobs) {
                assertEquals("outer-group", p.getProperty("spark.jobGroup.id"), "the caller's group stays on the fit's jobs");
                assertTrue(p.getProperty("spark.job.description").startsWith("Kindling"), p.getProperty("spark.job.description"));
            }
            for (Properties p : starts.snapshot()) {
                String d = p.getProperty("spark.job.description");
                if (d != null && d.startsWith("Kindling")) assertTrue(tags(p).contains("my-fit"), "untagged fit job: " + d);
            }
        } finally {
            sc.removeSparkListener(starts);
            sc.clearJobGroup();
        }
    }

    @Test
    void aFailedFitPutsTheCallersPropertiesBackToo() throws Exception {
        SparkContext sc = spark.sparkContext();
        Dataset<Row> df = SparkTestSupport.digits(spark, 2);
        sc.setJobDescription("before");
        try {
            DistributedTrainer t = trainer(3).build();
            assertTrue(t.jobTag().startsWith("kindling-fit-"), t.jobTag());
            // the first layer takes 3 features, the data has 64: fails after the data was cached
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.fit(df, null));
            assertTrue(e.getMessage().contains("the model cannot take features column 'features'"), e.getMessage());
            assertEquals("before", sc.getLocalProperty("spark.job.description"));
            assertEquals(null, sc.getLocalProperty("spark.jobGroup.id"));
            assertFalse(sc.getJobTags().contains(t.jobTag()));
        } finally {
            sc.setJobDescription(null);
        }
        assertThrows(IllegalArgumentException.class, () -> DistributedTrainer.builder().jobTag("a,b"));
    }
}
