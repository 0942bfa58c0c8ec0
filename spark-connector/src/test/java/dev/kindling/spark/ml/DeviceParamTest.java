package dev.kindling.spark.ml;

import dev.kindling.spark.LocalSparkTest;
import org.apache.spark.ml.param.ParamMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The estimators' {@code device} param: its default, its check, and its trip through save and load. */
class DeviceParamTest extends LocalSparkTest {

    @Test
    void defaultsToAutoAndNormalisesWhatItAccepts() {
        assertEquals("auto", new KindlingClassifier().getDevice());
        assertEquals("cuda", new KindlingRegressor().setDevice(" CUDA ").getDevice());
        assertEquals("cuda:1", new KindlingClassifier().setDevice("cuda:1").getDevice());
        assertEquals("cpu", new KindlingClassifier().setDevice("cpu").getDevice());
    }

    @Test
    void aBadValueIsRefusedNamingTheParamTheValuesAndTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new KindlingClassifier().setDevice("gpu0"));
        assertEquals("device: expected 'auto', 'cpu', 'cuda' or 'cuda:N' but got 'gpu0'", e.getMessage());
        // Values that bypass the setter (Spark Connect sets params by name, a ParamMap in fit) meet Spark's validator.
        KindlingClassifier clf = new KindlingClassifier();
        IllegalArgumentException viaParamMap = assertThrows(IllegalArgumentException.class,
                () -> clf.copy(new ParamMap().put(clf.device(), "tpu")));
        assertEquals("device: expected 'auto', 'cpu', 'cuda' or 'cuda:N' but got 'tpu'", viaParamMap.getMessage());
    }

    @Test
    void isSavedAndLoadedWithTheStage(@TempDir Path dir) throws Exception {
        KindlingClassifier clf = new KindlingClassifier().setModel("Linear(4,3)").setDevice("cuda:2");
        clf.save(dir.resolve("clf").toString());
        assertEquals("cuda:2", KindlingClassifier.load(dir.resolve("clf").toString()).getDevice());
        KindlingRegressor reg = new KindlingRegressor().setModel("Linear(4,1)").setDevice("cpu");
        reg.save(dir.resolve("reg").toString());
        assertEquals("cpu", KindlingRegressor.load(dir.resolve("reg").toString()).getDevice());
    }
}
