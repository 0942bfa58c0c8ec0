package dev.kindling.spark.train;

import org.apache.spark.SparkContext;

/**
 * The Spark job properties of one fit, on the calling thread: while it is open the fit's jobs
 * carry its job tag (so {@code SparkContext.cancelJobsWithTag} cancels them) and the description
 * it sets; closing it removes the tag and puts back the description, job group and
 * interrupt-on-cancel flag the caller had, read when the scope opened. The caller's job group is
 * left in place meanwhile, so cancelling that group cancels the fit too.
 */
final class FitJobScope implements AutoCloseable {
    static final String DESCRIPTION = "spark.job.description";
    static final String GROUP = "spark.jobGroup.id";
    static final String INTERRUPT_ON_CANCEL = "spark.job.interruptOnCancel";

    private final SparkContext sc;
    private final String tag;
    private final boolean addedTag;
    private final String description;
    private final String group;
    private final String interruptOnCancel;

    FitJobScope(SparkContext sc, String tag) {
        this.sc = sc;
        this.tag = tag;
        this.description = sc.getLocalProperty(DESCRIPTION);
        this.group = sc.getLocalProperty(GROUP);
        this.interruptOnCancel = sc.getLocalProperty(INTERRUPT_ON_CANCEL);
        this.addedTag = !sc.getJobTags().contains(tag);
        if (addedTag) sc.addJobTag(tag);
    }

    /** Names the jobs that follow in Spark's UI. */
    void describe(String text) { sc.setJobDescription(text); }

    @Override
    public void close() {
        if (addedTag) sc.removeJobTag(tag);
        sc.setLocalProperty(DESCRIPTION, description);
        sc.setLocalProperty(GROUP, group);
        sc.setLocalProperty(INTERRUPT_ON_CANCEL, interruptOnCancel);
    }
}
