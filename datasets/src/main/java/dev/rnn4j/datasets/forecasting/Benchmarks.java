package dev.rnn4j.datasets.forecasting;

import java.util.Arrays;

/**
 * The M4 competition's statistical benchmarks, as its organisers' {@code Benchmarks and Evaluation.R}
 * ({@code Mcompetitions/M4-methods}, with R's {@code forecast} package 8.2) computes them, for one series {@code x},
 * seasonal period {@code m} and horizon {@code h}:
 * <ul>
 *   <li>Naive: the last value; sNaive: the last season repeated;</li>
 *   <li>Naive2, SES and Theta run on the seasonally adjusted series and are multiplied back by the last season's
 *       indices: a series is seasonal when it passes the 90% autocorrelation test at lag {@code m} and has at least
 *       {@code 3m} values ({@link #isSeasonal}); its indices come from classical multiplicative decomposition
 *       ({@link #seasonalIndices}, R's {@code decompose});</li>
 *   <li>SES is {@code ets(x, "ANN")} with the smoothing parameter and the initial level that minimise the in-sample
 *       one-step squared error ({@link Ses}); Theta is the classic theta method (theta lines 0 and 2, weights 1/2,
 *       negative forecasts raised to 0).</li>
 * </ul>
 */
public final class Benchmarks {
    /** R's critical value of the seasonality test: 90%, one-sided. */
    private static final double T_CRIT = 1.645;

    private Benchmarks() {
    }

    /** Naive: every step is the last value. */
    public static double[] naive(double[] x, int h) {
        double[] f = new double[h];
        Arrays.fill(f, x[x.length - 1]);
        return f;
    }

    /** Seasonal naive: the last {@code m} values, repeated (Naive when {@code m} is 1). */
    public static double[] seasonalNaive(double[] x, int m, int h) {
        double[] f = new double[h];
        for (int t = 0; t < h; t++) {
            f[t] = x[x.length - m + t % m];
        }
        return f;
    }

    /**
     * The five benchmarks' forecasts of one series, by name ({@code naive}, {@code snaive}, {@code naive2}, {@code ses},
     * {@code theta}), the seasonal adjustment made once for the three that use it.
     */
    public static java.util.Map<String, double[]> all(double[] x, int m, int h) {
        Adjusted a = Adjusted.of(x, m);
        java.util.Map<String, double[]> f = new java.util.LinkedHashMap<>();
        f.put("naive", naive(x, h));
        f.put("snaive", seasonalNaive(x, m, h));
        f.put("naive2", naive2(a, h));
        f.put("ses", ses(a, h));
        f.put("theta", theta(a, h));
        return f;
    }

    /** Naive2: Naive on the seasonally adjusted series, multiplied back by the last season's indices. */
    public static double[] naive2(double[] x, int m, int h) {
        return naive2(Adjusted.of(x, m), h);
    }

    private static double[] naive2(Adjusted a, int h) {
        return a.reseason(naive(a.values(), h));
    }

    /** SES on the seasonally adjusted series ({@link Ses}), multiplied back. */
    public static double[] ses(double[] x, int m, int h) {
        return ses(Adjusted.of(x, m), h);
    }

    private static double[] ses(Adjusted a, int h) {
        double[] f = new double[h];
        Arrays.fill(f, Ses.fit(a.values()).forecast());
        return a.reseason(f);
    }

    /** The classic theta method on the seasonally adjusted series, multiplied back. */
    public static double[] theta(double[] x, int m, int h) {
        return theta(Adjusted.of(x, m), h);
    }

    private static double[] theta(Adjusted a, int h) {
        double[] y = a.values();
        int n = y.length;
        // theta line 0: least squares on t = 1..n
        double meanT = (n + 1) / 2.0;
        double meanY = Arrays.stream(y).average().orElse(0);
        double sxy = 0;
        double sxx = 0;
        for (int t = 1; t <= n; t++) {
            sxy += (t - meanT) * (y[t - 1] - meanY);
            sxx += (t - meanT) * (t - meanT);
        }
        double slope = sxy / sxx;
        double intercept = meanY - slope * meanT;
        // theta line 2: 2 y - line 0, smoothed by SES
        double[] line2 = new double[n];
        for (int t = 1; t <= n; t++) {
            line2[t - 1] = 2 * y[t - 1] - (intercept + slope * t);
        }
        double level = Ses.fit(line2).forecast();
        double[] f = new double[h];
        for (int k = 1; k <= h; k++) {
            f[k - 1] = Math.max(0, 0.5 * level + 0.5 * (intercept + slope * (n + k)));
        }
        return a.reseason(f);
    }

    /**
     * Naive's 95% (or any level's) prediction interval as R's {@code naive} gives it: the last value plus or minus
     * {@code z * sigma * sqrt(k)} at step k, with {@code sigma} the root mean square of the one-step differences.
     *
     * @return {@code {lower, upper}}
     */
    public static double[][] naiveInterval(double[] x, int h, double z) {
        double sum = 0;
        for (int t = 1; t < x.length; t++) {
            sum += (x[t] - x[t - 1]) * (x[t] - x[t - 1]);
        }
        double sigma = Math.sqrt(sum / (x.length - 1));
        double last = x[x.length - 1];
        double[][] band = new double[2][h];
        for (int k = 1; k <= h; k++) {
            band[0][k - 1] = last - z * sigma * Math.sqrt(k);
            band[1][k - 1] = last + z * sigma * Math.sqrt(k);
        }
        return band;
    }

    /**
     * The M4 seasonality test: the autocorrelation at lag {@code m} exceeds its 90% limit
     * {@code 1.645 / sqrt(n) * sqrt(1 + 2 * sum_{k < m} acf_k^2)}; series shorter than {@code 3m} and {@code m <= 1}
     * are not seasonal.
     */
    public static boolean isSeasonal(double[] x, int m) {
        int n = x.length;
        if (m <= 1 || n < 3 * m) {
            return false;
        }
        double mean = Arrays.stream(x).average().orElse(0);
        double c0 = 0;
        for (double v : x) {
            c0 += (v - mean) * (v - mean);
        }
        if (c0 == 0) {
            return false;
        }
        double sumSquares = 0;
        double acfM = 0;
        for (int k = 1; k <= m; k++) {
            double ck = 0;
            for (int t = 0; t + k < n; t++) {
                ck += (x[t] - mean) * (x[t + k] - mean);
            }
            double acf = ck / c0;
            if (k < m) {
                sumSquares += acf * acf;
            } else {
                acfM = acf;
            }
        }
        double limit = T_CRIT / Math.sqrt(n) * Math.sqrt(1 + 2 * sumSquares);
        return Math.abs(acfM) > limit;
    }

    /**
     * Classical multiplicative decomposition's seasonal indices (R's {@code decompose(x, "multiplicative")}): the
     * centred moving average of length {@code m} (weights 1/2 at its ends when {@code m} is even) is the trend; each
     * position's index is the mean of {@code x / trend} over the cycles where the trend exists, the indices scaled to
     * average 1. Index {@code i} belongs to the values at {@code i, i + m, ...} (0-based, counting from the first).
     */
    public static double[] seasonalIndices(double[] x, int m) {
        int n = x.length;
        double[] weights = new double[m % 2 == 0 ? m + 1 : m];
        Arrays.fill(weights, 1.0 / m);
        if (m % 2 == 0) {
            weights[0] = weights[m] = 0.5 / m;
        }
        int half = weights.length / 2;
        double[] sums = new double[m];
        int[] counts = new int[m];
        for (int t = half; t < n - half; t++) {
            double trend = 0;
            for (int j = 0; j < weights.length; j++) {
                trend += weights[j] * x[t - half + j];
            }
            sums[t % m] += x[t] / trend;
            counts[t % m]++;
        }
        double[] figure = new double[m];
        for (int i = 0; i < m; i++) {
            figure[i] = sums[i] / counts[i];
        }
        double mean = Arrays.stream(figure).average().orElse(1);
        for (int i = 0; i < m; i++) {
            figure[i] /= mean;
        }
        return figure;
    }

    /**
     * A series divided by its seasonal indices when it is seasonal ({@link #isSeasonal}), else itself; forecasts of
     * the adjusted series are multiplied back by the indices of the positions that follow the last value.
     *
     * @param values  the adjusted series
     * @param indices the seasonal indices by position, or {@code null} when not seasonal
     * @param m       the period
     */
    record Adjusted(double[] values, double[] indices, int m) {

        static Adjusted of(double[] x, int m) {
            if (!isSeasonal(x, m)) {
                return new Adjusted(x, null, m);
            }
            double[] indices = seasonalIndices(x, m);
            double[] adjusted = new double[x.length];
            for (int t = 0; t < x.length; t++) {
                adjusted[t] = x[t] / indices[t % m];
            }
            return new Adjusted(adjusted, indices, m);
        }

        /** {@code f} (the adjusted series' forecasts, steps 1..h after the last value) with the seasonality put back. */
        double[] reseason(double[] f) {
            if (indices == null) {
                return f;
            }
            double[] out = new double[f.length];
            for (int k = 0; k < f.length; k++) {
                out[k] = f[k] * indices[(values.length + k) % m];
            }
            return out;
        }
    }
}
