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
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster path for real: a Spark standalone master and one worker on localhost, each in its own JVM (Spark's own
 * {@code Master} and {@code Worker} classes), a Spark home whose {@code jars/} folder links the Maven-resolved jars,
 * and a 6-trial sweep against {@code spark://127.0.0.1:PORT} whose rows must come from the worker's executor. Both
 * JVMs are stopped however the test ends.
 */
class ClusterSweepTest {
    /** What Spark's launcher adds on Java 17, for the master, worker (and, through Spark, its executors). */
    static final List<String> OPENS = List.of("java.lang", "java.lang.invoke", "java.lang.reflect", "java.io", "java.net",
            "java.nio", "java.util", "java.util.concurrent", "java.util.concurrent.atomic", "jdk.internal.ref",
            "sun.nio.ch", "sun.nio.cs", "sun.security.action", "sun.util.calendar");

    @TempDir
    Path dir;

    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void aSweepRunsInTheWorkersExecutor() throws Exception {
        Path home = sparkHome();
        int port = freePort();
        List<Process> processes = new ArrayList<>();
        try {
            processes.add(start(home, "master", List.of("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1",
                    "--port", String.valueOf(port), "--webui-port", String.valueOf(freePort()))));
            awaitPort(port, processes.get(0));
            String master = "spark://127.0.0.1:" + port;
            processes.add(start(home, "worker", List.of("org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1",
                    "--cores", "2", "--memory", "2g", "--webui-port", String.valueOf(freePort()), "--work-dir",
                    dir.resolve("work").toString(), master)));
            SweepSpec spec = SweepSpec.parse("spec", """
                    task: function-shapes
                    flags: {steps: 5, train-size: 32, test-size: 16, hidden: 4}
                    space:
                      cell: [lstm, gru, rnn]
                    seeds: 2
                    """);
            SparkSession spark = SparkSession.builder().appName("rnn4j cluster test").master(master)
                    .config("spark.ui.enabled", false).config("spark.driver.host", "127.0.0.1")
                    .config("spark.executor.memory", "1g").config("spark.cores.max", 2)
                    .config("spark.executor.extraClassPath", classesOnly())
                    .getOrCreate();
            try {
                Sweep.Result r = Sweep.of(spec).run(spark, dir.resolve("out"), new Sweep.Options(2, 0, false));
                assertEquals(6, r.rows().size());
                for (TrialResult row : r.rows()) {
                    assertTrue(row.ok(), row.toString());
                    assertTrue(row.host().contains("/executor-") && !row.host().endsWith("executor-driver"),
                            "ran in the worker's executor, not the driver: " + row.host());
                }
            } finally {
                spark.stop();
            }
        } finally {
            for (Process p : processes) {
                p.descendants().forEach(ProcessHandle::destroyForcibly); // the worker's executors
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A Spark home whose {@code jars/} links every jar of the test class path (what a Worker starts executors with). */
    private Path sparkHome() throws IOException {
        Path home = dir.resolve("spark-home");
        Path jars = Files.createDirectories(home.resolve("jars"));
        Files.writeString(home.resolve("RELEASE"), "Spark 4.0.1 laid out from Maven by rnn4j's tests\n");
        for (String entry : classPath()) {
            Path p = Path.of(entry);
            if (entry.endsWith(".jar") && Files.isRegularFile(p)) {
                Path link = jars.resolve(p.getFileName());
                if (Files.notExists(link)) {
                    Files.createSymbolicLink(link, p.toAbsolutePath());
                }
            }
        }
        return home;
    }

    /** The folders of the test class path (this module's and the reactor's classes), for the executors. */
    private static String classesOnly() {
        return String.join(File.pathSeparator, classPath().stream().filter(e -> !e.endsWith(".jar")).toList());
    }

    private static List<String> classPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return List.of(cp.split(File.pathSeparator));
    }

    private Process start(Path home, String name, List<String> mainAndArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+IgnoreUnrecognizedVMOptions"));
        OPENS.forEach(p -> cmd.add("--add-opens=java.base/" + p + "=ALL-UNNAMED"));
        cmd.addAll(List.of("-cp", home.resolve("jars") + File.separator + "*"));
        cmd.addAll(mainAndArgs);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", home.toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        return pb.start();
    }

    private void awaitPort(int port, Process process) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the master exited: " + Files.readString(dir.resolve("master.log")));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(500);
            }
        }
        throw new IllegalStateException("the master did not listen within 90 s: "
                + Files.readString(dir.resolve("master.log")));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
