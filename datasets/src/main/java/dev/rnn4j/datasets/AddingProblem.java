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
 * The adding problem (Hochreiter and Schmidhuber 1997, experiment 4, in the form later papers use): each step
 * carries a value {@code U(0, 1)} and a marker; exactly two steps are marked, one in the first half and one in
 * the second, and the target after the last step is the sum of the two marked values. Predicting the mean
 * (1.0) scores MSE 1/6. Input size 2 (value, marker).
 */
public final class AddingProblem {

    public record Config(int trainSize, int testSize, int length, long seed) {
        public Config {
            if (trainSize < 1 || testSize < 1 || length < 2) {
                throw new IllegalArgumentException("invalid adding-problem configuration: " + this);
            }
        }

        public static Config defaults(int length, long seed) {
            return new Config(10000, 1000, length, seed);
        }
    }

    private AddingProblem() {
    }

    public static DataSplit generate(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        return new DataSplit(dataset(rng.split(), c.trainSize(), c.length()), dataset(rng.split(), c.testSize(), c.length()));
    }

    private static SequenceDataset dataset(SplittableRandom rng, int size, int length) {
        List<Sequence> list = new ArrayList<>(size);
        int half = length / 2;
        for (int i = 0; i < size; i++) {
            float[] x = new float[2 * length];
            for (int t = 0; t < length; t++) {
                x[2 * t] = (float) rng.nextDouble();
            }
            int a = rng.nextInt(half);
            int b = half + rng.nextInt(length - half);
            x[2 * a + 1] = 1f;
            x[2 * b + 1] = 1f;
            list.add(Sequence.regression(x, length, new float[] {x[2 * a] + x[2 * b]}));
        }
        return new SequenceDataset(2, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP, list);
    }
}
