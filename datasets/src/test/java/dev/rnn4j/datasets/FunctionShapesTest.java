package dev.rnn4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.OutputMode;
import org.junit.jupiter.api.Test;

class FunctionShapesTest {

    private static FunctionShapes.Config config(FunctionShapes.Coefficients c, long seed) {
        return new FunctionShapes.Config(300, 100, 8, 8, 1, 16, c, false, OutputMode.EVERY_STEP, seed);
    }

    @Test
    void shapesAndLengths() {
        DataSplit split = FunctionShapes.generate(config(FunctionShapes.Coefficients.FIXED, 1));
        assertEquals(300, split.train().size());
        assertEquals(100, split.test().size());
        for (Sequence s : split.train().sequences()) {
            assertEquals(8, s.length());
            assertEquals(16, s.inputs().length);
            assertEquals(8, s.labels().length);
        }
        int min = split.test().sequences().stream().mapToInt(Sequence::length).min().orElseThrow();
        int max = split.test().maxLength();
        assertEquals(1, min);
        assertEquals(16, max);
    }

    @Test
    void pointsLieOnTheirCurveInRangeAndSorted() {
        for (FunctionShapes.Coefficients c : FunctionShapes.Coefficients.values()) {
            SequenceDataset train = FunctionShapes.generate(config(c, 2)).train();
            int[] counts = new int[3];
            for (Sequence s : train.sequences()) {
                int label = s.labels()[0];
                counts[label]++;
                float[] in = s.inputs();
                for (int i = 0; i < s.length(); i++) {
                    double x = in[2 * i];
                    assertTrue(x >= 5 && x <= (label == 2 ? 10 : 15), "x = " + x);
                    if (i > 0) {
                        assertTrue(x >= in[2 * i - 2], "sorted by x");
                    }
                }
                // Recover k and b from the first two points and check the rest (float32 inputs).
                if (s.length() >= 3) {
                    double f0 = feature(label, in[0]);
                    double f1 = feature(label, in[2]);
                    double k = (in[3] - in[1]) / (f1 - f0);
                    double b = in[1] - k * f0;
                    if (Math.abs(f1 - f0) > 0.5) {
                        assertTrue(k > -1e-3 && k < 1 + 1e-3, "k = " + k);
                        assertTrue(b > -0.05 && b < 5.05, "b = " + b);
                        double y = k * feature(label, in[4]) + b;
                        assertEquals(y, in[5], 1e-2 * Math.max(1, Math.abs(y)));
                    }
                }
            }
            for (int count : counts) {
                assertTrue(count > 70, "classes are balanced: " + count);
            }
        }
    }

    private static double feature(int label, double x) {
        return label == 0 ? x : label == 1 ? x * x : Math.sqrt(x);
    }

    @Test
    void fixedCoefficientsAreSharedPerSequenceOnesAreNot() {
        SequenceDataset fixed = FunctionShapes.generate(config(FunctionShapes.Coefficients.FIXED, 3)).train();
        SequenceDataset per = FunctionShapes.generate(config(FunctionShapes.Coefficients.PER_SEQUENCE, 3)).train();
        assertEquals(1, distinctLineIntercepts(fixed));
        assertTrue(distinctLineIntercepts(per) > 10);
    }

    /** Number of distinct (k, b) among line sequences, rounded to 2 decimals. */
    private static long distinctLineIntercepts(SequenceDataset d) {
        return d.sequences().stream().filter(s -> s.labels()[0] == 0).map(s -> {
            float[] in = s.inputs();
            double k = (in[3] - in[1]) / (in[2] - in[0]);
            double b = in[1] - k * in[0];
            return Math.round(k * 100) + "/" + Math.round(b * 100);
        }).distinct().count();
    }

    @Test
    void lastStepLabelsKeepTheSameInputsWithOneLabel() {
        FunctionShapes.Config every = config(FunctionShapes.Coefficients.PER_SEQUENCE, 4);
        FunctionShapes.Config last = new FunctionShapes.Config(every.trainSize(), every.testSize(), every.trainMinLength(),
                every.trainMaxLength(), every.testMinLength(), every.testMaxLength(), every.coefficients(),
                every.normalize(), OutputMode.LAST_STEP, every.seed());
        DataSplit a = FunctionShapes.generate(every);
        DataSplit b = FunctionShapes.generate(last);
        assertEquals(OutputMode.LAST_STEP, b.test().targetMode());
        for (int i = 0; i < a.test().size(); i++) {
            Sequence s = a.test().get(i);
            Sequence t = b.test().get(i);
            assertArrayEquals(s.inputs(), t.inputs());
            assertEquals(1, t.labels().length);
            assertEquals(s.labels()[s.length() - 1], t.labels()[0]);
        }
    }

    @Test
    void deterministicUnderSeed() {
        DataSplit a = FunctionShapes.generate(config(FunctionShapes.Coefficients.PER_SEQUENCE, 7));
        DataSplit b = FunctionShapes.generate(config(FunctionShapes.Coefficients.PER_SEQUENCE, 7));
        DataSplit c = FunctionShapes.generate(config(FunctionShapes.Coefficients.PER_SEQUENCE, 8));
        assertArrayEquals(a.test().get(5).inputs(), b.test().get(5).inputs());
        assertNotEquals(a.test().get(5).inputs()[0], c.test().get(5).inputs()[0]);
    }
}
