package dev.rnn4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@link CsvForecast}: the documented split and windows reproduce the reference baselines measured independently on
 * the repository's series (1e-3 relative), normalisation uses the training rows only, and bad files are refused naming
 * file, line and column.
 */
class CsvForecastTest {
    @TempDir
    static Path dir;

    private static CsvForecast.Config config(Path csv, String target, String time, int window) {
        return new CsvForecast.Config(csv.toString(), target, List.of(), time, window, 1, 0, CsvSeries.Missing.ERROR,
                new double[] {0.7, 0.15}, CsvForecast.Normalize.STANDARD, null, null, false, null);
    }

    /** Reference figures from data/timeseries/README.md. */
    static Stream<Arguments> references() {
        return Stream.of(
                Arguments.of("sunspots.csv", "SUNACTIVITY", "YEAR", 9, 29.10, 17.69),
                Arguments.of("sunspots.csv", "SUNACTIVITY", "YEAR", 12, 29.10, 18.49),
                Arguments.of("nile.csv", "volume", "year", 2, 158.6, 128.6),
                Arguments.of("nile.csv", "volume", "year", 5, 158.6, 124.1),
                Arguments.of("nile.csv", "volume", "year", 10, 158.6, 119.1));
    }

    @ParameterizedTest(name = "{0} W={3}")
    @MethodSource("references")
    void baselinesReproduceTheReferenceFigures(String file, String target, String time, int window, double persistence,
                                               double ar) {
        Path csv = RepoData.path("timeseries/" + file);
        CsvForecast.Problem p = CsvForecast.read(config(csv, target, time, window));
        double[] actual = java.util.Arrays.stream(p.targets()[2]).mapToDouble(p::target).toArray();
        // the README rounds to 4 significant digits: within half a unit of its last digit, and 1e-3 relative
        assertEquals(persistence, CsvForecast.rmse(actual, p.persistence()), persistence * 1e-3, "persistence");
        assertEquals(ar, CsvForecast.rmse(actual, p.autoregression(2)), ar * 1e-3, "AR(" + window + ")");
    }

    @Test
    void splitsByTimeAndNormalisesWithTrainingRowsOnly() throws IOException {
        Path csv = dir.resolve("ten.csv");
        StringBuilder text = new StringBuilder("t,y\n");
        for (int i = 0; i < 20; i++) {
            text.append(i).append(',').append(i < 14 ? i : 1000 + i).append('\n');
        }
        Files.writeString(csv, text);
        CsvForecast.Problem p = CsvForecast.read(config(csv, "y", "t", 3));
        // rows 0-13 train (targets 3..13), 14-16 validation, 17-19 test; windows reach back, never forward
        assertArrayEquals(new int[] {3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13}, p.targets()[0]);
        assertArrayEquals(new int[] {14, 15, 16}, p.targets()[1]);
        assertArrayEquals(new int[] {17, 18, 19}, p.targets()[2]);
        assertEquals(6.5, p.config().offsets()[0], 1e-12, "mean of the training rows 0..13 only");
        assertEquals(Math.sqrt((14 * 14 - 1) / 12.0), p.config().scales()[0], 1e-12);
        assertEquals(1019.0, p.denormalise((1019 - 6.5) / p.config().scales()[0]), 1e-9);
    }

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("missing.csv", null, "no such file"),
                Arguments.of("empty.csv", "", "is empty"),
                Arguments.of("header-only.csv", "t,y\n", "has a header but no rows"),
                Arguments.of("no-column.csv", "t,z\n1,2\n", "has no column 'y'; its columns: t, z"),
                Arguments.of("text.csv", "t,y\n1,2\n2,abc\n", "line 3, column 'y': 'abc' is not a number"),
                Arguments.of("nan.csv", "t,y\n1,2\n2,NaN\n", "line 3, column 'y' is NaN"),
                Arguments.of("inf.csv", "t,y\n1,2\n2,Infinity\n", "line 3, column 'y' is Infinity"),
                Arguments.of("gap.csv", "t,y\n1,2\n2,\n3,\n4,5\n", "line 3, column 'y' is empty (and 1 more empty cells)"),
                Arguments.of("order.csv", "t,y\n1,2\n3,4\n2,5\n", "rows are not in time order: 't' goes from 3 to 2"),
                Arguments.of("dates.csv", "t,y\n2020-01-02,2\n2020-01-01,4\n", "goes from 2020-01-02 to 2020-01-01"),
                Arguments.of("short.csv", "t,y\n1,2\n2,3\n3,4\n4,5\n5,6\n", "too few for a window of 3"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badFiles")
    void badFilesAreRefusedNamingTheProblem(String name, String content, String expected) throws IOException {
        Path csv = dir.resolve(name);
        if (content != null) {
            Files.writeString(csv, content);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CsvForecast.read(config(csv, "y", "t", 3)));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().lines().count() == 1, "one line: " + e.getMessage());
    }

    @Test
    void missingValuesAreInterpolatedOrDropped() throws IOException {
        Path csv = dir.resolve("gaps.csv");
        StringBuilder text = new StringBuilder("t,y\n");
        for (int i = 0; i < 40; i++) {
            text.append(i).append(',').append(i == 10 || i == 11 ? "" : String.valueOf(2 * i + (i % 3))).append('\n');
        }
        Files.writeString(csv, text);
        CsvForecast.Config c = config(csv, "y", "t", 3);
        CsvForecast.Config interpolate = new CsvForecast.Config(c.csv(), "y", List.of(), "t", 3, 1, 0,
                CsvSeries.Missing.INTERPOLATE, c.split(), c.normalize(), null, null, false, null);
        CsvForecast.Problem p = CsvForecast.read(interpolate);
        // between row 9 (18 + 0) and row 12 (24 + 0): a third and two thirds of the way
        assertEquals(20.0, p.target(10), 1e-12);
        assertEquals(22.0, p.target(11), 1e-12);
        CsvForecast.Config drop = new CsvForecast.Config(c.csv(), "y", List.of(), "t", 3, 1, 0, CsvSeries.Missing.DROP,
                c.split(), c.normalize(), null, null, false, null);
        int[] train = CsvForecast.read(drop).targets()[0];
        // targets 10 and 11 are missing; 12, 13 and 14 have them in their windows
        assertTrue(java.util.Arrays.stream(train).noneMatch(t -> t >= 10 && t <= 14), java.util.Arrays.toString(train));
        assertEquals(28 - 3 - 5, train.length);
    }

    /** With the AR residual, a network that outputs zero forecasts exactly the AR baseline; its targets are AR's misses. */
    @Test
    void theResidualModelStartsFromTheArForecast() {
        Path csv = RepoData.path("timeseries/sunspots.csv");
        CsvForecast.Config plain = config(csv, "SUNACTIVITY", "YEAR", 9);
        CsvForecast.Config residual = new CsvForecast.Config(plain.csv(), plain.target(), List.of(), plain.time(), 9, 1, 0,
                CsvSeries.Missing.ERROR, plain.split(), plain.normalize(), null, null, true, null);
        CsvForecast.Problem p = CsvForecast.read(residual);
        double[] ar = p.autoregression(2);
        assertArrayEquals(ar, p.forecasts(2, new double[ar.length]), 1e-9);
        // ... and the recipe's network does output zero before training: its head starts at zero
        var spec = new CsvForecastTask().specFor(p.config()).setCell(dev.rnn4j.spec.CellType.LSTM).setHiddenSize(4).build();
        var init = dev.rnn4j.params.Initializer.initialize(spec, 3, new CsvForecastTask().init(p.config(), 1f));
        for (String head : List.of(dev.rnn4j.params.ParameterLayout.HEAD_W, dev.rnn4j.params.ParameterLayout.HEAD_B)) {
            for (float v : init.get(head).data()) {
                assertEquals(0f, v, head);
            }
        }
        assertTrue(init.get(dev.rnn4j.params.ParameterLayout.w(0)).data()[0] != 0f, "the recurrent weights are drawn");
        double[] arTrain = p.autoregression(0);
        var train = p.dataset(0);
        for (int i = 0; i < train.size(); i++) {
            double miss = (p.target(p.targets()[0][i]) - arTrain[i]) / p.config().scales()[0];
            assertEquals(miss, train.get(i).targets()[0], 1e-5);
        }
    }
}
