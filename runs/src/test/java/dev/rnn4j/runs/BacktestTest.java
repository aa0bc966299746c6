package dev.rnn4j.runs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.datasets.forecasting.Accuracy;
import dev.rnn4j.datasets.forecasting.Benchmarks;
import dev.rnn4j.datasets.forecasting.SeriesTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rolling-origin backtests: where each origin cuts the series, what each origin's model saw, the benchmarks' figures
 * at an origin recomputed from the series directly, and the means.
 */
class BacktestTest {
    private static final int H = 6;
    private static final int M = 12;
    private static final int LENGTH = 120;

    @TempDir
    static Path dir;
    private static SeriesTable whole;

    @BeforeAll
    static void series() throws IOException {
        SplittableRandom rng = new SplittableRandom(7);
        List<String> ids = new ArrayList<>();
        List<double[]> values = new ArrayList<>();
        for (int s = 1; s <= 24; s++) {
            double level = 50 + 500 * rng.nextDouble();
            double[] x = new double[LENGTH - (s == 24 ? 50 : 0)]; // the last one too short at the first origin
            for (int t = 0; t < x.length; t++) {
                x[t] = level * (1 + 0.3 * Math.sin(2 * Math.PI * t / M) + 0.05 * rng.nextGaussian());
            }
            ids.add("S" + s);
            values.add(x);
        }
        whole = new SeriesTable(ids, values);
        whole.writeWide(dir.resolve("series.csv"));
    }

    private static TrainingRequest request(String out) {
        return TrainingRequest.builder().setTask("series-forecast").option("csv", dir.resolve("series.csv").toString())
                .option("horizon", String.valueOf(H)).option("season", String.valueOf(M)).option("ensemble", "1")
                .optSteps(30).option("eval-every", "10").optBackend("native").setOut(dir.resolve(out)).build();
    }

    @Test
    void oneModelTrainedBeforeTheFirstOriginForecastsFromEvery() throws IOException {
        List<String> lines = new ArrayList<>();
        Backtest.Result r = new Backtest(request("fixed"), 3, false).run(lines::add);
        assertEquals(3, r.perOrigin().size());
        assertEquals(3, lines.size(), "a line per origin");
        assertEquals(23, r.series().size(), "S24 is too short at the first origin, so it is left out of every origin");
        assertFalse(r.series().contains("S24"));
        assertEquals(List.of("S24"), r.skipped(), "and counted");
        for (int k = 1; k <= 3; k++) {
            SeriesTable cut = SeriesTable.readWide(dir.resolve("fixed/origin-" + k + "/series.csv"));
            assertEquals(r.series(), cut.ids());
            assertArrayEquals(Arrays.copyOf(whole.series("S1"), LENGTH - (3 - k) * H), cut.series("S1"),
                    "origin " + k + " cuts " + (3 - k) + " horizons off each series");
        }
        assertTrue(Files.exists(dir.resolve("fixed/origin-1/parameters.bin")), "the one model");
        assertFalse(Files.exists(dir.resolve("fixed/origin-3/parameters.bin")), "no model trained at a later origin");
        JsonObject third = JsonParser.parseString(Files.readString(dir.resolve("fixed/origin-3/metrics.json")))
                .getAsJsonObject();
        assertEquals("../origin-1", third.get("model").getAsString());
        assertEquals(H, third.getAsJsonArray("smape_by_step").size());
        // the last origin's sNaive figure, from the series themselves: each series' last H against the season before
        double smape = 0;
        for (String id : r.series()) {
            double[] x = whole.series(id);
            double[] history = Arrays.copyOf(x, LENGTH - H);
            double[] actual = Arrays.copyOfRange(x, LENGTH - H, LENGTH);
            smape += Arrays.stream(Accuracy.smape(actual, Benchmarks.seasonalNaive(history, M, H))).average()
                    .orElseThrow();
        }
        assertEquals(smape / r.series().size(), r.perOrigin().get(2).get("baseline_snaive_smape"), 1e-9);
        // the means: figures averaged, OWA from the averaged sMAPE and MASE
        double meanSmape = r.perOrigin().stream().mapToDouble(m -> m.get("test_smape")).average().orElseThrow();
        assertEquals(meanSmape, r.mean().get("test_smape"), 1e-12);
        assertEquals(Accuracy.owa(meanSmape, r.mean().get("test_mase"), r.mean().get("baseline_naive2_smape"),
                r.mean().get("baseline_naive2_mase")), r.mean().get("test_owa"), 1e-12);
        assertEquals(1.0, r.mean().get("baseline_naive2_owa"), 1e-12);
        JsonObject json = JsonParser.parseString(Files.readString(dir.resolve("fixed/backtest.json"))).getAsJsonObject();
        assertEquals(3, json.getAsJsonArray("per_origin").size());
        assertEquals(r.mean().get("test_owa"), json.getAsJsonObject("mean").get("test_owa").getAsDouble(), 0);
        assertTrue(Files.size(dir.resolve("fixed/backtest.png")) > 1000, "the figure");

        // trained anew at each origin: the first origin is the same run, the later ones have models of their own
        Backtest.Result again = new Backtest(request("retrain"), 3, true).run(line -> { });
        assertEquals(r.perOrigin().get(0), again.perOrigin().get(0), "the same data, seed and engine at origin 1");
        for (int k = 1; k <= 3; k++) {
            assertTrue(Files.exists(dir.resolve("retrain/origin-" + k + "/parameters.bin")), "a model at origin " + k);
        }
        assertNotEquals(r.perOrigin().get(2).get("test_smape"), again.perOrigin().get(2).get("test_smape"));
        assertEquals(r.perOrigin().get(2).get("baseline_snaive_smape"),
                again.perOrigin().get(2).get("baseline_snaive_smape"), 0, "the same series and test values");
    }

    @Test
    void theLongLayoutBacktestsTheSameSeries() throws IOException {
        StringBuilder longCsv = new StringBuilder("series,hour,load\n");
        for (int s = whole.size() - 1; s >= 0; s--) { // any order of series and rows
            double[] x = whole.values().get(s);
            for (int t = x.length - 1; t >= 0; t--) {
                longCsv.append(whole.ids().get(s)).append(',').append(t).append(',').append(x[t]).append('\n');
            }
        }
        Files.writeString(dir.resolve("long.csv"), longCsv);
        TrainingRequest asLong = TrainingRequest.builder().setTask("series-forecast")
                .option("csv", dir.resolve("long.csv").toString()).option("layout", "long").option("id", "series")
                .option("time-column", "hour").option("target", "load").option("horizon", String.valueOf(H))
                .option("season", String.valueOf(M)).option("ensemble", "1").optSteps(30).option("eval-every", "10")
                .optBackend("native").setOut(dir.resolve("long")).build();
        Backtest.Result fromLong = new Backtest(asLong, 2, false).run(line -> { });
        Backtest.Result fromWide = new Backtest(request("wide"), 2, false).run(line -> { });
        assertEquals(new java.util.TreeSet<>(fromWide.series()), new java.util.TreeSet<>(fromLong.series()));
        assertEquals(fromWide.mean().get("baseline_snaive_smape"), fromLong.mean().get("baseline_snaive_smape"), 1e-12);
    }

    @Test
    void refusesBeforeAnyWork() {
        assertEquals("--origins must be at least 1, got 0", assertThrows(IllegalArgumentException.class,
                () -> new Backtest(request("none"), 0, false)).getMessage());
        String tooMany = assertThrows(IllegalArgumentException.class, () -> new Backtest(request("none"), 15, false))
                .getMessage();
        assertTrue(tooMany.contains("no series is long enough") && tooMany.contains("at the first of 15 origins"),
                tooMany);
        TrainingRequest other = TrainingRequest.builder().setTask("function-shapes").setOut(dir.resolve("none")).build();
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Backtest(other, 2, false)).getMessage()
                .startsWith("backtest evaluates --task series-forecast"));
        assertFalse(Files.exists(dir.resolve("none")), "nothing written");
    }
}
