package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Remember the first number: {@code x_t ~ U(-1, 1)} for {@code t = 1..n}; after the last step, output
 * {@code x_1}. The target's variance is 1/3, so a model that learned nothing scores MSE 1/3. Input size 1.
 */
public final class RememberFirst {

    /**
     * @param trainSize training sequences
     * @param testSize  test sequences
     * @param length    n, steps per sequence
     * @param seed      seeds everything
     */
    public record Config(int trainSize, int testSize, int length, long seed) {
        public Config {
            if (trainSize < 1 || testSize < 1 || length < 1) {
                throw new IllegalArgumentException("invalid remember-first configuration: " + this);
            }
        }

        public static Config defaults(int length, long seed) {
            return new Config(10000, 1000, length, seed);
        }
    }

    private RememberFirst() {
    }

    public static DataSplit generate(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        return new DataSplit(dataset(rng.split(), c.trainSize(), c.length()), dataset(rng.split(), c.testSize(), c.length()));
    }

    /** {@code size} sequences of length {@code length}. */
    public static SequenceDataset dataset(SplittableRandom rng, int size, int length) {
        List<Sequence> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            float[] x = new float[length];
            for (int t = 0; t < length; t++) {
                x[t] = (float) (rng.nextDouble() * 2 - 1);
            }
            list.add(Sequence.regression(x, length, new float[] {x[0]}));
        }
        return new SequenceDataset(1, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP, list);
    }
}
