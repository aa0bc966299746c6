package dev.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Sweep specs, trial expansion, and a small sweep on an embedded local[2] Spark. */
class SweepTest {
    @TempDir
    Path dir;

    static final String SPEC = """
            task: function-shapes
            flags:
              steps: 15
              train-size: 64
              test-size: 32
              hidden: 8
            space:
              cell: [lstm, gru]
              dropout: [0, 2]
              lr: loguniform(1e-3, 1e-2)
            trials: 2
            seeds: [3]
            """;

    @Test
    void trialsAreTheGridTimesTheDrawsTimesTheSeeds() {
        SweepSpec spec = SweepSpec.parse("spec", SPEC.replace("seeds: [3]", "seeds: 2"));
        List<Trial> trials = Sweep.of(spec).trials();
        assertEquals(2 * 2 * 2 * 2, trials.size());
        assertEquals(trials.size(), trials.stream().map(Trial::id).distinct().count(), "ids are distinct");
        assertEquals(trials, Sweep.of(spec).trials(), "the same spec gives the same trials (draws are seeded)");
        for (Trial t : trials) {
            double lr = Double.parseDouble(t.settings().get("lr"));
            assertTrue(lr >= 1e-3 && lr <= 1e-2, t.toString());
            assertEquals(List.of("cell", "dropout", "lr"), List.copyOf(t.settings().keySet()));
        }
        dev.rnn4j.runs.TrainingRequest first = trials.get(0).request(spec, dir);
        assertEquals(dev.rnn4j.spec.CellType.LSTM, first.cell());
        assertEquals(15, first.steps());
        assertEquals(1, first.seed());
        assertEquals("native", first.backend());
    }

    /** A sweep keeps its spec as JSON; read back, it is the same spec (so the same trials, and --resume can check). */
    @Test
    void specsRoundTripThroughJson() {
        SweepSpec spec = SweepSpec.parse("spec", """
                task: adding
                flags: {steps: 5, bidirectional: true, lr-schedule: cosine}
                space:
                  cell: [lstm, gru]
                  hidden: int(4, 8)
                  lr: loguniform(1e-4, 0.1)
                  dropout: uniform(0, 0.5)
                  clip: choice(1, 5)
                trials: 3
                seeds: [7, 8]
                """);
        SweepSpec back = SweepSpec.parse("spec.json", spec.toJson());
        assertEquals(spec, back, spec.toJson());
        assertEquals(Sweep.of(spec).trials().stream().map(Trial::id).toList(),
                Sweep.of(back).trials().stream().map(Trial::id).toList());
    }

    @Test
    void jsonSpecsAreReadToo() {
        SweepSpec spec = SweepSpec.parse("spec.json", """
                {"task": "adding", "flags": {"steps": 5, "bidirectional": true},
                 "space": {"cell": ["lstm", "gru"], "hidden": "int(4, 8)"}, "trials": 3, "seeds": [7, 8]}
                """);
        assertEquals(2 * 3 * 2, Sweep.of(spec).trials().size());
        assertEquals(List.of(7L, 8L), spec.seeds());
        assertTrue(Sweep.of(spec).trials().get(0).request(spec, dir).bidirectional(), "a switch");
        SweepSpec off = SweepSpec.parse("spec", "task: adding\nflags: {keep-best: false}\nspace: {cell: [lstm]}\n");
        assertEquals(Boolean.FALSE, Sweep.of(off).trials().get(0).request(off, dir).keepBest(),
                "a switch set false is turned off, not left to the recipe's default");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse("spec.json",
                "{\"task\": \"adding\",\n \"space\": {\"lr\": \"loguniform(1)\"}}"));
        assertTrue(e.getMessage().contains("spec.json, line 2, 'space.lr'"), e.getMessage());
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                Arguments.of("task: nope\nspace:\n  cell: [lstm]\n", "spec, line 1, 'task': unknown task 'nope'"),
                Arguments.of("task: adding\nspace:\n  hiden: [8]\n", "spec, line 3, 'hiden': not a setting of this task's training requests"),
                Arguments.of("task: adding\nflags:\n  steps: 3\n", "spec: the search space is empty"),
                Arguments.of("task: adding\nspace:\n  lr: logunifrm(1, 2)\n", "spec, line 3, 'space.lr': unknown distribution 'logunifrm'"),
                Arguments.of("task: adding\nspace:\n  lr: loguniform(0, 2)\n", "needs a < b, a > 0"),
                Arguments.of("task: adding\nspace:\n  lr: uniform(1)\n", "uniform takes two numbers"),
                Arguments.of("task: adding\nspace:\n  seed: [1, 2]\n", "'seed': the sweep sets --seed itself"),
                Arguments.of("task: adding\nspace:\n  cell: [lstm]\ntrials: 0\n", "spec, line 4, 'trials': '0' is not a whole number >= 1"),
                Arguments.of("task: adding\nspace:\n  cell: [lstm\n", "not valid YAML"),
                Arguments.of("task: adding\nspace: {cell: [lstm]}\ncolour: red\n", "spec, line 3, 'colour': unknown key"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badSpecs")
    void badSpecsAreRefusedNamingKeyAndLine(String text, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SweepSpec.parse("spec", text));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }

    /**
     * On local[2]: 4 trials (2 with an invalid dropout, which fail as rows), rows in CSV and Parquet, a summary, a
     * report with figures, the best model kept, and --resume runs nothing twice.
     */
    @Test
    void aLocalSweepWritesRowsReportAndBestModel() throws IOException {
        SweepSpec spec = SweepSpec.parse("spec", SPEC.replace("trials: 2", "trials: 1"));
        Path out = dir.resolve("sweep");
        try (SparkSession spark = SweepCommand.session("local[2]", false)) {
            Sweep.Result r = Sweep.of(spec).run(spark, out, new Sweep.Options(2, 1, false));
            assertEquals(4, r.rows().size());
            assertEquals(2, r.rows().stream().filter(TrialResult::ok).count());
            for (TrialResult row : r.rows()) {
                if (row.settings().get("dropout").equals("2")) {
                    assertEquals(TrialResult.FAILED, row.status());
                    assertTrue(row.error().contains("dropout must be in [0, 1)"), row.error());
                } else {
                    assertEquals("test_accuracy", row.metric());
                    assertTrue(row.value() >= 0 && row.value() <= 1, row.toString());
                    assertEquals(15, row.steps());
                    assertTrue(row.host().contains("/executor-"), row.host());
                }
            }
            List<String> csv = Files.readAllLines(out.resolve("trials.csv"));
            assertEquals("id,cell,dropout,lr,seed,metric,value,steps,seconds,status,error,host", csv.get(0));
            assertEquals(5, csv.size());
            assertEquals(4, spark.read().parquet(out.resolve("trials.parquet").toString()).count());
            JsonObject summary = JsonParser.parseString(Files.readString(out.resolve("summary.json"))).getAsJsonObject();
            assertEquals(2, summary.get("failed").getAsInt());
            assertTrue(summary.getAsJsonObject("importance").has("cell"));
            TrialResult best = Sweep.best(r.rows(), 1).get(0);
            assertEquals(best.id(), summary.getAsJsonArray("best").get(0).getAsJsonObject().get("id").getAsString());
            assertTrue(Files.exists(out.resolve("models").resolve(best.id()).resolve("model.json")), "the best model");
            // the kept model is the trial's own: retrained from the same seed, it scores what the trial scored
            JsonObject m = JsonParser.parseString(Files.readString(out.resolve("models").resolve(best.id())
                    .resolve("metrics.json"))).getAsJsonObject();
            assertEquals(best.value(), m.get("test_metric").getAsDouble(), 0);
            String report = Files.readString(out.resolve("report.md"));
            assertTrue(report.contains("by-cell.png") && report.contains("importance.png"), report);
            assertTrue(Files.size(out.resolve("by-cell.png")) > 0);

            Sweep.Result again = Sweep.of(spec).run(spark, out, new Sweep.Options(2, 1, true));
            assertEquals(0, again.ran(), "--resume skips finished trials");
            assertEquals(4, again.rows().size());
            assertEquals(spec, SweepSpec.read(out.resolve(Sweep.SPEC_FILE)), "the spec is kept beside the results");
            SweepSpec other = SweepSpec.parse("other", SPEC.replace("hidden: 8", "hidden: 9"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Sweep.of(other).run(spark, out, new Sweep.Options(2, 1, true)));
            assertTrue(e.getMessage().contains("holds the trials of another spec"), e.getMessage());

            // a trial Spark gave up on (executors lost, not its own error) runs again on --resume, keeping one row
            Path csvFile = out.resolve("trials.csv");
            String okLine = Files.readAllLines(csvFile).stream().filter(l -> l.contains(",ok,,")).findFirst()
                    .orElseThrow();
            Files.writeString(csvFile, Files.readString(csvFile).replace(okLine,
                    okLine.replace(",ok,,", ",failed,Spark: Job aborted (ExecutorLostFailure),")));
            Sweep.Result retried = Sweep.of(spec).run(spark, out, new Sweep.Options(2, 0, true));
            assertEquals(1, retried.ran(), "the lost trial, and only it");
            List<String> lines = Files.readAllLines(csvFile);
            assertEquals(5, lines.size(), String.join("\n", lines));
            assertEquals(4, lines.stream().skip(1).map(l -> l.substring(0, l.indexOf(','))).distinct().count());
            assertTrue(lines.stream().noneMatch(l -> l.contains("Spark: ")), String.join("\n", lines));
            assertEquals(2, retried.rows().stream().filter(TrialResult::ok).count());
        }
    }

    static Stream<Arguments> badCommands() {
        return Stream.of(
                Arguments.of("task: nope\nspace:\n  cell: [lstm]\n", "local[2]", "line 1, 'task': unknown task 'nope'"),
                Arguments.of("task: adding\nspace:\n  cell: [lstm]\n", "spark://127.0.0.1:1", "cannot be reached"),
                Arguments.of("task: adding\nspace:\n  cell: [lstm]\n", "yarn", "--master must be local[*], local[N] or "
                        + "spark://HOST:PORT"));
    }

    /**
     * The command with no --master (nor spark-submit's) runs embedded, in this JVM's driver executor, with the
     * Spark settings given by --conf.
     */
    @Test
    void theCommandRunsEmbeddedByDefault() throws IOException {
        Path file = Files.writeString(dir.resolve("spec.yaml"), "task: adding\nflags: {steps: 3, length: 5, "
                + "train-size: 32, test-size: 16, hidden: 4}\nspace:\n  cell: [lstm, gru]\n");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(0, dev.rnn4j.cli.Main.run(new java.io.PrintWriter(err, true), "sweep", "--spec", file.toString(),
                "--out", dir.resolve("cmd").toString(), "--keep", "0", "--conf", "spark.default.parallelism=5"),
                err.toString());
        List<String> rows = Files.readAllLines(dir.resolve("cmd").resolve("trials.csv"));
        assertEquals(3, rows.size(), String.join("\n", rows));
        assertTrue(rows.stream().skip(1).allMatch(l -> l.contains(",ok,,") && l.endsWith("/executor-driver")),
                String.join("\n", rows));
        JsonObject summary = JsonParser.parseString(Files.readString(dir.resolve("cmd").resolve("summary.json")))
                .getAsJsonObject();
        assertEquals(5, summary.get("parallelism").getAsInt(), "--conf spark.default.parallelism=5 reached Spark");
    }

    @Test
    void aConfThatIsNotASparkSettingIsRefused() throws IOException {
        Path file = Files.writeString(dir.resolve("spec.yaml"), "task: adding\nspace:\n  cell: [lstm]\n");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, dev.rnn4j.cli.Main.run(new java.io.PrintWriter(err, true), "sweep", "--spec", file.toString(),
                "--out", dir.resolve("out").toString(), "--conf", "executor.memory"), err.toString());
        assertEquals("sweep: --conf must be spark.KEY=VALUE, got 'executor.memory'", err.toString().strip());
    }

    /** The command line refuses a bad spec or master with one line and exit code 2, before any trial. */
    @ParameterizedTest(name = "{2}")
    @MethodSource("badCommands")
    void sweepRefusesWithOneLine(String spec, String master, String expected) throws IOException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, spec);
        java.io.StringWriter err = new java.io.StringWriter();
        int rc = dev.rnn4j.cli.Main.run(new java.io.PrintWriter(err, true), "sweep", "--spec", file.toString(), "--out",
                dir.resolve("out").toString(), "--master", master);
        assertEquals(2, rc, err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains(expected), err.toString());
        assertTrue(Files.notExists(dir.resolve("out").resolve("trials.csv")), "no trial ran");
    }

    @Test
    void anOutputFolderThatCannotBeWrittenIsRefused() throws IOException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, "task: adding\nspace:\n  cell: [lstm]\n");
        Path blocked = Files.writeString(dir.resolve("a-file"), "x");
        java.io.StringWriter err = new java.io.StringWriter();
        assertEquals(2, dev.rnn4j.cli.Main.run(new java.io.PrintWriter(err, true), "sweep", "--spec", file.toString(),
                "--out", blocked.resolve("sub").toString()), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().contains("is a file"), err.toString());
    }

    /** A cluster master that answers, but no app jar to ship to its executors: refused before Spark starts. */
    @Test
    void aClusterSweepWithoutAnAppJarIsRefused() throws IOException {
        Path file = dir.resolve("spec.yaml");
        Files.writeString(file, "task: adding\nspace:\n  cell: [lstm]\n");
        try (java.net.ServerSocket master = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            java.io.StringWriter err = new java.io.StringWriter();
            int rc = dev.rnn4j.cli.Main.run(new java.io.PrintWriter(err, true), "sweep", "--spec", file.toString(),
                    "--out", dir.resolve("out").toString(), "--master", "spark://127.0.0.1:" + master.getLocalPort(),
                    "--app-jar", dir.resolve("missing-app.jar").toString());
            assertEquals(2, rc, err.toString());
            assertEquals(1, err.toString().strip().lines().count(), err.toString());
            assertTrue(err.toString().contains("missing-app.jar does not exist: build it with `mvn package`"),
                    err.toString());
        }
    }

    @Test
    void importanceIsTheShareOfVarianceOfTheMarginalMeans() {
        List<TrialResult> rows = List.of(row("a", "1", 1.0), row("a", "2", 1.0), row("b", "1", 3.0), row("b", "2", 3.0));
        assertEquals(1.0, SweepReport.importance(rows, "cell"), 1e-12, "cell explains everything");
        assertEquals(0.0, SweepReport.importance(rows, "hidden"), 1e-12, "hidden explains nothing");
    }

    private static TrialResult row(String cell, String hidden, double value) {
        return new TrialResult("x", java.util.Map.of("cell", cell, "hidden", hidden), 1, "test_mse", value, 1, 1,
                TrialResult.OK, "", "h");
    }
}
