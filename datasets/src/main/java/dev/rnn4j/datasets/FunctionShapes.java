package dev.rnn4j.datasets;

import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Function-shape classification: which family of curve do these points lie on?
 *
 * <p>Each sequence is a list of points {@code (x, y)}, sorted by x, of one of three functions:
 * <ul>
 *   <li>class 0, line: {@code y = k x + b}, x in [5, 15]</li>
 *   <li>class 1, parabola: {@code y = k x^2 + b}, x in [5, 15]</li>
 *   <li>class 2, square root: {@code y = k sqrt(x) + b}, x in [5, 10]</li>
 * </ul>
 * with {@code k ~ U(0, 1)} and {@code b ~ U(0, 5)}. The label is the class, given at every step (a model
 * should name the family from the points seen so far) or, with {@link OutputMode#LAST_STEP} labels, once after
 * the last point (the setting of a classifier that reads the whole sequence). With {@link Coefficients#FIXED} k and b are drawn
 * once per data set (train and test share them: the "solved" variant, where one point nearly decides the
 * class); with {@link Coefficients#PER_SEQUENCE} every sequence draws its own. Sequence lengths for training
 * and test are set separately, each a fixed number or a range {@code min..max} drawn per sequence.
 *
 * <p>Input size 2, 3 classes. The class of every sequence is uniform over the three.
 */
public final class FunctionShapes {
    public static final int INPUT_SIZE = 2;
    public static final int CLASSES = 3;
    private static final List<String> NAMES = List.of("line", "parabola", "sqrt");

    /** How k and b are drawn. */
    public enum Coefficients {
        /** Once per data set, shared by train and test. */
        FIXED,
        /** For every sequence. */
        PER_SEQUENCE;

        public static Coefficients parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "fixed" -> FIXED;
                case "per-sequence" -> PER_SEQUENCE;
                default -> throw new IllegalArgumentException("--coefficients must be fixed or per-sequence, got '" + s + "'");
            };
        }
    }

    /**
     * @param trainSize      training sequences
     * @param testSize       test sequences
     * @param trainMinLength shortest training sequence
     * @param trainMaxLength longest training sequence (equal to min for a fixed length)
     * @param testMinLength  shortest test sequence
     * @param testMaxLength  longest test sequence
     * @param coefficients   fixed per data set or per sequence
     * @param normalize      scale inputs to about [-1, 1]: {@code x' = (x - 10) / 5}, {@code y' = y / 50 - 1}
     * @param labels         a label at every step (default) or after the last step only
     * @param seed           seeds everything
     */
    public record Config(int trainSize, int testSize, int trainMinLength, int trainMaxLength, int testMinLength,
                         int testMaxLength, Coefficients coefficients, boolean normalize, OutputMode labels, long seed) {
        public Config {
            if (labels == null) {
                labels = OutputMode.EVERY_STEP;
            }
            if (trainSize < 1 || testSize < 1) {
                throw new IllegalArgumentException("train and test sizes must be >= 1");
            }
            if (trainMinLength < 1 || trainMaxLength < trainMinLength || testMinLength < 1
                    || testMaxLength < testMinLength) {
                throw new IllegalArgumentException("sequence lengths must satisfy 1 <= min <= max, got train "
                        + trainMinLength + ".." + trainMaxLength + ", test " + testMinLength + ".." + testMaxLength);
            }
        }

        /** 2000 training and 500 test sequences of 8 and 4 points, fixed coefficients. */
        public static Config defaults(long seed) {
            return defaults(Coefficients.FIXED, seed);
        }

        /**
         * The working recipe's data for {@code coefficients}: with fixed ones, 2,000 raw sequences of 8 points labelled
         * at every step; with per-sequence ones (a harder problem: the family must be told from the shape alone),
         * 100,000 sequences with normalised inputs, labelled after the last point. Tests of 4 points either way.
         */
        public static Config defaults(Coefficients coefficients, long seed) {
            return coefficients == Coefficients.FIXED
                    ? new Config(2000, 500, 8, 8, 4, 4, Coefficients.FIXED, false, OutputMode.EVERY_STEP, seed)
                    : new Config(100_000, 500, 8, 8, 4, 4, Coefficients.PER_SEQUENCE, true, OutputMode.LAST_STEP, seed);
        }

        /** The same data with another test length (the training set is unchanged). */
        public Config withTest(int size, int minLength, int maxLength) {
            return new Config(trainSize, size, trainMinLength, trainMaxLength, minLength, maxLength, coefficients,
                    normalize, labels, seed);
        }
    }

    private FunctionShapes() {
    }

    /** The class name of a label. */
    public static String className(int label) {
        return NAMES.get(label);
    }

    /** Generates train and test sets from the config; the same config gives the same data. */
    public static DataSplit generate(Config config) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        double k = rng.nextDouble();
        double b = 5 * rng.nextDouble();
        SplittableRandom trainRng = rng.split();
        SplittableRandom testRng = rng.split();
        return new DataSplit(
                dataset(trainRng, config.trainSize(), config.trainMinLength(), config.trainMaxLength(), config, k, b),
                dataset(testRng, config.testSize(), config.testMinLength(), config.testMaxLength(), config, k, b));
    }

    private static SequenceDataset dataset(SplittableRandom rng, int size, int minLen, int maxLen, Config config,
                                           double fixedK, double fixedB) {
        List<Sequence> list = new ArrayList<>(size);
        for (int s = 0; s < size; s++) {
            int label = rng.nextInt(CLASSES);
            int length = minLen + rng.nextInt(maxLen - minLen + 1);
            double k = fixedK;
            double b = fixedB;
            if (config.coefficients() == Coefficients.PER_SEQUENCE) {
                k = rng.nextDouble();
                b = 5 * rng.nextDouble();
            }
            list.add(sequence(rng, label, length, k, b, config));
        }
        return new SequenceDataset(INPUT_SIZE, HeadKind.CLASSIFICATION, 1, config.labels(), list);
    }

    private static Sequence sequence(SplittableRandom rng, int label, int length, double k, double b, Config config) {
        boolean normalize = config.normalize();
        double hi = label == 2 ? 10 : 15;
        double[] xs = new double[length];
        for (int i = 0; i < length; i++) {
            xs[i] = 5 + (hi - 5) * rng.nextDouble();
        }
        Arrays.sort(xs);
        float[] inputs = new float[length * INPUT_SIZE];
        for (int i = 0; i < length; i++) {
            double x = xs[i];
            double y = value(label, k, b, x);
            inputs[2 * i] = (float) (normalize ? (x - 10) / 5 : x);
            inputs[2 * i + 1] = (float) (normalize ? y / 50 - 1 : y);
        }
        int[] labels = new int[config.labels() == OutputMode.EVERY_STEP ? length : 1];
        Arrays.fill(labels, label);
        return Sequence.classification(inputs, length, labels);
    }

    /** {@code y} of the family {@code label} at {@code x}. */
    public static double value(int label, double k, double b, double x) {
        return switch (label) {
            case 0 -> k * x + b;
            case 1 -> k * x * x + b;
            case 2 -> k * Math.sqrt(x) + b;
            default -> throw new IllegalArgumentException("label " + label);
        };
    }
}
