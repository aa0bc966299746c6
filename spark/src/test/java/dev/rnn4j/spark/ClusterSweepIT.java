package dev.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path for real, on Spark's own jars: a Spark home whose {@code jars/} holds what a Spark 4.0.1
 * distribution has (module {@code spark-distribution}: spark-sql resolved without rnn4j's version pins, so protobuf
 * 4.x, Spark's log4j binding, no rnn4j), Spark's own standalone {@code Master} and {@code Worker} on 127.0.0.1, each
 * in its own JVM, and rnn4j reaching the executors only in its app jar ({@code spark.jars}). Two sweeps of 6 trials:
 * from the Java API in this JVM (client mode), and through {@code spark-submit} (Spark's {@code SparkSubmit} class,
 * which the script runs) with the app jar; every row must come from the worker's executor. Then the executor is
 * killed mid-sweep: Spark's retries run its trials again on a new one, or, with none left, they are failed rows and
 * the sweep goes on. Master, worker and
 * executors are killed however the tests end. Runs after {@code package} (integration-test), which builds the jar.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class ClusterSweepIT {
    /** What Spark's launcher adds on Java 17 (the pom's spark.jvm.options), for the master, worker and spark-submit. */
    static final List<String> SPARK_JVM_OPTIONS = Stream.of(System.getProperty("rnn4j.spark.jvm-options", "")
            .split("\\s+")).filter(o -> !o.isEmpty()).toList();

    static final String SPEC = """
            task: function-shapes
            flags: {steps: 5, train-size: 32, test-size: 16, hidden: 4}
            space:
              cell: [lstm, gru, rnn]
            seeds: 2
            """;

    /** One folder for the cluster's logs, work and every sweep (static: created before {@code @BeforeAll}). */
    @TempDir
    static Path dir;

    private final List<Process> processes = new ArrayList<>();
    private Path home;
    private Path appJar;
    private String master;

    @BeforeAll
    void startCluster() throws Exception {
        appJar = Path.of(System.getProperty(SweepCommand.APP_JAR_PROPERTY, "(unset)"));
        assertTrue(Files.isRegularFile(appJar), "no app jar at " + appJar + ": run the tests with `mvn verify`");
        assertTrue(SPARK_JVM_OPTIONS.contains("--add-opens=java.base/java.nio=ALL-UNNAMED"),
                "Spark's JVM options come from the pom (rnn4j.spark.jvm-options): " + SPARK_JVM_OPTIONS);
        home = sparkHome();
        int port = freePort();
        processes.add(start("master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()))));
        awaitPort(port, processes.get(0));
        master = "spark://127.0.0.1:" + port;
        processes.add(start("worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                "--cores", "2", "--memory", "2g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                dir.resolve("work").toString(), master)));
    }

    @AfterAll
    void stopCluster() throws InterruptedException {
        for (Process p : processes) {
            p.descendants().forEach(ProcessHandle::destroyForcibly); // the worker's executors, spark-submit's children
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSweepFromJavaRunsInTheWorkersExecutor() throws Exception {
        SparkSession spark = clusterSession("rnn4j cluster test").getOrCreate();
        try {
            Sweep.Result r = Sweep.of(SweepSpec.parse("spec", SPEC)).run(spark, dir.resolve("java"),
                    new Sweep.Options(2, 0, false));
            assertEquals(6, r.rows().size());
            for (TrialResult row : r.rows()) {
                assertTrue(row.ok(), row.toString());
                assertRanOnTheWorker(row.host());
            }
        } finally {
            spark.stop();
        }
    }

    @Test
    void sparkSubmitRunsTheSweepCommandFromTheAppJar() throws Exception {
        Path spec = Files.writeString(dir.resolve("sweep.yaml"), SPEC);
        Path out = dir.resolve("submitted");
        Process submit = start("spark-submit", List.of("org.apache.spark.deploy.SparkSubmit", "--master", master,
                "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.executor.memory=1g",
                "--conf", "spark.cores.max=2", appJar.toString(),
                "sweep", "--spec", spec.toString(), "--out", out.toString(), "--keep", "1"));
        processes.add(submit);
        assertTrue(submit.waitFor(180, TimeUnit.SECONDS), "spark-submit did not finish within 180 s");
        assertEquals(0, submit.exitValue(), () -> "spark-submit failed: " + log("spark-submit"));
        List<CSVRecord> rows = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).build()
                .parse(Files.newBufferedReader(out.resolve("trials.csv"))).getRecords();
        assertEquals(6, rows.size());
        for (CSVRecord row : rows) {
            assertEquals("ok", row.get("status"), row.toString());
            assertTrue(!row.get("host").endsWith("executor-driver"), () -> "ran in the driver: " + log("spark-submit"));
            assertRanOnTheWorker(row.get("host"));
        }
        assertTrue(Files.isRegularFile(out.resolve("report.md")) && Files.isRegularFile(out.resolve("summary.json")));
        try (var kept = Files.list(out.resolve("models"))) {
            assertEquals(1, kept.count(), "--keep 1: one model, trained again on the driver");
        }
    }

    /** Spark's task retries cover a lost executor: killed mid-sweep, its trials run again on a new one. */
    @Test
    void aLostExecutorsTrialsRunAgainOnANewOne() throws Exception {
        List<TrialResult> rows = sweepKillingTheExecutor(4, "retried");
        assertEquals(6, rows.size());
        rows.forEach(r -> assertTrue(r.ok(), r.toString()));
        assertTrue(rows.stream().map(TrialResult::host).distinct().count() >= 2, "a second executor took over: " + rows);
    }

    /** With no retries left, a lost trial is a failed row with Spark's reason, and the sweep goes on without it. */
    @Test
    void whenSparkGivesUpATrialItIsAFailedRow() throws Exception {
        List<TrialResult> rows = sweepKillingTheExecutor(1, "given-up");
        assertEquals(6, rows.size());
        List<TrialResult> failed = rows.stream().filter(r -> !r.ok()).toList();
        assertTrue(!failed.isEmpty() && failed.size() < 6, "the trials in flight failed, the others ran: " + rows);
        failed.forEach(r -> assertTrue(r.error().startsWith("Spark: ") && r.error().contains("failed 1 times"),
                r.error()));
    }

    /**
     * Runs 6 trials of a few seconds with {@code spark.task.maxFailures} set, killing the worker's executor once the
     * first row is written and another trial has been running for 0.2 s (the worker then starts a new executor), and
     * returns the rows. A trial runs in a temporary folder of the executor's {@code java.io.tmpdir}, which is how the
     * killer sees it run (Spark's own task counts lag by up to a second).
     */
    private List<TrialResult> sweepKillingTheExecutor(int maxFailures, String name) throws Exception {
        SweepSpec spec = SweepSpec.parse("spec", SPEC.replace("steps: 5, train-size: 32, test-size: 16, hidden: 4",
                "steps: 1500, train-size: 256, test-size: 16, hidden: 32"));
        Path csv = dir.resolve(name).resolve("trials.csv");
        Path executorTemp = Files.createDirectories(dir.resolve(name + "-executor-tmp"));
        SparkSession spark = clusterSession("rnn4j " + name).config("spark.task.maxFailures", maxFailures)
                .config(SweepCommand.EXECUTOR_OPTIONS, SweepCommand.FAST_KERNELS + " -Djava.io.tmpdir=" + executorTemp)
                .getOrCreate();
        AtomicInteger rowsAtKill = new AtomicInteger(-1);
        Thread killer = new Thread(() -> {
            Map<Path, Long> firstSeen = new HashMap<>();
            try {
                while (true) {
                    long now = System.nanoTime();
                    List<Path> running;
                    try (var trials = Files.list(executorTemp)) {
                        running = trials.filter(p -> p.getFileName().toString().startsWith("rnn4j-trial-")).toList();
                    }
                    running.forEach(p -> firstSeen.putIfAbsent(p, now));
                    boolean oneRow = Files.exists(csv) && Files.readAllLines(csv).size() >= 2;
                    if (oneRow && running.stream().anyMatch(p -> now - firstSeen.get(p) >= 200_000_000L)) {
                        break;
                    }
                    Thread.sleep(20);
                }
                processes.get(1).descendants().filter(p -> p.info().commandLine().orElse("")
                        .contains("CoarseGrainedExecutorBackend")).forEach(ProcessHandle::destroyForcibly);
                rowsAtKill.set(Files.readAllLines(csv).size() - 1);
            } catch (IOException | InterruptedException e) {
                rowsAtKill.set(-2);
            }
        });
        killer.start();
        try {
            Sweep.Result r = Sweep.of(spec).run(spark, dir.resolve(name), new Sweep.Options(2, 0, false));
            killer.join(10_000);
            assertTrue(rowsAtKill.get() >= 1 && rowsAtKill.get() < 6, "killed mid-sweep, after " + rowsAtKill + " rows");
            return r.rows();
        } finally {
            killer.interrupt();
            spark.stop();
        }
    }

    /** A client-mode session on the test's master: one executor of 2 cores, rnn4j shipped in the app jar. */
    private SparkSession.Builder clusterSession(String appName) {
        return SparkSession.builder().appName(appName).master(master)
                .config("spark.ui.enabled", false).config("spark.driver.host", "127.0.0.1")
                .config("spark.executor.memory", "1g").config("spark.cores.max", 2)
                .config("spark.jars", appJar.toString());
    }

    private static void assertRanOnTheWorker(String host) {
        assertTrue(host.contains("/executor-") && !host.endsWith("executor-driver"),
                "ran in the worker's executor, not the driver: " + host);
    }

    /** A Spark home whose {@code jars/} links Spark 4.0.1's own jars (what a Worker starts executors with). */
    private Path sparkHome() throws IOException {
        Path list = Path.of(System.getProperty("rnn4j.spark.home-classpath", "(unset)"));
        assertTrue(Files.isRegularFile(list), "no list of Spark's jars at " + list + " (module spark-distribution)");
        Path sparkHome = dir.resolve("spark-home");
        Path jars = Files.createDirectories(sparkHome.resolve("jars"));
        Files.writeString(sparkHome.resolve("RELEASE"), "Spark 4.0.1 laid out from Maven by rnn4j's tests\n");
        for (String entry : Files.readString(list).strip().split(File.pathSeparator)) {
            Path jar = Path.of(entry);
            Path link = jars.resolve(jar.getFileName());
            if (Files.notExists(link)) {
                Files.createSymbolicLink(link, jar.toAbsolutePath());
            }
        }
        return sparkHome;
    }

    private Process start(String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m"));
        cmd.addAll(SPARK_JVM_OPTIONS);
        cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private String log(String name) {
        try {
            return Files.readString(dir.resolve(name + ".log"));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    private void awaitPort(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the master exited: " + log("master"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the master did not listen within 90 s: " + log("master"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
