package dev.kindling.spark.ml;

import dev.kindling.spark.LocalSparkTest;
import dev.kindling.spark.MlTestData;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.param.Params;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How Spark Connect's ML registry sees Kindling's stages, in process: estimators and models listed
 * for {@code ServiceLoader}, each model built by its public no-argument constructor, each estimator by
 * its (uid) constructor with params set by name from literals (the registry's way), each model loaded
 * through its static {@code load(String)}, as the registry does by reflection.
 */
class StageDiscoveryTest extends LocalSparkTest {

    @Test
    void estimatorsAndModelsAreRegisteredForServiceLoader() {
        assertTrue(providers(Estimator.class).containsAll(Set.of(KindlingClassifier.class, KindlingRegressor.class)),
                "estimators found: " + providers(Estimator.class));
        assertTrue(providers(Transformer.class).containsAll(Set.of(KindlingClassificationModel.class, KindlingRegressionModel.class)),
                "transformers found: " + providers(Transformer.class));
    }

    @Test
    void everyRegisteredModelIsBuiltByItsNoArgumentConstructorAndRefusesToTransformUntrained() {
        List<Transformer> models = ServiceLoader.load(Transformer.class).stream()
                .filter(p -> p.type().getName().startsWith("dev.kindling."))
                .map(ServiceLoader.Provider::get).toList();
        assertEquals(2, models.size(), "Kindling's models among the transformers");
        Dataset<Row> frame = MlTestData.linear(spark, 8, 0.0, 1, 1);
        Dataset<Row> withFeatures = new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features").transform(frame);
        for (Transformer model : models) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> model.transform(withFeatures));
            assertTrue(e.getMessage().contains("no trained network"), e.getMessage());
        }
    }

    @Test
    void estimatorsTakeTheirNetworkAsALiteralAndFittedModelsLoadByReflection(@TempDir Path dir) throws Exception {
        Dataset<Row> frame = new VectorAssembler().setInputCols(new String[] {"x1", "x2"}).setOutputCol("features")
                .transform(MlTestData.linear(spark, 64, 0.01, 2, 2));
        // What MLUtils.getEstimator does: the (uid) constructor, then Params.set by name with literal values.
        KindlingRegressor regressor = KindlingRegressor.class.getConstructor(String.class).newInstance("regressor_connect");
        regressor.set(regressor.getParam("modelSpec"), "Linear(2,1)");
        regressor.set(regressor.getParam("labelCol"), "y");
        regressor.set(regressor.getParam("maxIter"), 2);
        KindlingRegressionModel fitted = regressor.fit(frame);
        assertEquals("Linear(2,1)", fitted.getOrDefault(fitted.modelSpec()), "the fitted model keeps the spec as a literal");
        assertTrue(fitted.params().length > 0 && noParamHoldsAnObject(fitted),
                "every param that is set holds a literal, so Connect can send the model's params to the client");

        String path = dir.resolve("regressor").toString();
        fitted.write().save(path);
        Object loaded = KindlingRegressionModel.class.getMethod("load", String.class).invoke(null, path);
        KindlingRegressionModel model = assertInstanceOf(KindlingRegressionModel.class, loaded);
        assertEquals(fitted.transform(frame).select("prediction").collectAsList(), model.transform(frame).select("prediction").collectAsList());

        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> regressor.set(regressor.getParam("modelSpec"), "Linear(2,1) Banana"));
        assertTrue(bad.getMessage().contains("Banana"), "a bad spec is refused when set, naming the layer: " + bad.getMessage());
    }

    private static boolean noParamHoldsAnObject(Params stage) {
        for (var p : stage.params()) {
            if (!stage.isDefined(p)) continue;
            Object v = stage.getOrDefault(p);
            if (!(v instanceof String || v instanceof Number || v instanceof Boolean || v instanceof int[])) return false;
        }
        return true;
    }

    private static Set<Class<?>> providers(Class<?> service) {
        return ServiceLoader.load(service).stream().map(ServiceLoader.Provider::type).collect(Collectors.toSet());
    }
}
