package dev.kindling.spark.train;

import dev.kindling.spark.data.PartitionData;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.Function2;
import org.apache.spark.rdd.RDD;
import scala.collection.immutable.Range;
import scala.reflect.ClassTag$;
import scala.runtime.AbstractFunction2;
import scala.runtime.BoxedUnit;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

/**
 * Runs a task that yields one {@link Partial} per partition as one Spark job and returns the
 * partials in partition order: what {@code rdd.mapPartitionsWithIndex(task).collect()} returns,
 * without the two Scala closures those calls wrap around the task. Spark's closure cleaner reads a
 * closure's class file with ASM on every call; with one job per synchronous step that was about a
 * quarter of the driver's CPU time (JFR of an MNIST-sized MLP on local[2]). The function handed to
 * {@code SparkContext.runJob} here is a named class, which the cleaner only checks for
 * serializability.
 */
final class PartitionJob {
    private PartitionJob() {}

    static List<Partial> run(JavaRDD<PartitionData> rdd, Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task) {
        RDD<PartitionData> r = rdd.rdd();
        int n = r.getNumPartitions();
        Partial[] results = new Partial[n];
        AbstractFunction2<Object, Partial, BoxedUnit> collect = new AbstractFunction2<>() {
            @Override
            public BoxedUnit apply(Object index, Partial p) {
                results[(Integer) index] = p;
                return BoxedUnit.UNIT;
            }
        };
        r.context().runJob(r, new OnEachPartition(task), new Range.Exclusive(0, n, 1), collect, ClassTag$.MODULE$.apply(Partial.class));
        return Arrays.asList(results);
    }

    /** The task as the (TaskContext, Iterator) function runJob takes: partition index from the context, one partial out. */
    private static final class OnEachPartition extends AbstractFunction2<TaskContext, scala.collection.Iterator<PartitionData>, Partial>
            implements Serializable {
        private final Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task;

        OnEachPartition(Function2<Integer, Iterator<PartitionData>, Iterator<Partial>> task) {
            this.task = task;
        }

        @Override
        public Partial apply(TaskContext context, scala.collection.Iterator<PartitionData> rows) {
            try {
                Iterator<Partial> out = task.call(context.partitionId(), scala.jdk.javaapi.CollectionConverters.asJava(rows));
                Partial p = out.next();
                if (out.hasNext()) throw new IllegalStateException("a partition task returned more than one partial");
                return p;
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
