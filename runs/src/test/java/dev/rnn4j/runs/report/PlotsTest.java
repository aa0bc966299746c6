package dev.rnn4j.runs.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The figures' helpers: smoothing, round axis ends, significant digits; and a loss figure is drawn. */
class PlotsTest {
    @TempDir
    Path dir;

    @Test
    void smoothingKeepsAConstantAndFollowsAStepWithinItsSpan() {
        double[] flat = new double[1000];
        java.util.Arrays.fill(flat, 0.25);
        for (double v : Plots.smoothed(flat, 0.02)) {
            assertEquals(0.25, v, 1e-12, "debiased: no pull towards zero at the start");
        }
        double[] step = new double[1000];
        for (int i = 0; i < step.length; i++) {
            step[i] = i < 500 ? 1 : 0.01;
        }
        double[] s = Plots.smoothed(step, 0.02); // a span of 20 steps
        assertEquals(1, s[499], 1e-12);
        assertTrue(s[505] > 0.01 && s[505] < 1, "still between the levels just after the step: " + s[505]);
        assertEquals(0.01, s[999], 1e-6, "settled 25 spans later");
    }

    @Test
    void axisEndsAreRoundNumbers() {
        assertEquals(1500, Plots.roundUp(1430));
        assertEquals(20000, Plots.roundUp(20000));
        assertEquals(25000, Plots.roundUp(20001));
        assertEquals(3000, Plots.roundUp(2859));
        assertEquals(1, Plots.roundUp(1));
        assertEquals(60, Plots.roundUp(51));
    }

    @Test
    void significantDigits() {
        assertEquals("0.08", Plots.significant(0.08));
        assertEquals("12.3", Plots.significant(12.34));
        assertEquals("1.23e-05", Plots.significant(1.234e-5));
    }

    /** A 20,000-step noisy curve with evaluations: a figure of the expected size with its three series drawn. */
    @Test
    void aLongLossCurveIsDrawnWithItsSmoothedLineAndEvaluations() throws IOException {
        SplittableRandom rng = new SplittableRandom(1);
        List<Double> loss = new ArrayList<>();
        List<double[]> evals = new ArrayList<>();
        for (int i = 1; i <= 20_000; i++) {
            loss.add(Math.exp(-i / 5000.0) * (0.5 + rng.nextDouble()));
            if (i % 1000 == 0) {
                evals.add(new double[] {i, Math.exp(-i / 5000.0)});
            }
        }
        Path png = dir.resolve("loss.png");
        Plots.lossCurve(loss, evals, "test", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(800, image.getWidth());
        assertEquals(500, image.getHeight());
        int orange = 0;
        int darkBlue = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                int rgb = image.getRGB(x, y) & 0xFFFFFF;
                orange += rgb == 0xFF7F0E ? 1 : 0;
                darkBlue += rgb == 0x1F77B4 ? 1 : 0;
            }
        }
        assertTrue(orange > 200, "the evaluations are drawn as points: " + orange + " orange pixels");
        assertTrue(darkBlue > 1000, "the smoothed line is drawn solid: " + darkBlue + " pixels");
        Plots.lossCurves("two", Map.of("a", loss.subList(0, 100), "b", loss.subList(0, 50)), dir.resolve("two.png"));
        assertTrue(dir.resolve("two.png").toFile().length() > 1000);
    }
}
