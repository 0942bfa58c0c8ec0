package dev.kindling.assembly;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Checks docker/ without a container engine (none runs on the build machines): every file the
 * Dockerfiles copy from the build context exists after {@code mvn package}; the entrypoint and
 * every script and class the images and the compose services name exist (classes in the assembly
 * jar or Spark's jars); the Spark, Kindling and JCuda versions and the JVM options match the build;
 * the pinned Spark jars are byte for byte those Kindling is tested with; the compose files parse
 * (SnakeYAML) with the services, ports, commands and GPU reservations the cluster needs; and the
 * two scripts the images carry work: the GPU discovery script (with a stand-in nvidia-smi) and the
 * MNIST converter (against the IDX files read independently here).
 */
class DockerFilesTest {
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:org\\.apache\\.spark|dev\\.kindling)(?:\\.\\w+)+\\b");
    private static final Pattern IMAGE_PATH = Pattern.compile("/opt/(?:kindling|spark)/[\\w./-]+");

    static Path repo;
    static Path docker;
    static Dockerfile cpu;
    static Dockerfile gpu;
    static Set<String> assemblyClasses;

    @TempDir
    Path tmp;

    @BeforeAll
    static void parse() throws IOException {
        repo = TestPaths.repo();
        docker = repo.resolve("docker");
        cpu = Dockerfile.parse(docker.resolve("Dockerfile"));
        gpu = Dockerfile.parse(docker.resolve("gpu/Dockerfile"));
        assemblyClasses = new TreeSet<>();
        try (JarFile jar = new JarFile(TestPaths.assemblyJar().toFile())) {
            jar.stream().map(e -> e.getName()).filter(n -> n.endsWith(".class"))
                    .forEach(n -> assemblyClasses.add(n.substring(0, n.length() - 6).replace('/', '.')));
        }
    }

    @Test
    void everyCopiedFileExistsInTheBuildContext() {
        for (Dockerfile d : List.of(cpu, gpu)) {
            int checked = 0;
            for (Dockerfile.Copy c : d.copies()) {
                if (c.from() != null) continue;
                for (String s : c.sources()) {
                    assertTrue(Files.exists(repo.resolve(s)), d.file() + ": COPY source " + s + " does not exist after mvn package");
                    checked++;
                }
            }
            assertTrue(d.copies().stream().anyMatch(c -> c.from() == null && c.sources().stream().anyMatch(s -> s.startsWith("assembly/target/"))),
                    d.file() + " copies the assembly jar");
            assertTrue(checked >= 5, d.file() + ": only " + checked + " COPY sources");
        }
    }

    @Test
    void versionsAndJvmOptionsMatchTheBuild() throws IOException {
        String flags = TestPaths.property("spark.jvm.flags");
        for (Dockerfile d : List.of(cpu, gpu)) {
            assertEquals(TestPaths.property("spark.version"), d.args().get("SPARK_VERSION"), d.file() + " SPARK_VERSION");
            assertEquals(TestPaths.property("kindling.version"), d.args().get("KINDLING_VERSION"), d.file() + " KINDLING_VERSION");
            assertEquals(flags, d.env().get("KINDLING_JVM_FLAGS"), d.file() + " KINDLING_JVM_FLAGS");
            assertEquals("/opt/kindling/kindling-spark-assembly_2.13-" + TestPaths.property("kindling.version") + ".jar",
                    d.env().get("KINDLING_ASSEMBLY").replace("${KINDLING_VERSION}", d.args().get("KINDLING_VERSION")));
        }
        String distPom = Files.readString(docker.resolve("spark-dist/pom.xml"));
        assertEquals(TestPaths.property("spark.version"), xmlProperty(distPom, "spark.version"), "docker/spark-dist/pom.xml spark.version");
        assertEquals(TestPaths.property("scala.binary.version"), xmlProperty(distPom, "scala.binary.version"));
        assertEquals(xmlProperty(distPom, "jcuda.version"), gpu.args().get("JCUDA_VERSION"), "JCuda version of the GPU image");
        Map<String, String> defaults = sparkConf(docker.resolve("conf/spark-defaults.conf"));
        assertEquals(flags, defaults.get("spark.driver.extraJavaOptions"));
        assertEquals(flags, defaults.get("spark.executor.extraJavaOptions"));
        assertTrue(assemblyClasses.contains(defaults.get("spark.kryo.registrator")), defaults.get("spark.kryo.registrator"));
    }

    @Test
    void pinnedSparkJarsAreTheOnesKindlingIsTestedWith() throws Exception {
        Map<String, Path> tested = new java.util.HashMap<>();
        for (String p : TestPaths.sparkClasspath().split(File.pathSeparator)) tested.put(Path.of(p).getFileName().toString(), Path.of(p));
        int same = 0;
        List<String> pinned = new ArrayList<>();
        for (String line : Files.readAllLines(docker.resolve("spark-dist/jars.sha256"))) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] f = line.split("\\s+");
            pinned.add(f[1]);
            Path local = tested.get(f[1]);
            if (local == null) continue;
            assertEquals(f[0], sha256(local), f[1] + ": pinned SHA-256 differs from the jar Kindling's build uses (" + local + ")");
            same++;
        }
        for (String module : List.of("spark-core", "spark-sql", "spark-mllib")) {
            assertTrue(pinned.contains(module + "_2.13-" + TestPaths.property("spark.version") + ".jar"), module + " pinned: " + pinned);
        }
        // Kindling's build manages a few versions (Jackson) above Spark's own; everything else is the same jar.
        assertTrue(same >= pinned.size() - 4, same + " of " + pinned.size() + " pinned jars match the tested ones");
    }

    @Test
    void entrypointsScriptsAndClassesExist() throws IOException {
        for (Dockerfile d : List.of(cpu, gpu)) {
            assertEquals(List.of("/opt/kindling/bin/kindling-spark"), d.entrypoint(), d.file() + " ENTRYPOINT");
            Path script = contextFile(d, d.entrypoint().get(0));
            assertTrue(Files.getPosixFilePermissions(script).contains(PosixFilePermission.OWNER_EXECUTE), script + " is executable");
            Set<String> named = new LinkedHashSet<>(classesIn(Files.readString(script)));
            assertTrue(named.containsAll(List.of("org.apache.spark.deploy.master.Master", "org.apache.spark.deploy.worker.Worker",
                    "org.apache.spark.deploy.SparkSubmit", "dev.kindling.spark.TrainJob",
                    "org.apache.spark.scheduler.cluster.k8s.KubernetesExecutorBackend")), "classes the entrypoint starts: " + named);
            for (String c : named) assertClassExists(c, script.toString());
        }
        Path discovery = contextFile(gpu, "/opt/spark/bin/getGpusResources.sh");
        assertTrue(Files.isExecutable(discovery));
        Map<String, String> gpuConf = sparkConf(docker.resolve("gpu/spark-gpu.conf"));
        assertEquals("/opt/spark/bin/getGpusResources.sh", gpuConf.get("spark.executor.resource.gpu.discoveryScript"));
        assertNotNull(gpu.copyTo("/opt/spark/conf/spark-gpu.conf"), "the GPU image carries spark-gpu.conf");
    }

    @Test
    void composeFilesDescribeTheCluster() throws IOException {
        Map<String, Object> compose = yaml(docker.resolve("compose.yaml"));
        Map<String, Object> services = map(compose.get("services"));
        assertEquals(Set.of("master", "worker-1", "worker-2", "submit"), services.keySet());
        String image = "kindling/spark:" + TestPaths.property("kindling.version");
        for (var s : services.entrySet()) assertEquals(image, map(s.getValue()).get("image"), s.getKey() + " image");
        Map<String, Object> master = map(services.get("master"));
        assertEquals("docker/Dockerfile", map(master.get("build")).get("dockerfile"));
        assertEquals(List.of("master"), master.get("command"));
        assertEquals(List.of("7077:7077", "8080:8080"), master.get("ports"));
        Set<String> hostPorts = new TreeSet<>();
        for (String w : List.of("worker-1", "worker-2")) {
            Map<String, Object> worker = map(services.get(w));
            assertEquals(List.of("worker", "spark://master:7077"), worker.get("command"), w);
            assertEquals(List.of("master"), worker.get("depends_on"), w);
            List<?> ports = (List<?>) worker.get("ports");
            assertEquals(1, ports.size());
            assertTrue(ports.get(0).toString().endsWith(":8081"), w + " exposes its web UI: " + ports);
            hostPorts.add(ports.get(0).toString().split(":")[0]);
            assertTrue(((List<?>) worker.get("volumes")).contains("shared:/shared"), w + " sees the training data where the driver wrote it");
        }
        assertEquals(2, hostPorts.size(), "the workers' UIs on distinct host ports");

        Map<String, Object> submit = map(services.get("submit"));
        assertEquals(List.of("worker-1", "worker-2"), submit.get("depends_on"));
        assertEquals(List.of("/bin/bash", "-c"), submit.get("entrypoint"));
        String command = ((List<?>) submit.get("command")).get(0).toString().replace("$$", "$");
        for (Matcher m = IMAGE_PATH.matcher(command); m.find(); ) assertNotNull(cpu.copyTo(m.group()), "the image has " + m.group());
        assertTrue(command.contains("--master spark://master:7077"), command);
        String trainArgs = command.substring(command.indexOf("kindling-spark train") + "kindling-spark train".length()).strip();
        assertTrainJobAccepts(trainArgs.replaceAll("--master \\S+ --deploy-mode \\S+", "").replace("\"$(seq -s, -f p%g 0 783)\"", "p0,p1"));
        assertTrue(((List<?>) submit.get("volumes")).stream().anyMatch(v -> v.toString().endsWith(":/data/mnist:ro")), "MNIST mounted");
        assertTrue(map(compose.get("volumes")).containsKey("shared"));

        Map<String, Object> gpuServices = map(yaml(docker.resolve("compose.gpu.yaml")).get("services"));
        assertEquals(services.keySet(), gpuServices.keySet());
        assertEquals("docker/gpu/Dockerfile", map(map(gpuServices.get("master")).get("build")).get("dockerfile"));
        for (String w : List.of("worker-1", "worker-2")) {
            Map<String, Object> worker = map(gpuServices.get(w));
            List<?> devices = (List<?>) map(map(map(worker.get("deploy")).get("resources")).get("reservations")).get("devices");
            Map<String, Object> device = map(devices.get(0));
            assertEquals("nvidia", device.get("driver"));
            assertEquals(List.of("gpu"), device.get("capabilities"));
            assertEquals(1, device.get("count"));
            String opts = map(worker.get("environment")).get("SPARK_WORKER_OPTS").toString();
            assertTrue(opts.contains("-Dspark.worker.resource.gpu.amount=1"), opts);
            Matcher script = Pattern.compile("discoveryScript=(\\S+)").matcher(opts);
            assertTrue(script.find(), opts);
            assertNotNull(gpu.copyTo(script.group(1)), "the GPU image has " + script.group(1));
        }
    }

    @Test
    void gpuDiscoveryPrintsSparksResourceJson() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        Path fake = bin.resolve("nvidia-smi");
        // What `nvidia-smi --query-gpu=index --format=csv,noheader` prints on a two-GPU machine.
        Files.writeString(fake, "#!/bin/sh\n[ \"$1 $2\" = \"--query-gpu=index --format=csv,noheader\" ] || exit 9\nprintf '0\\n1\\n'\n");
        fake.toFile().setExecutable(true);
        Run ok = run(List.of("bash", docker.resolve("gpu/getGpusResources.sh").toString()), bin);
        assertEquals(0, ok.code(), ok.output());
        JsonNode json = new ObjectMapper().readTree(ok.output());
        assertEquals("gpu", json.get("name").asText());
        assertEquals(List.of("0", "1"), List.of(json.get("addresses").get(0).asText(), json.get("addresses").get(1).asText()));
        assertEquals(2, json.get("addresses").size());

        Files.writeString(fake, "#!/bin/sh\necho 'NVIDIA-SMI has failed' >&2\nexit 9\n");
        Run none = run(List.of("bash", docker.resolve("gpu/getGpusResources.sh").toString()), bin);
        assertNotEquals(0, none.code(), "no GPU must not look like an empty GPU list: " + none.output());
    }

    @Test
    void mnistConverterWritesEveryImageAndLabel() throws Exception {
        Path mnist = Path.of(TestPaths.property("kindling.shared")).resolve("data/mnist");
        Path csv = tmp.resolve("t10k.csv");
        Run r = run(List.of("bash", docker.resolve("bin/mnist-to-csv.sh").toString(), mnist.toString(), csv.toString(), "t10k"), null);
        assertEquals(0, r.code(), r.output());
        try (DataInputStream images = idx(mnist.resolve("t10k-images-idx3-ubyte.gz"), 16);
             DataInputStream labels = idx(mnist.resolve("t10k-labels-idx1-ubyte.gz"), 8);
             BufferedReader rows = Files.newBufferedReader(csv)) {
            String[] header = rows.readLine().split(",");
            assertEquals(785, header.length);
            assertEquals("p783", header[783]);
            assertEquals("label", header[784]);
            int n = 0;
            for (String row; (row = rows.readLine()) != null; n++) {
                String[] v = row.split(",");
                assertEquals(785, v.length, "row " + n);
                for (int i = 0; i < 784; i++) assertEquals(images.readUnsignedByte(), Integer.parseInt(v[i]), "row " + n + " pixel " + i);
                assertEquals(labels.readUnsignedByte(), Integer.parseInt(v[784]), "row " + n + " label");
            }
            assertEquals(10_000, n);
        }
    }

    private static DataInputStream idx(Path gz, int headerBytes) throws IOException {
        DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(new GZIPInputStream(Files.newInputStream(gz))));
        in.skipNBytes(headerBytes);
        return in;
    }

    /** TrainJob's own command line accepts args (option names and values), without running it. */
    private static void assertTrainJobAccepts(String args) {
        List<String> tokens = new ArrayList<>();
        Matcher m = Pattern.compile("\"([^\"]*)\"|(\\S+)").matcher(args);
        while (m.find()) tokens.add(m.group(1) != null ? m.group(1) : m.group(2));
        picocli.CommandLine cl = new picocli.CommandLine(new dev.kindling.spark.TrainJob());
        cl.parseArgs(tokens.toArray(new String[0]));
        assertTrue(tokens.contains("--model") && tokens.contains("--output"), "TrainJob args: " + tokens);
    }

    private static void assertClassExists(String name, String where) {
        if (name.startsWith("dev.kindling.")) {
            assertTrue(assemblyClasses.contains(name), where + " names " + name + ", which is not in the assembly jar");
        } else {
            try {
                Class.forName(name, false, DockerFilesTest.class.getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(where + " names " + name + ", which Spark " + TestPaths.property("spark.version") + " does not have", e);
            }
        }
    }

    private static List<String> classesIn(String text) {
        List<String> out = new ArrayList<>();
        for (Matcher m = CLASS_NAME.matcher(text); m.find(); ) out.add(m.group());
        return out;
    }

    /** The build-context file that a Dockerfile puts at imagePath. */
    private static Path contextFile(Dockerfile d, String imagePath) {
        Dockerfile.Copy c = d.copyTo(imagePath);
        assertNotNull(c, d.file() + " puts nothing at " + imagePath);
        String name = imagePath.substring(imagePath.lastIndexOf('/') + 1);
        for (String s : c.sources()) {
            Path p = repo.resolve(s);
            if (s.endsWith("/" + name) || s.equals(name)) return p;
            if (Files.isDirectory(p) && Files.exists(p.resolve(name))) return p.resolve(name);
        }
        throw new AssertionError(d.file() + ": no source of " + imagePath + " in " + c);
    }

    private static Map<String, String> sparkConf(Path file) throws IOException {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.startsWith("#") || line.isBlank()) continue;
            String[] kv = line.strip().split("\\s+", 2);
            out.put(kv[0], kv.length > 1 ? kv[1] : "");
        }
        return out;
    }

    private static String xmlProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]*)</" + Pattern.quote(name) + ">").matcher(pom);
        assertTrue(m.find(), name + " in docker/spark-dist/pom.xml");
        return m.group(1);
    }

    private static Map<String, Object> yaml(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return map(new Yaml(new SafeConstructor(new LoaderOptions())).load(in));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        assertTrue(o instanceof Map, "expected a mapping, got " + o);
        return (Map<String, Object>) o;
    }

    private static String sha256(Path file) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) sha.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    record Run(int code, String output) {}

    private static Run run(List<String> command, Path prependPath) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        if (prependPath != null) pb.environment().put("PATH", prependPath + File.pathSeparator + System.getenv("PATH"));
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }
}
