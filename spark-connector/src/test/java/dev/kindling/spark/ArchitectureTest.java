package dev.kindling.spark;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.Architectures;
import dev.kindling.spark.data.DataKryo;
import dev.kindling.spark.internal.SparkInternals;
import dev.kindling.spark.train.TrainingKryo;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.nameMatching;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The layering of spark-connector, checked on its compiled classes (run by ArchUnit's JUnit 5
 * engine): internal at the bottom, data (DataFrame to Arrow partitions) above it, train (the
 * trainer) on data, ml (Spark ML stages) on train, serde (Kryo) beside them, and the command-line
 * jobs on top; only {@link SparkInternals} touches Spark's non-public API; the trainer and the
 * data layer know nothing of Spark ML. {@link ArchitectureRulesCanFailTest} shows the rules report
 * violations.
 */
@AnalyzeClasses(packages = "dev.kindling.spark", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {

    /**
     * Spark's non-public API: Catalyst, the execution engine, classic-only sessions, spark-unsafe,
     * and classes that are {@code private[spark]} or {@code private[ml]} though Java sees them as
     * public. InternalRow and ArrayData are excepted: DataSource V2's public interfaces hand them
     * to connectors as Spark's row format.
     */
    static final DescribedPredicate<JavaClass> SPARK_INTERNAL_API =
            resideInAnyPackage("org.apache.spark.sql.catalyst..", "org.apache.spark.sql.execution..",
                    "org.apache.spark.sql.classic..", "org.apache.spark.unsafe..")
                    .and(not(nameMatching("(\\[L)?org\\.apache\\.spark\\.sql\\.catalyst\\.(InternalRow|util\\.ArrayData);?")))
                    .or(nameMatching("org\\.apache\\.spark\\.sql\\.util\\.ArrowUtils.*"))
                    .or(nameMatching("org\\.apache\\.spark\\.ml\\.linalg\\.VectorUDT.*"))
                    .or(nameMatching("org\\.apache\\.spark\\.ml\\.util\\.DefaultParams(Reader|Writer).*"))
                    .or(nameMatching("org\\.apache\\.spark\\.util\\.(KnownSizeEstimation|SizeEstimator).*"))
                    .or(nameMatching("org\\.apache\\.spark\\.(SparkEnv|storage\\.(BlockManager|BlockResult|RDDBlockId)|scheduler\\.TaskLocation).*"))
                    .as("are Spark's non-public API (catalyst, execution, classic, unsafe, private[spark] classes)");

    @ArchTest
    static final ArchRule ONLY_SPARK_INTERNALS_USES_SPARK_INTERNALS = noClasses()
            .that(not(belongToAnyOf(SparkInternals.class)))
            .should().dependOnClassesThat(SPARK_INTERNAL_API)
            .because("SparkInternals is the one place that breaks on a Spark upgrade or under Spark Connect");

    /** Each package builds on the ones below it: internal < data < train < ml < jobs, with serde beside ml. */
    @ArchTest
    static final Architectures.LayeredArchitecture LAYERS = layeredArchitecture().consideringOnlyDependenciesInLayers()
            .layer("Jobs").definedBy("dev.kindling.spark", "dev.kindling.spark.jobs..")
            .layer("Ml").definedBy("dev.kindling.spark.ml..")
            .layer("Serde").definedBy("dev.kindling.spark.serde..")
            .layer("Train").definedBy("dev.kindling.spark.train..")
            .layer("Data").definedBy("dev.kindling.spark.data..")
            .layer("Internal").definedBy("dev.kindling.spark.internal..")
            .whereLayer("Jobs").mayNotBeAccessedByAnyLayer()
            .whereLayer("Ml").mayOnlyBeAccessedByLayers("Jobs")
            .whereLayer("Serde").mayOnlyBeAccessedByLayers("Jobs")
            .whereLayer("Train").mayOnlyBeAccessedByLayers("Ml", "Serde", "Jobs")
            .whereLayer("Data").mayOnlyBeAccessedByLayers("Train", "Ml", "Serde", "Jobs")
            .whereLayer("Internal").mayOnlyBeAccessedByLayers("Data", "Train", "Ml", "Serde", "Jobs");

    @ArchTest
    static final ArchRule TRAINING_NEEDS_NO_SPARK_ML = noClasses()
            .that().resideInAnyPackage("dev.kindling.spark.train..", "dev.kindling.spark.data..", "dev.kindling.spark.serde..")
            .should().dependOnClassesThat().resideInAPackage("org.apache.spark.ml..")
            .because("DistributedTrainer and the Arrow conversion work with spark-sql alone; Spark ML is the ml package's");

    @ArchTest
    static final ArchRule SERDE_ONLY_CALLS_THE_WIRE_FORMATS = noClasses()
            .that().resideInAPackage("dev.kindling.spark.serde..")
            .should().dependOnClassesThat(resideInAnyPackage("dev.kindling.spark.train..", "dev.kindling.spark.data..")
                    .and(not(belongToAnyOf(TrainingKryo.class, DataKryo.class))))
            .because("each package keeps its Kryo wire form next to its types; the registrator only calls their register methods");
}
