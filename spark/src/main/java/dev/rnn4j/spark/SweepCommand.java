package dev.rnn4j.spark;

import dev.rnn4j.cli.CommandPlugin;
import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.nativeengine.kernels.Buffers;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code rnn4j sweep}: runs a {@link SweepSpec} on Spark, embedded in this JVM by default ({@code local[*]}), or on a
 * standalone cluster ({@code --master spark://HOST:PORT}); see {@link Sweep}.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Train every trial of a sweep spec (YAML or JSON) on Apache Spark and report what matters.")
public final class SweepCommand implements Callable<Integer> {

    /** Adds {@code sweep} to the command line when this module is on the class path. */
    public static final class Plugin implements CommandPlugin {
        @Override
        public Object command() {
            return new SweepCommand();
        }
    }

    /** How long {@code --master spark://...} may take to answer before the sweep gives up. */
    static final int CONNECT_TIMEOUT_MS = 5000;

    /** The app jar the build produced ({@code spark/target/rnn4j-spark-*-app.jar}); the launcher sets it when built. */
    public static final String APP_JAR_PROPERTY = "rnn4j.spark.app-jar";

    /** Executor JVM options; unless given, a cluster's executors get {@value #FAST_KERNELS}. */
    static final String EXECUTOR_OPTIONS = "spark.executor.extraJavaOptions";

    /**
     * The Vector API, for the native engine's fast kernels (about 13x faster than its scalar ones on LSTM 128), and
     * objects on 64-byte boundaries, so that their panels start on cache lines (about a tenth faster), as the
     * launcher starts the driver.
     */
    static final String FAST_KERNELS = "--add-modules=jdk.incubator.vector " + Buffers.ALIGNING_JVM_OPTION;

    @Option(names = "--spec", required = true, description = "The sweep spec: task, flags, space, trials, seeds.")
    Path spec;

    @Option(names = "--out", required = true, description = "Output folder: trials.csv, trials.parquet, summary.json, "
            + "report.md, figures, models/.")
    Path out;

    @Option(names = "--master", description = "local[*], local[N] (embedded, no installation) or spark://HOST:PORT "
            + "(default: spark-submit's --master, else local[*]).")
    String master;

    @Option(names = "--app-jar", description = "For spark://: the jar shipped to the executors (default: the one the "
            + "build produced, spark/target/rnn4j-spark-*-app.jar; under spark-submit, its own application jar).")
    Path appJar;

    @Option(names = "--parallelism", defaultValue = "0", description = "Trials at once (default: Spark's default "
            + "parallelism, e.g. the cores of local[*]).")
    int parallelism;

    @Option(names = "--keep", defaultValue = "3", description = "Write the models of the best K trials into OUT/models "
            + "(default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--resume", description = "Skip the trials that already have rows in OUT/trials.csv (those "
            + "Spark gave up on, e.g. when executors were lost, run again).")
    boolean resume;

    @Option(names = "--ui", description = "Start Spark's web UI (off by default).")
    boolean ui;

    @Option(names = "--conf", paramLabel = "KEY=VALUE", description = "A Spark setting, as spark-submit's --conf "
            + "(spark.executor.memory=4g, spark.driver.host=HOST, ...); repeatable.")
    List<String> conf = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        Sweep sweep = Sweep.of(SweepSpec.read(spec)); // every spec problem before Spark starts
        if (parallelism < 0 || keep < 0) {
            throw new IllegalArgumentException("--parallelism and --keep must be >= 0");
        }
        Map<String, String> settings = sparkSettings(conf);
        AtomicFiles.requireWritableFolder(out);
        String resolved = master != null ? master : System.getProperty("spark.master", "local[*]");
        if (resume) {
            sweep.requireResumable(out);
        }
        requireReachable(resolved);
        String jars = jarsForExecutors(resolved, appJar);
        try (SparkSession spark = session(resolved, ui, jars, settings)) {
            Sweep.Result r = sweep.run(spark, out, new Sweep.Options(parallelism, keep, resume));
            long failed = r.rows().stream().filter(x -> !x.ok()).count();
            System.out.printf(Locale.ROOT, "%d trials (%d failed), %d run now in %.1f s; best: %s; report in %s%n",
                    r.rows().size(), failed, r.ran(), r.wallSeconds(), Sweep.best(r.rows(), 1).stream()
                            .map(b -> b.settings() + " seed " + b.seed() + " " + b.metric() + " " + b.value())
                            .findFirst().orElse("none"), out.resolve("report.md"));
        }
        return 0;
    }

    /** An embedded Spark session for sweeps: quiet, UI off unless asked. */
    public static SparkSession session(String master, boolean ui) {
        return session(master, ui, null, Map.of());
    }

    /**
     * A Spark session for sweeps: quiet, UI off unless asked; {@code jars} (comma-separated, or null) is what the
     * executors load rnn4j from ({@code spark.jars}); {@code settings} (from {@code --conf}) come last.
     */
    static SparkSession session(String master, boolean ui, String jars, Map<String, String> settings) {
        SparkSession.Builder b = SparkSession.builder().appName("rnn4j sweep").master(master)
                .config("spark.ui.enabled", ui).config("spark.ui.showConsoleProgress", false)
                .config("spark.sql.shuffle.partitions", 1);
        if (!master.startsWith("local") && System.getProperty(EXECUTOR_OPTIONS) == null
                && !settings.containsKey(EXECUTOR_OPTIONS)) {
            b.config(EXECUTOR_OPTIONS, FAST_KERNELS); // else the executors' native engine runs its scalar kernels
        }
        if (jars != null) {
            b.config("spark.jars", jars);
        }
        settings.forEach(b::config);
        return b.getOrCreate();
    }

    /**
     * What a cluster's executors load rnn4j from: nothing to add for local masters or under spark-submit (which ships
     * its application jar and sets {@code spark.jars}); otherwise {@code --app-jar}, else the build's app jar.
     *
     * @throws IllegalArgumentException naming the missing jar, before Spark starts
     */
    static String jarsForExecutors(String master, Path appJar) {
        if (!master.startsWith("spark://") || (appJar == null && System.getProperty("spark.jars") != null)) {
            return null;
        }
        String built = System.getProperty(APP_JAR_PROPERTY);
        Path jar = appJar != null ? appJar : built != null ? Path.of(built) : null;
        if (jar == null || !Files.isRegularFile(jar)) {
            throw new IllegalArgumentException("--master " + master + " ships rnn4j to the executors in its app jar, "
                    + (jar == null ? "and none is known" : "and " + jar + " does not exist")
                    + ": build it with `mvn package` (spark/target/rnn4j-spark-*-app.jar) or name one with --app-jar");
        }
        return jar.toAbsolutePath().toString();
    }

    /**
     * The {@code --conf KEY=VALUE} settings, in order.
     *
     * @throws IllegalArgumentException naming the first that is not {@code spark.KEY=VALUE}
     */
    static Map<String, String> sparkSettings(List<String> conf) {
        Map<String, String> settings = new LinkedHashMap<>();
        for (String c : conf) {
            int eq = c.indexOf('=');
            if (eq < 0 || !c.startsWith("spark.") || eq == c.length() - 1) {
                throw new IllegalArgumentException("--conf must be spark.KEY=VALUE, got '" + c + "'");
            }
            settings.put(c.substring(0, eq), c.substring(eq + 1));
        }
        return settings;
    }

    /** Refuses a master URL that is malformed or, for a cluster, does not answer within {@value #CONNECT_TIMEOUT_MS} ms. */
    static void requireReachable(String master) {
        if (master.matches("local(\\[(\\*|[1-9][0-9]*)\\])?")) {
            return;
        }
        if (!master.startsWith("spark://")) {
            throw new IllegalArgumentException("--master must be local[*], local[N] or spark://HOST:PORT, got '" + master
                    + "'");
        }
        URI uri = URI.create(master);
        if (uri.getHost() == null || uri.getPort() < 0) {
            throw new IllegalArgumentException("--master must be spark://HOST:PORT, got '" + master + "'");
        }
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()), CONNECT_TIMEOUT_MS);
        } catch (IOException e) {
            throw new IllegalArgumentException("--master " + master + " cannot be reached within "
                    + CONNECT_TIMEOUT_MS / 1000 + " s (" + e.getMessage() + ")");
        }
    }
}
