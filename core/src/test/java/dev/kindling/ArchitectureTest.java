package dev.kindling;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import dev.kindling.tensor.DType;
import dev.kindling.tensor.Device;
import dev.kindling.tensor.Generator;
import dev.kindling.tensor.Shapes;
import dev.kindling.tensor.Storage;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering DESIGN.md asks for, checked on core's compiled classes (run by ArchUnit's JUnit 5
 * engine): a backend sees storage, never the autograd-aware tensor, so a backend for another
 * device needs to know nothing of autograd; core finds backends through the registry only; and
 * the tensor facade does not reach into the CPU backend. {@link ArchitectureRulesCanFailTest}
 * shows that the first rule reports a violation.
 */
@AnalyzeClasses(packages = "dev.kindling", importOptions = ImportOption.DoNotIncludeTests.class)
public class ArchitectureTest {

    /**
     * What a backend must not use: autograd, the ops, nn and everything above them, and the
     * tensor package except its plain value types (dtype, device, storage, generator, shape arithmetic).
     */
    static final DescribedPredicate<JavaClass> AUTOGRAD_AWARE =
            resideInAnyPackage("dev.kindling.autograd..", "dev.kindling.ops..", "dev.kindling.nn..",
                    "dev.kindling.optim..", "dev.kindling.data..", "dev.kindling.io..", "dev.kindling.vision..")
                    .or(resideInAPackage("dev.kindling.tensor")
                            .and(DescribedPredicate.not(belongToAnyOf(DType.class, Device.class, Storage.class,
                                    Generator.class, Shapes.class))))
                    .as("are Tensor (or its facade), autograd, ops, nn or a layer above them");

    @ArchTest
    static final ArchRule BACKENDS_SEE_STORAGE_NOT_TENSORS = noClasses()
            .that().resideInAPackage("dev.kindling.backend..")
            .should().dependOnClassesThat(AUTOGRAD_AWARE)
            .because("kernels take StridedViews, so a backend for another device needs no autograd");

    @ArchTest
    static final ArchRule THE_BACKEND_SPI_KNOWS_NO_BACKEND = noClasses()
            .that().resideInAPackage("dev.kindling.backend")
            .should().dependOnClassesThat().resideInAPackage("dev.kindling.backend.cpu..")
            .because("backends are found through the ServiceLoader registry, CPU included");

    @ArchTest
    static final ArchRule THE_FACADE_DISPATCHES_THROUGH_THE_REGISTRY = noClasses()
            .that().resideInAnyPackage("dev.kindling.tensor..", "dev.kindling.ops..", "dev.kindling.autograd..",
                    "dev.kindling.nn..", "dev.kindling.optim..", "dev.kindling.linalg..")
            .should().dependOnClassesThat().resideInAPackage("dev.kindling.backend.cpu..")
            .because("a tensor's kernels run on the backend of its device");
}
