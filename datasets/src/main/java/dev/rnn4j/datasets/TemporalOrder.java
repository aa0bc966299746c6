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
 * Temporal order (Hochreiter and Schmidhuber 1997, experiment 6a): a sequence starts with B and ends with E;
 * between them are random distractors from {a, b, c, d}, except for two relevant symbols, each X or Y, at
 * positions {@code t1} in [10, 20] and {@code t2} in [50, 60] (scaled with the length). The class is the order
 * of the two: XX, XY, YX or YY. Lengths are drawn in {@code [minLength, maxLength]} (default 100..110).
 * One-hot input over the 8 symbols {@code E, B, a, b, c, d, X, Y}; 4 classes; the label at the last step.
 */
public final class TemporalOrder {
    public static final String SYMBOLS = "EBabcdXY";
    public static final List<String> CLASSES = List.of("XX", "XY", "YX", "YY");

    public record Config(int trainSize, int testSize, int minLength, int maxLength, long seed) {
        public Config {
            if (trainSize < 1 || testSize < 1 || minLength < 8 || maxLength < minLength) {
                throw new IllegalArgumentException("invalid temporal-order configuration: " + this);
            }
        }

        public static Config defaults(long seed) {
            return new Config(10000, 1000, 100, 110, seed);
        }
    }

    private TemporalOrder() {
    }

    public static DataSplit generate(Config c) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        return new DataSplit(dataset(rng.split(), c.trainSize(), c), dataset(rng.split(), c.testSize(), c));
    }

    private static SequenceDataset dataset(SplittableRandom rng, int size, Config c) {
        List<Sequence> list = new ArrayList<>(size);
        int k = SYMBOLS.length();
        for (int i = 0; i < size; i++) {
            int len = c.minLength() + rng.nextInt(c.maxLength() - c.minLength() + 1);
            // relevant positions at 10..20 and 50..60 for length 100, scaled otherwise
            int t1 = (int) Math.round(len * (0.10 + 0.10 * rng.nextDouble()));
            int t2 = (int) Math.round(len * (0.50 + 0.10 * rng.nextDouble()));
            int label = rng.nextInt(4);
            float[] x = new float[len * k];
            for (int t = 0; t < len; t++) {
                int sym;
                if (t == 0) {
                    sym = 1;
                } else if (t == len - 1) {
                    sym = 0;
                } else if (t == t1) {
                    sym = 6 + (label >> 1);
                } else if (t == t2) {
                    sym = 6 + (label & 1);
                } else {
                    sym = 2 + rng.nextInt(4);
                }
                x[t * k + sym] = 1f;
            }
            list.add(Sequence.classification(x, len, new int[] {label}));
        }
        return new SequenceDataset(k, HeadKind.CLASSIFICATION, 1, OutputMode.LAST_STEP, list);
    }
}
