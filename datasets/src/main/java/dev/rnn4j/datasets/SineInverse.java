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
 * Sine inverse mapping: recover z from noisy values of a wiggly function around it.
 *
 * <p>{@code f(x) = 0.5 sin(x/2 - 1) + sin(x) + sin(2x + 2) + sin(x/4 + 1) + 2}. A horizontal line crosses f
 * up to seven times on [0, 10], so one value {@code f(z)} does not determine z; a window of neighbours does.
 * Each example is the sequence {@code f(z - k) + e_k} for {@code k = window-1, ..., 1, 0} (oldest first, so
 * the last step is {@code f(z)}), with {@code e ~ N(0, noiseVariance)}, and the target is z at the last step.
 * z is uniform on {@code [zMin, zMax]} (default [0, 10], the original program's range). Input size 1.
 */
public final class SineInverse {

    /**
     * @param trainSize     training examples
     * @param testSize      test examples
     * @param window        values per example (1 gives the non-identifiable problem)
     * @param noiseVariance variance of the Gaussian noise on every value (0.16 by default; 0 for none)
     * @param zMin          lower end of z
     * @param zMax          upper end of z
     * @param seed          seeds everything
     */
    public record Config(int trainSize, int testSize, int window, double noiseVariance, double zMin, double zMax,
                         long seed) {
        public Config {
            if (trainSize < 1 || testSize < 1 || window < 1 || noiseVariance < 0 || !(zMax > zMin)) {
                throw new IllegalArgumentException("invalid sine-inverse configuration: " + this);
            }
        }

        /** 20,000 training and 2,000 test examples of 3-windows, noise variance 0.16 (the working recipe's data). */
        public static Config defaults(long seed) {
            return new Config(20000, 2000, 3, 0.16, 0, 10, seed);
        }
    }

    private SineInverse() {
    }

    /** The function. */
    public static double f(double x) {
        return 0.5 * Math.sin(x / 2 - 1) + Math.sin(x) + Math.sin(2 * x + 2) + Math.sin(x / 4 + 1) + 2;
    }

    public static DataSplit generate(Config c) {
        return new DataSplit(dataset(stream(c, TRAIN), c.trainSize(), c), testSet(c));
    }

    /** {@code generate(c).test()} without drawing the training set (a million examples at low noise). */
    public static SequenceDataset testSet(Config c) {
        return dataset(stream(c, TEST), c.testSize(), c);
    }

    /** Which of the seed's splits each set draws from. */
    private static final int TRAIN = 0;
    private static final int TEST = 1;

    /** The seed's split number {@code which}: each set has its own stream, so one can be drawn without the other. */
    private static SplittableRandom stream(Config c, int which) {
        SplittableRandom rng = new SplittableRandom(c.seed());
        for (int i = 0; i < which; i++) {
            rng.split(); // the splits before it
        }
        return rng.split();
    }

    private static SequenceDataset dataset(SplittableRandom rng, int size, Config c) {
        double sd = Math.sqrt(c.noiseVariance());
        List<Sequence> list = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            double z = c.zMin() + (c.zMax() - c.zMin()) * rng.nextDouble();
            float[] x = new float[c.window()];
            for (int s = 0; s < c.window(); s++) {
                int k = c.window() - 1 - s;
                x[s] = (float) (f(z - k) + sd * Gaussian.next(rng));
            }
            list.add(Sequence.regression(x, c.window(), new float[] {(float) z}));
        }
        return new SequenceDataset(1, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP, list);
    }

    /**
     * The Bayes-optimal predictor's mean squared error on {@code data} itself: for each example the posterior mean of
     * z on a grid of {@code grid} points, against its true z. What no model can beat on that very set; on 2,000
     * examples at noise variance 0.0256 it ranges from 0.29 to 0.70 with the seed (0.43 on average: rare windows with
     * two far-apart explanations dominate), so a test MSE is best read as a ratio to it.
     */
    public static double bayesOptimalMse(Config c, SequenceDataset data, int grid) {
        Posterior posterior = new Posterior(c, grid);
        double total = 0;
        for (int i = 0; i < data.size(); i++) {
            double z = data.get(i).targets()[0];
            double mean = posterior.mean(data.get(i).inputs());
            total += (z - mean) * (z - mean);
        }
        return total / data.size();
    }

    /**
     * {@code E[z | x]} on a grid of z (uniform prior times the Gaussian likelihood of the window): {@code fk[g]} is the
     * noiseless window at {@code zs[g]}.
     */
    private static final class Posterior {
        private final double var;
        private final double[] zs;
        private final double[][] fk;
        private final double[] logw;

        Posterior(Config c, int grid) {
            var = Math.max(c.noiseVariance(), 1e-12);
            zs = new double[grid];
            fk = new double[grid][c.window()];
            logw = new double[grid];
            for (int g = 0; g < grid; g++) {
                zs[g] = c.zMin() + (c.zMax() - c.zMin()) * (g + 0.5) / grid;
                for (int s = 0; s < c.window(); s++) {
                    fk[g][s] = f(zs[g] - (c.window() - 1 - s));
                }
            }
        }

        double mean(float[] x) {
            double max = Double.NEGATIVE_INFINITY;
            for (int g = 0; g < zs.length; g++) {
                double ll = 0;
                for (int s = 0; s < x.length; s++) {
                    double d = x[s] - fk[g][s];
                    ll -= d * d / (2 * var);
                }
                logw[g] = ll;
                max = Math.max(max, ll);
            }
            double wsum = 0;
            double zsum = 0;
            for (int g = 0; g < zs.length; g++) {
                double w = Math.exp(logw[g] - max);
                wsum += w;
                zsum += w * zs[g];
            }
            return zsum / wsum;
        }
    }

    /**
     * The Bayes-optimal mean squared error {@code E[(z - E[z | x])^2]} for this configuration, computed
     * numerically: Monte Carlo over {@code samples} draws of (z, x), and for each the posterior mean of z on a
     * grid of {@code grid} points (uniform prior times the Gaussian likelihood of the window). No model can do
     * better on average.
     */
    public static double bayesOptimalMse(Config c, int samples, int grid, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        double sd = Math.sqrt(c.noiseVariance());
        Posterior posterior = new Posterior(c, grid);
        double total = 0;
        for (int i = 0; i < samples; i++) {
            double z = c.zMin() + (c.zMax() - c.zMin()) * rng.nextDouble();
            float[] x = new float[c.window()];
            for (int s = 0; s < c.window(); s++) {
                x[s] = (float) (f(z - (c.window() - 1 - s)) + sd * Gaussian.next(rng));
            }
            double mean = posterior.mean(x);
            total += (z - mean) * (z - mean);
        }
        return total / samples;
    }
}
