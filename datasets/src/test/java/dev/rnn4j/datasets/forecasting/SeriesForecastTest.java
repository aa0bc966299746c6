package dev.rnn4j.datasets.forecasting;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.testing.FixedOutputModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The many-series set-up: windows and their scaling, the validation and test split, the seasonal-naive residual
 * (a model that outputs zeros forecasts exactly seasonal naive, and its figures equal the benchmark's), the interval's
 * calibration, and bad files refused before any work.
 */
class SeriesForecastTest {
    static final int M = 12;
    static final int H = 6;

    @TempDir
    Path dir;

    /** {@code series} seasonal series (period 12) of 80 to 119 values with their own level, amplitude and noise. */
    static Path write(Path file, int series, long seed) throws IOException {
        SplittableRandom rng = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("\"V1\"");
        for (int c = 2; c <= 121; c++) {
            sb.append(",\"V").append(c).append('"');
        }
        sb.append('\n');
        for (int s = 0; s < series; s++) {
            int n = 80 + rng.nextInt(40);
            double level = 50 + 1000 * rng.nextDouble();
            double amplitude = level * (0.1 + 0.4 * rng.nextDouble());
            sb.append("\"S").append(s + 1).append('"');
            for (int t = 0; t < 120; t++) {
                sb.append(',');
                if (t < n) {
                    double v = level + amplitude * Math.sin(2 * Math.PI * t / M) + level * 0.02 * rng.nextGaussian();
                    sb.append('"').append(String.format(Locale.ROOT, "%.3f", v)).append('"');
                }
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
        return file;
    }

    private SeriesForecast.Config config(Path csv, boolean residual) {
        return new SeriesForecast.Config(csv.toString(), null, H, M, 2 * M, 20, 3, residual, 1, null);
    }

    @Test
    void windowsAreScaledAndSplitWithoutLookingAhead() throws IOException {
        SeriesForecast.Problem p = SeriesForecast.read(config(write(dir.resolve("s.csv"), 10, 1), true));
        assertEquals(10, p.ids().size());
        SequenceDataset train = p.trainingWindows();
        SequenceDataset val = p.validationWindows();
        assertEquals(SeriesForecast.INPUT_SIZE, train.inputSize());
        assertEquals(H, train.targetSize());
        assertEquals(10, val.size(), "one validation window per series");
        assertEquals(10 * 20, train.size(), "20 windows drawn per series");
        assertEquals(2 * M, train.get(0).length());
        // the test is each series' last H values, cut from the history the model and benchmarks see
        SeriesTable all = SeriesTable.readWide(dir.resolve("s.csv"));
        double[] full = all.series("S1");
        assertArrayEquals(java.util.Arrays.copyOfRange(full, full.length - H, full.length), p.test().get(0));
        assertEquals(full.length - H, p.history().get(0).length);
        // scaling: centred on the last season's mean, in units of the mean seasonal difference
        double[] x = p.history().get(0);
        SeriesForecast.Scaling sc = SeriesForecast.scaling(x, M, 2 * M);
        double level = java.util.Arrays.stream(x, x.length - M, x.length).average().orElseThrow();
        double diff = 0;
        for (int t = x.length - M; t < x.length; t++) {
            diff += Math.abs(x[t] - x[t - M]);
        }
        assertEquals(level, sc.level(), 1e-9);
        assertEquals(diff / M, sc.scale(), 1e-9);
    }

    /** The same series in the long layout, rows shuffled, read to the same problem. */
    @Test
    void theLongLayoutGivesTheSameSeries() throws IOException {
        Path wide = write(dir.resolve("s.csv"), 8, 5);
        SeriesTable table = SeriesTable.readWide(wide);
        List<String> rows = new java.util.ArrayList<>();
        for (int s = 0; s < table.size(); s++) {
            double[] v = table.values().get(s);
            for (int t = 0; t < v.length; t++) {
                rows.add(table.ids().get(s) + "," + t + "," + v[t]);
            }
        }
        java.util.Collections.shuffle(rows, new java.util.Random(1));
        Path longFile = dir.resolve("long.csv");
        Files.writeString(longFile, "series,step,value\n" + String.join("\n", rows) + "\n");
        SeriesForecast.Problem a = SeriesForecast.read(config(wide, true));
        SeriesForecast.Problem b = SeriesForecast.read(new SeriesForecast.Config(longFile.toString(), null, H, M, 2 * M,
                20, 3, true, 1, new SeriesForecast.LongColumns("series", "step", "value")));
        assertEquals(new java.util.TreeSet<>(a.ids()), new java.util.TreeSet<>(b.ids()));
        for (int s = 0; s < a.ids().size(); s++) {
            int j = b.ids().indexOf(a.ids().get(s));
            assertArrayEquals(a.history().get(s), b.history().get(j), 0);
            assertArrayEquals(a.test().get(s), b.test().get(j), 0);
        }
    }

    /** A zero network forecasts seasonal naive exactly: the residual's wiring and the metrics agree with Benchmarks. */
    @Test
    void aZeroHeadForecastsSeasonalNaive() throws IOException {
        SeriesForecast.Problem p = SeriesForecast.read(config(write(dir.resolve("s.csv"), 25, 2), true));
        SeriesForecast.Evaluation e = p.evaluate(new FixedOutputModel(new float[H]));
        for (int s = 0; s < p.ids().size(); s++) {
            assertArrayEquals(Benchmarks.seasonalNaive(p.history().get(s), M, H), e.forecasts()[s], 1e-9);
        }
        assertEquals(e.metrics().get("baseline_snaive_smape"), e.metrics().get("test_smape"), 1e-12);
        assertEquals(e.metrics().get("baseline_snaive_owa"), e.metrics().get("test_owa"), 1e-12);
        assertEquals(1.0, e.metrics().get("baseline_naive2_owa"), 1e-12);
        assertEquals(H, e.smapeByStep().length);
        double coverage = e.metrics().get("test_coverage");
        assertTrue(coverage >= 0.8 && coverage <= 1, "the calibrated interval covers most test values: " + coverage);
        assertTrue(e.metrics().get("test_msis") > 0);
        // without the residual a zero network forecasts each window's level
        SeriesForecast.Problem flat = SeriesForecast.read(config(dir.resolve("s.csv"), false));
        SeriesForecast.Evaluation ef = flat.evaluate(new FixedOutputModel(new float[H]));
        double[] x = flat.history().get(0);
        assertEquals(SeriesForecast.scaling(x, M, 2 * M).level(), ef.forecasts()[0][H - 1], 1e-9);
    }

    @Test
    void aSeriesNeverNegativeGetsNoForecastOrBandBelowZero() throws IOException {
        SeriesForecast.Config c = config(write(dir.resolve("s.csv"), 3, 2), false);
        double[] history = new double[40];
        for (int t = 0; t < history.length; t++) {
            history[t] = t % M == 0 ? 10 : 1; // a spike a season, near zero between
        }
        double[][] calibration = {new double[H], new double[H]};
        java.util.Arrays.fill(calibration[0], -5); // five of the window's scales below the forecast
        java.util.Arrays.fill(calibration[1], 5);
        double scale = SeriesForecast.scaling(history, M, 2 * M).scale();
        double[] forecast = {1, 2, 3, 4, 5, 50};
        double[][] band = SeriesForecast.band(c, history, forecast, calibration);
        for (int k = 0; k < H; k++) {
            assertEquals(Math.max(0, forecast[k] - 5 * scale), band[0][k], 1e-12, "lower at step " + (k + 1));
            assertEquals(forecast[k] + 5 * scale, band[1][k], 1e-12, "upper at step " + (k + 1));
        }
        assertEquals(0, band[0][0], 0, "clipped at 0");
        history[3] = -1; // a series that has been negative keeps its band
        assertEquals(1 - 5 * SeriesForecast.scaling(history, M, 2 * M).scale(),
                SeriesForecast.band(c, history, forecast, calibration)[0][0], 1e-12);
        // a network whose output lies far below zero forecasts 0 for a never-negative series
        SeriesForecast.Problem p = SeriesForecast.read(c);
        float[] low = new float[H];
        java.util.Arrays.fill(low, -1e6f);
        for (double[] f : p.forecast(new FixedOutputModel(low))) {
            assertArrayEquals(new double[H], f, 0);
        }
    }

    @Test
    void badFilesAndSettingsAreRefusedBeforeAnyWork() throws IOException {
        Path csv = write(dir.resolve("s.csv"), 5, 3);
        Path other = dir.resolve("t.csv");
        Files.writeString(other, "V1,V2\nX1,1\n");
        IllegalArgumentException ids = assertThrows(IllegalArgumentException.class, () -> SeriesForecast.read(
                new SeriesForecast.Config(csv.toString(), other.toString(), H, M, 2 * M, 20, 1, true, 1, null)));
        assertTrue(ids.getMessage().contains("its series differ"), ids.getMessage());
        Path shortTest = dir.resolve("short.csv");
        StringBuilder sb = new StringBuilder("V1,V2\n");
        for (int s = 1; s <= 5; s++) {
            sb.append("S").append(s).append(",1\n");
        }
        Files.writeString(shortTest, sb);
        IllegalArgumentException shortRows = assertThrows(IllegalArgumentException.class, () -> SeriesForecast.read(
                new SeriesForecast.Config(csv.toString(), shortTest.toString(), H, M, 2 * M, 20, 1, true, 1, null)));
        assertTrue(shortRows.getMessage().contains("series S1: 1 test values, shorter than the horizon 6"),
                shortRows.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SeriesForecast.Config(csv.toString(), null, 0, M, 24, 20,
                1, true, 1, null));
        assertThrows(IllegalArgumentException.class, () -> new SeriesForecast.Config(csv.toString(), null, H, 0, 24, 20,
                1, true, 1, null));
        IllegalArgumentException tooShort = assertThrows(IllegalArgumentException.class, () -> SeriesForecast.read(
                new SeriesForecast.Config(csv.toString(), null, H, M, 200, 20, 1, true, 1, null)));
        assertTrue(tooShort.getMessage().contains("no series is long enough"), tooShort.getMessage());
        Path repeating = dir.resolve("repeat.csv");
        StringBuilder r = new StringBuilder("V1");
        for (int c = 2; c <= 61; c++) {
            r.append(",V").append(c);
        }
        r.append("\nR1");
        for (int t = 0; t < 60; t++) {
            r.append(',').append(t % M + 1);
        }
        Files.writeString(repeating, r.append('\n'));
        IllegalArgumentException undefined = assertThrows(IllegalArgumentException.class, () -> SeriesForecast.read(
                new SeriesForecast.Config(repeating.toString(), null, H, M, 2 * M, 20, 1, true, 1, null)));
        assertTrue(undefined.getMessage().contains("series R1: the series repeats itself exactly"),
                undefined.getMessage());
    }
}
