package dev.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.testing.ModelAssertions;
import org.junit.jupiter.api.Test;

/** Losses ignore padded steps; values derived by hand below. */
class LossesTest {

    @Test
    void maskedMseCountsOnlyValidSteps() {
        // N=2, T=3, C=1; lengths 3 and 1. Valid positions: 4.
        Batch b = new Batch(2, 3, 1, new float[6], new int[] {3, 1}, 3, 1,
                new float[] {1, 2, 3, 4, 99, 99}, null);
        Output out = new Output(new float[] {0, 2, 5, 1, 0, 0}, 2, 3, 1);
        LossResult l = Losses.mse(out, b);
        // squared errors: 1, 0, 4, 9 -> mean 14/4
        assertEquals(3.5, l.value(), 1e-12);
        // dL/dy = 2 (y - t) / 4
        ModelAssertions.assertValuesClose(new float[] {-0.5f, 0, 1, -1.5f, 0, 0}, l.gradient(), 1e-7, 0, "grad");
    }

    @Test
    void maskedMaeCountsOnlyValidStepsAndItsGradientIsTheSignOfTheError() {
        // the same batch: absolute errors 1, 0, 2, 3 -> mean 6/4; the padded steps' 99s are ignored
        Batch b = new Batch(2, 3, 1, new float[6], new int[] {3, 1}, 3, 1,
                new float[] {1, 2, 3, 4, 99, 99}, null);
        Output out = new Output(new float[] {0, 2, 5, 1, 0, 0}, 2, 3, 1);
        LossResult l = Losses.mae(out, b);
        assertEquals(1.5, l.value(), 1e-12);
        // dL/dy = sign(y - t) / 4, 0 at the exact hit (as PyTorch's L1Loss)
        ModelAssertions.assertValuesClose(new float[] {-0.25f, 0, 0.25f, -0.25f, 0, 0}, l.gradient(), 0, 0, "grad");
        assertEquals(l.value(), Losses.compute(RegressionLoss.MAE, dev.rnn4j.spec.HeadKind.REGRESSION, out, b)
                .value(), 0);
        assertEquals(3.5, Losses.compute(RegressionLoss.MSE, dev.rnn4j.spec.HeadKind.REGRESSION, out, b).value(), 1e-12);
        // away from the kinks, a central difference agrees with the gradient (h = 1e-2 in float: tolerance 1e-4)
        for (int i = 0; i < 4; i++) {
            if (i == 1) {
                continue; // the exact hit: the kink
            }
            float[] up = out.values().clone();
            float[] down = out.values().clone();
            up[i] += 1e-2f;
            down[i] -= 1e-2f;
            double fd = (Losses.mae(new Output(up, 2, 3, 1), b).value() - Losses.mae(new Output(down, 2, 3, 1), b)
                    .value()) / 2e-2;
            assertEquals(l.gradient()[i], fd, 1e-4, "position " + i);
        }
        assertEquals("Unknown --loss 'l2'. Expected mse or mae", assertThrows(IllegalArgumentException.class,
                () -> RegressionLoss.parse("l2")).getMessage());
    }

    @Test
    void crossEntropyOfLastStep() {
        Batch b = new Batch(1, 2, 1, new float[2], new int[] {2}, 1, 1, null, new int[] {1});
        Output out = new Output(new float[] {1f, 2f, 0f}, 1, 1, 3);
        LossResult l = Losses.crossEntropy(out, b);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(0);
        assertEquals(-Math.log(Math.exp(2) / z), l.value(), 1e-7);
        ModelAssertions.assertValuesClose(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z - 1),
            (float) (1 / z)}, l.gradient(), 1e-7, 0, "grad");
    }

    /**
     * A batch of more than {@link Losses#PARALLEL_LOGITS} logits, its sequences split across the threads (two on
     * a 2-core machine): the loss and every gradient value are those of the sequential sums, bit for bit, padded
     * steps left at zero gradient.
     */
    @Test
    void crossEntropyOfALargePaddedBatchIsTheSequentialSums() {
        int n = 64;
        int t = 20;
        int c = 65;
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        int[] lengths = new int[n];
        int[] labels = new int[n * t];
        float[] y = new float[n * t * c];
        for (int i = 0; i < n; i++) {
            lengths[i] = 1 + rng.nextInt(t);
        }
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(c);
        }
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (rng.nextDouble() * 8 - 4);
        }
        org.junit.jupiter.api.Assertions.assertTrue(y.length >= Losses.PARALLEL_LOGITS);
        Batch b = new Batch(n, t, 1, new float[n * t], lengths, t, 1, null, labels);
        LossResult l = Losses.crossEntropy(new Output(y, n, t, c), b);

        long count = java.util.Arrays.stream(lengths).sum();
        double sum = 0;
        float[] grad = new float[y.length];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < lengths[i]; s++) {
                int base = (i * t + s) * c;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, y[base + k]);
                }
                double z = 0;
                double[] p = new double[c];
                for (int k = 0; k < c; k++) {
                    p[k] = Math.exp(y[base + k] - max);
                    z += p[k];
                }
                sum += -(y[base + labels[i * t + s]] - max - Math.log(z));
                for (int k = 0; k < c; k++) {
                    grad[base + k] = (float) ((p[k] / z - (k == labels[i * t + s] ? 1 : 0)) / count);
                }
            }
        }
        assertEquals(sum / count, l.value(), 0);
        org.junit.jupiter.api.Assertions.assertArrayEquals(grad, l.gradient());
    }

    @Test
    void modeMismatchIsExplained() {
        Batch b = new Batch(1, 2, 1, new float[2], new int[] {2}, 2, 1, new float[2], null);
        Output out = new Output(new float[1], 1, 1, 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Losses.mse(out, b));
        assertEquals(true, e.getMessage().contains("output mode must match"));
    }

    @Test
    void nanInputsAreRejectedWithPosition() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Batch(1, 2, 1,
                new float[] {0, Float.NaN}, new int[] {2}, 1, 1, new float[1], null));
        assertEquals("Invalid batch: input of sequence 0 at step 1 is NaN", e.getMessage());
    }
}
