package dev.rnn4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forecasting front door: fit on series in memory, forecast any series with its interval. */
class ForecasterTest {
    @TempDir
    Path dir;

    private static Map<String, double[]> series(int count, int length) {
        SplittableRandom rng = new SplittableRandom(4);
        Map<String, double[]> series = new LinkedHashMap<>();
        for (int s = 1; s <= count; s++) {
            double level = 100 + 900 * rng.nextDouble();
            double swing = level * 0.3 * rng.nextDouble();
            double[] x = new double[length];
            for (int t = 0; t < length; t++) {
                x[t] = level + swing * Math.sin(2 * Math.PI * t / 12) + 0.05 * level * rng.nextGaussian();
            }
            series.put("S" + s, x);
        }
        return series;
    }

    @Test
    void fitsOnSeriesInMemoryAndForecastsAnyWithItsInterval() throws IOException {
        Map<String, double[]> series = series(30, 120);
        try (Forecaster f = Forecaster.builder().setHorizon(6).setSeason(12).optSteps(20).optEnsemble(2).optBackend("native")
                .setOut(dir.resolve("f")).build()) {
            assertThrows(IllegalStateException.class, () -> f.forecast(series.get("S1")));
            f.fit(series);
            Forecaster.Forecast next = f.forecast(series.get("S1"));
            assertEquals(6, next.point().length);
            for (int k = 0; k < 6; k++) {
                assertTrue(next.lower()[k] <= next.upper()[k], "an interval at step " + (k + 1));
            }
            assertTrue(f.outcome().metrics().has("test_owa"));
            assertTrue(Files.exists(dir.resolve("f/model/model.json")), "the training run's model folder");
            assertTrue(Files.exists(dir.resolve("f/model/members/member-1/model.json")), "its second member");
            assertEquals(2, f.outcome().metrics().get("ensemble_members").getAsInt());
            // a series the model never saw, long enough for its window
            assertEquals(6, f.forecast(series(1, 90).get("S1")).point().length);
            assertThrows(IllegalArgumentException.class, () -> f.forecast(new double[10]));
        }
        assertThrows(IllegalArgumentException.class, () -> Forecaster.builder().setHorizon(0).setSeason(12)
                .setOut(dir).build());
    }
}
