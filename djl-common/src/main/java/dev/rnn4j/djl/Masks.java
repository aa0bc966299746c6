package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.data.Batch;
import java.util.SplittableRandom;

/** The masks both DJL graphs use, built the same way as the native engine's. */
final class Masks {

    private Masks() {
    }

    /** {@code [T, N, 1]}: 1 where step t is within sequence n's length. */
    static NDArray valid(NDManager m, Batch b) {
        float[] v = new float[b.steps() * b.size()];
        for (int i = 0; i < b.size(); i++) {
            for (int s = 0; s < b.lengths()[i]; s++) {
                v[s * b.size() + i] = 1f;
            }
        }
        return m.create(v, new Shape(b.steps(), b.size(), 1));
    }

    /** {@code [T, N, 1]}: 1 at each sequence's last valid step. */
    static NDArray lastStep(NDManager m, Batch b) {
        float[] v = new float[b.steps() * b.size()];
        for (int i = 0; i < b.size(); i++) {
            v[(b.lengths()[i] - 1) * b.size() + i] = 1f;
        }
        return m.create(v, new Shape(b.steps(), b.size(), 1));
    }

    /**
     * An inverted-dropout mask shaped like {@code x}: each element kept with probability {@code 1 - p} and
     * scaled by {@code 1 / (1 - p)}, drawn from {@code rng} in row-major order exactly as the native engine
     * draws its masks, so the same seed drops the same units on every engine.
     */
    static NDArray dropout(NDManager m, NDArray x, float p, SplittableRandom rng) {
        float keep = 1f - p;
        float[] mask = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < mask.length; i++) {
            mask[i] = rng.nextDouble() < keep ? 1f / keep : 0f;
        }
        return m.create(mask, x.getShape());
    }
}
