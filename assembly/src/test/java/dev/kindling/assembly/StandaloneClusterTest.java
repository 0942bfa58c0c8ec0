package dev.kindling.assembly;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The short run of {@code scripts/standalone-cluster.sh} on the assembly jar this build made: a
 * Master and two Workers as separate JVMs, {@code TrainJob} and {@code PredictJob} submitted in
 * client and cluster deploy mode, then a Worker and its executor SIGKILLed mid-fit and the driver
 * SIGKILLed mid-fit. The script compares the saved weights itself ({@code cmp}) and exits non-zero
 * on any difference; this test runs it as a user would and keeps its transcript in
 * {@code assembly/target/standalone-cluster-transcript.txt}.
 */
class StandaloneClusterTest {
    @Test
    void trainsAndPredictsInBothDeployModesAndSurvivesKilledWorkerAndDriver() throws Exception {
        Path repo = TestPaths.repo();
        Path transcript = repo.resolve("assembly/target/standalone-cluster-transcript.txt");
        Path digits = Path.of(TestPaths.property("kindling.shared")).resolve("data/sklearn/digits.csv.gz");
        ProcessBuilder pb = new ProcessBuilder("bash", repo.resolve("scripts/standalone-cluster.sh").toString(),
                "--no-build", "--quick", "--faults", "--data", digits.toString())
                .directory(repo.toFile()).redirectErrorStream(true).redirectOutput(transcript.toFile());
        // The JDK 25 this test runs on (Maven itself may run on an older one).
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        int code = pb.start().waitFor();
        String text = Files.readString(transcript);
        System.out.println(text);
        assertEquals(0, code, "scripts/standalone-cluster.sh failed:\n" + text);
        for (String step : List.of("client mode: done", "cluster mode: done; weights identical to client mode's",
                "worker kill: SIGKILL to worker 2", "worker kill: fit completed; weights identical to the uninterrupted fit's",
                "driver kill: SIGKILL to the driver", "driver kill: the rerun resumed; weights identical to the uninterrupted fit's",
                "all done")) {
            assertTrue(text.contains(step), "the transcript lacks '" + step + "':\n" + text);
        }
    }
}
