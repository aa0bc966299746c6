package dev.rnn4j.spark;

import dev.rnn4j.cli.CommandPlugin;
import dev.rnn4j.io.AtomicFiles;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;
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

    @Option(names = "--spec", required = true, description = "The sweep spec: task, flags, space, trials, seeds.")
    Path spec;

    @Option(names = "--out", required = true, description = "Output folder: trials.csv, trials.parquet, summary.json, "
            + "report.md, figures, models/.")
    Path out;

    @Option(names = "--master", defaultValue = "local[*]", description = "local[*], local[N] (embedded, no "
            + "installation) or spark://HOST:PORT (default: ${DEFAULT-VALUE}).")
    String master;

    @Option(names = "--parallelism", defaultValue = "0", description = "Trials at once (default: Spark's default "
            + "parallelism, e.g. the cores of local[*]).")
    int parallelism;

    @Option(names = "--keep", defaultValue = "3", description = "Write the models of the best K trials into OUT/models "
            + "(default: ${DEFAULT-VALUE}).")
    int keep;

    @Option(names = "--resume", description = "Skip the trials that already have rows in OUT/trials.csv.")
    boolean resume;

    @Option(names = "--ui", description = "Start Spark's web UI (off by default).")
    boolean ui;

    @Override
    public Integer call() throws IOException {
        SweepSpec s = SweepSpec.read(spec); // every spec problem before Spark starts
        if (parallelism < 0 || keep < 0) {
            throw new IllegalArgumentException("--parallelism and --keep must be >= 0");
        }
        AtomicFiles.requireWritableFolder(out);
        requireReachable(master);
        try (SparkSession spark = session(master, ui)) {
            Sweep.Result r = Sweep.of(s).run(spark, out, new Sweep.Options(parallelism, keep, resume));
            long failed = r.rows().stream().filter(x -> !x.ok()).count();
            System.out.printf(Locale.ROOT, "%d trials (%d failed), %d run now in %.1f s; best: %s; report in %s%n",
                    r.rows().size(), failed, r.ran(), r.wallSeconds(), Sweep.best(r.rows(), 1).stream()
                            .map(b -> b.settings() + " seed " + b.seed() + " " + b.metric() + " " + b.value())
                            .findFirst().orElse("none"), out.resolve("report.md"));
        }
        return 0;
    }

    /** An embedded or cluster Spark session for sweeps: quiet, UI off unless asked. */
    public static SparkSession session(String master, boolean ui) {
        return SparkSession.builder().appName("rnn4j sweep").master(master).config("spark.ui.enabled", ui)
                .config("spark.ui.showConsoleProgress", false).config("spark.sql.shuffle.partitions", 1)
                .getOrCreate();
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
