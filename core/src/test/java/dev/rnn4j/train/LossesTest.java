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
    void crossEntropyOfLastStep() {
        Batch b = new Batch(1, 2, 1, new float[2], new int[] {2}, 1, 1, null, new int[] {1});
        Output out = new Output(new float[] {1f, 2f, 0f}, 1, 1, 3);
        LossResult l = Losses.crossEntropy(out, b);
        double z = Math.exp(1) + Math.exp(2) + Math.exp(0);
        assertEquals(-Math.log(Math.exp(2) / z), l.value(), 1e-7);
        ModelAssertions.assertValuesClose(new float[] {(float) (Math.exp(1) / z), (float) (Math.exp(2) / z - 1),
            (float) (1 / z)}, l.gradient(), 1e-7, 0, "grad");
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
