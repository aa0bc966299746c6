package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import dev.rnn4j.data.Batch;
import dev.rnn4j.spi.DropoutStream;
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

    /** {@code [T, N, 1]}: 1 at step 0 of every sequence. */
    static NDArray firstStep(NDManager m, Batch b) {
        float[] v = new float[b.steps() * b.size()];
        java.util.Arrays.fill(v, 0, b.size(), 1f);
        return m.create(v, new Shape(b.steps(), b.size(), 1));
    }

    /**
     * An inverted-dropout mask shaped like {@code x}: each element kept with probability {@code 1 - p} and
     * scaled by {@code 1 / (1 - p)}, drawn from {@code rng} in row-major order exactly as the native engine
     * draws its masks, so the same seed drops the same units on every engine.
     */
    static NDArray dropout(NDManager m, NDArray x, float p, SplittableRandom rng) {
        float keep = 1f - p;
        float scale = 1f / keep;
        long threshold = DropoutStream.keepThreshold(keep);
        float[] mask = new float[Math.toIntExact(x.size())];
        for (int i = 0; i < mask.length; i++) {
            // nextDouble() < keep, without a branch: one nextLong per draw, as nextDouble takes
            mask[i] = DropoutStream.maskValue(rng.nextLong(), threshold, scale);
        }
        return m.create(mask, x.getShape());
    }

    /**
     * {@code x [T, N, W]} reversed in time within each sequence's length: {@code out[t, n] = x[len_n - 1 - t, n]} for
     * {@code t < len_n}; padded steps stay where they are. A gather along time, so autograd differentiates it;
     * DJL's TensorFlow engine has no gather, and its arrays never need a gradient ({@link ExplicitBptt} writes the
     * backward out), so there the rows are reordered on the host.
     */
    static NDArray reverseInTime(NDManager m, NDArray x, int[] lengths) {
        long[] shape = x.getShape().getShape();
        int t = (int) shape[0];
        int n = (int) shape[1];
        int w = (int) shape[2];
        int[] source = new int[t * n]; // row (s, i) of the result is row source[s * n + i] of x
        for (int s = 0; s < t; s++) {
            for (int i = 0; i < n; i++) {
                source[s * n + i] = (s < lengths[i] ? lengths[i] - 1 - s : s) * n + i;
            }
        }
        if (!"TensorFlow".equals(x.getManager().getEngine().getEngineName())) {
            long[] index = new long[t * n * w];
            for (int row = 0; row < t * n; row++) {
                java.util.Arrays.fill(index, row * w, (row + 1) * w, source[row] / n);
            }
            return x.gather(m.create(index, x.getShape()), 0);
        }
        float[] from = x.toFloatArray();
        float[] to = new float[from.length];
        for (int row = 0; row < t * n; row++) {
            System.arraycopy(from, source[row] * w, to, row * w, w);
        }
        return m.create(to, x.getShape());
    }
}
