package dev.rnn4j.spark;

import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.train.Metrics;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * A sweep on Spark: every trial one Spark task that trains with the native engine where it runs, rows written to
 * {@code trials.csv} as trials finish, then {@code trials.parquet}, {@code summary.json}, {@code report.md} with its
 * figures, and the best trials' models in {@code models/}.
 *
 * <pre>{@code
 * SweepSpec spec = SweepSpec.read(Path.of("sweep.yaml"));
 * try (SparkSession spark = SparkSession.builder().master("local[*]").getOrCreate()) {
 *     Sweep.Result r = Sweep.of(spec).run(spark, Path.of("out/sweep"), Sweep.Options.defaults());
 * }
 * }</pre>
 */
public final class Sweep {
    /** The draws of the distributions are seeded from this, so the same spec gives the same trials. */
    static final long SAMPLING_SEED = 20170101L;

    private final SweepSpec spec;

    private Sweep(SweepSpec spec) {
        this.spec = spec;
    }

    public static Sweep of(SweepSpec spec) {
        return new Sweep(spec);
    }

    /**
     * How to run.
     *
     * @param parallelism trials running at once (0: Spark's default parallelism, e.g. the cores of local[*])
     * @param keep        the best trials whose models are written to {@code models/}
     * @param resume      skip trials whose ids already have rows in {@code trials.csv}, but for those Spark gave up on
     */
    public record Options(int parallelism, int keep, boolean resume) {
        public static Options defaults() {
            return new Options(0, 3, false);
        }
    }

    /**
     * What a sweep did.
     *
     * @param rows        every trial's row, the resumed ones included
     * @param ran         trials run by this call
     * @param wallSeconds this call's wall-clock seconds
     */
    public record Result(List<TrialResult> rows, int ran, double wallSeconds) {
    }

    /** Every trial: the grid's points (in the spec's order), each with its draws, each with every seed. */
    public List<Trial> trials() {
        List<Map<String, String>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (var axis : spec.space().entrySet()) {
            if (axis.getValue() instanceof SweepSpec.Grid grid) {
                List<Map<String, String>> next = new ArrayList<>();
                for (Map<String, String> p : points) {
                    for (String v : grid.values()) {
                        Map<String, String> q = new LinkedHashMap<>(p);
                        q.put(axis.getKey(), v);
                        next.add(q);
                    }
                }
                points = next;
            }
        }
        SplittableRandom rng = new SplittableRandom(SAMPLING_SEED);
        List<Trial> trials = new ArrayList<>();
        for (Map<String, String> point : points) {
            for (int k = 0; k < spec.trials(); k++) {
                Map<String, String> settings = new LinkedHashMap<>();
                for (var axis : spec.space().entrySet()) { // the spec's order, grid values and draws alike
                    settings.put(axis.getKey(), axis.getValue() instanceof SweepSpec.Distribution d ? d.draw(rng)
                            : point.get(axis.getKey()));
                }
                for (long seed : spec.seeds()) {
                    trials.add(Trial.of(spec, settings, seed));
                }
            }
        }
        return trials;
    }

    /** Where a sweep keeps its spec, as JSON, beside its results ({@code --resume} checks it; a spec to rerun). */
    public static final String SPEC_FILE = "spec.json";

    /**
     * Checks that {@code out} holds this spec's trials, or none, before {@code --resume} adds to them.
     *
     * @throws IllegalArgumentException if {@code out} was written by another spec
     */
    public void requireResumable(Path out) throws IOException {
        Path saved = out.resolve(SPEC_FILE);
        if (Files.exists(saved) && !SweepSpec.parse(saved.toString(), Files.readString(saved)).equals(spec)) {
            throw new IllegalArgumentException("--resume: " + out + " holds the trials of another spec (" + saved
                    + "); resume with that spec, or use another --out");
        }
    }

    /**
     * Runs every trial (but those already in {@code out/trials.csv} with {@code resume}) on {@code spark}, then
     * writes the results.
     */
    public Result run(SparkSession spark, Path out, Options options) throws IOException {
        Files.createDirectories(out);
        AtomicFiles.requireWritableFolder(out);
        if (options.resume()) {
            requireResumable(out);
        }
        AtomicFiles.writeString(out.resolve(SPEC_FILE), spec.toJson());
        Path csv = out.resolve("trials.csv");
        List<TrialResult> earlier = options.resume() ? readCsv(csv) : List.of();
        // a trial Spark gave up on (a lost executor, not its own error) runs again: its row goes
        List<TrialResult> rows = new ArrayList<>(earlier.stream().filter(r -> !r.lost()).toList());
        Set<String> done = rows.stream().map(TrialResult::id).collect(Collectors.toSet());
        List<Trial> todo = trials().stream().filter(t -> !done.contains(t.id())).toList();
        if (!options.resume() || !Files.exists(csv) || rows.size() < earlier.size()) {
            StringBuilder kept = new StringBuilder(String.join(",", header())).append('\n');
            for (TrialResult r : rows) {
                kept.append(csvLine(r));
            }
            AtomicFiles.writeString(csv, kept.toString());
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int parallelism = options.parallelism() > 0 ? options.parallelism() : jsc.defaultParallelism();
        long start = System.nanoTime();
        SweepSpec s = spec;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, parallelism));
        try (BufferedWriter writer = Files.newBufferedWriter(csv, StandardCharsets.UTF_8, StandardOpenOption.APPEND)) {
            CompletionService<TrialResult> jobs = new ExecutorCompletionService<>(pool);
            for (Trial t : todo) { // one Spark job per trial: rows come back as trials finish, not at the end
                jobs.submit(() -> {
                    jsc.setJobDescription("trial " + t.id() + " " + t.settings() + " seed " + t.seed());
                    long jobStart = System.nanoTime();
                    String request;
                    try { // checked on the driver: a trial with a bad setting is a failed row, not a job
                        request = t.request(s, Path.of("trial-" + t.id())).toJson().toString();
                    } catch (RuntimeException e) {
                        return TrialResult.failed(t, e.getMessage() == null ? e.toString() : e.getMessage(), 0, "driver");
                    }
                    try { // the executor gets the request as JSON, and rnn4j's run harness does the rest
                        return jsc.parallelize(List.of(request), 1).map(t::run).collect().get(0);
                    } catch (Exception e) { // SparkException (checked, thrown from Scala): Spark gave up, its retries
                        // spent (executors lost, say); the trial is a row, the sweep goes on
                        return TrialResult.lost(t, firstLine(e.getMessage()), (System.nanoTime() - jobStart) / 1e9);
                    }
                });
            }
            for (int i = 0; i < todo.size(); i++) {
                TrialResult r = jobs.take().get();
                rows.add(r);
                writer.write(csvLine(r));
                writer.flush(); // a killed sweep keeps every finished trial
                double elapsed = (System.nanoTime() - start) / 1e9;
                System.err.printf(java.util.Locale.ROOT, "sweep: %d/%d trials, %.0f s, about %.0f s to go; %s %s seed %d"
                        + " on %s: %s%n", i + 1, todo.size(), elapsed, elapsed / (i + 1) * (todo.size() - i - 1), r.id(),
                        r.settings(), r.seed(), r.host(), r.ok() ? r.metric() + " " + r.value() : "failed: " + r.error());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("sweep interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a Spark job failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        writeParquet(spark, rows, out.resolve("trials.parquet"));
        Result result = new Result(List.copyOf(rows), todo.size(), seconds);
        keepBest(rows, options.keep(), out.resolve("models"));
        SweepReport.write(spec, result, parallelism, out);
        return result;
    }

    /** The best {@code keep} trials trained again on the driver (the same seed gives the same model) into DIR/models. */
    private void keepBest(List<TrialResult> rows, int keep, Path models) throws IOException {
        for (TrialResult r : best(rows, keep)) {
            Path dir = models.resolve(r.id());
            if (Files.exists(dir.resolve("model.json"))) {
                continue;
            }
            Trial t = new Trial(r.id(), r.settings(), r.seed());
            try {
                t.request(spec, dir).run();
            } catch (RuntimeException e) {
                throw new IllegalStateException("retraining the best trial " + r.id() + " failed: " + e.getMessage(), e);
            }
        }
    }

    /** The {@code k} best successful rows, best first. */
    static List<TrialResult> best(List<TrialResult> rows, int k) {
        List<TrialResult> ok = rows.stream().filter(TrialResult::ok).toList();
        boolean higher = !ok.isEmpty() && Metrics.higherIsBetter(ok.get(0).metric());
        Comparator<TrialResult> byValue = Comparator.comparingDouble(r -> higher ? -r.value() : r.value());
        // ties by id, so the kept models do not depend on which trial finished first
        return ok.stream().sorted(byValue.thenComparing(TrialResult::id)).limit(k).toList();
    }

    private List<String> header() {
        List<String> h = new ArrayList<>(List.of("id"));
        h.addAll(spec.space().keySet());
        h.addAll(List.of("seed", "metric", "value", "steps", "seconds", "status", "error", "host"));
        return h;
    }

    /** A row's cells in {@link #header()}'s order; a failed trial's value is null (an empty CSV cell). */
    private List<Object> cells(TrialResult r) {
        List<Object> v = new ArrayList<>(List.of(r.id()));
        spec.space().keySet().forEach(k -> v.add(r.settings().get(k)));
        v.addAll(java.util.Arrays.asList(r.seed(), r.metric(), r.ok() ? r.value() : null, r.steps(), r.seconds(),
                r.status(), r.error(), r.host()));
        return v;
    }

    private String csvLine(TrialResult r) throws IOException {
        StringWriter text = new StringWriter();
        try (CSVPrinter p = new CSVPrinter(text, CSVFormat.DEFAULT)) {
            p.printRecord(cells(r));
        }
        return text.toString();
    }

    /** The rows of an earlier run's {@code trials.csv} (a line cut short by a kill is skipped). */
    private List<TrialResult> readCsv(Path csv) throws IOException {
        if (!Files.exists(csv)) {
            return List.of();
        }
        List<TrialResult> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(csv, StandardCharsets.UTF_8)) {
            for (CSVRecord r : CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
                if (!r.isConsistent() || !r.isMapped("status")) {
                    continue;
                }
                Map<String, String> settings = new LinkedHashMap<>();
                spec.space().keySet().forEach(k -> settings.put(k, r.isMapped(k) ? r.get(k) : ""));
                String value = r.get("value");
                rows.add(new TrialResult(r.get("id"), settings, Long.parseLong(r.get("seed")), r.get("metric"),
                        value.isEmpty() ? Double.NaN : Double.parseDouble(value), Integer.parseInt(r.get("steps")),
                        Double.parseDouble(r.get("seconds")), r.get("status"), r.get("error"), r.get("host")));
            }
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            throw new IllegalArgumentException(csv + " is not a sweep's trials.csv (" + e.getMessage() + "): --resume "
                    + "needs the same spec's results", e);
        }
        return rows;
    }

    /** Every row as Parquet, one column per setting (text), through Spark SQL. */
    private void writeParquet(SparkSession spark, List<TrialResult> rows, Path file) {
        List<StructField> fields = new ArrayList<>(List.of(DataTypes.createStructField("id", DataTypes.StringType, false)));
        spec.space().keySet().forEach(k -> fields.add(DataTypes.createStructField(k, DataTypes.StringType, true)));
        fields.addAll(List.of(DataTypes.createStructField("seed", DataTypes.LongType, false),
                DataTypes.createStructField("metric", DataTypes.StringType, false),
                DataTypes.createStructField("value", DataTypes.DoubleType, true),
                DataTypes.createStructField("steps", DataTypes.IntegerType, false),
                DataTypes.createStructField("seconds", DataTypes.DoubleType, false),
                DataTypes.createStructField("status", DataTypes.StringType, false),
                DataTypes.createStructField("error", DataTypes.StringType, false),
                DataTypes.createStructField("host", DataTypes.StringType, false)));
        List<Row> data = new ArrayList<>();
        for (TrialResult r : rows) {
            data.add(RowFactory.create(cells(r).toArray()));
        }
        Dataset<Row> frame = spark.createDataFrame(data, new StructType(fields.toArray(StructField[]::new)));
        frame.coalesce(1).write().mode("overwrite").parquet(file.toAbsolutePath().toString());
    }

    private static String firstLine(String message) {
        return message == null ? "no message" : message.strip().lines().findFirst().orElse("no message");
    }
}
