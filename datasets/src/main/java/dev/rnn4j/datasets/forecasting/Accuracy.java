package dev.rnn4j.datasets.forecasting;

/**
 * The M4 competition's accuracy measures, as its organisers compute them ({@code Benchmarks and Evaluation.R} in
 * {@code Mcompetitions/M4-methods}, and the M4 Competitor's Guide for MSIS), per forecast step:
 * <pre>
 *   sMAPE_t = 200 |y_t - f_t| / (|y_t| + |f_t|)
 *   MASE_t  = |y_t - f_t| / scale,     scale = mean over t &gt; m of |x_t - x_{t-m}| on the series' own history x
 *   MSIS    = (1/H) sum_t [(U_t - L_t) + (2/a)(L_t - y_t)[y_t &lt; L_t] + (2/a)(y_t - U_t)[y_t &gt; U_t]] / scale
 *   OWA     = (sMAPE / sMAPE(Naive2) + MASE / MASE(Naive2)) / 2, each averaged over all series and steps first
 * </pre>
 * with {@code m} the seasonal period (24 for hourly data) and {@code a = 0.05} for 95% intervals.
 */
public final class Accuracy {
    private Accuracy() {
    }

    /** sMAPE of each step, in percent (0 to 200); a step where both the value and the forecast are 0 counts 0. */
    public static double[] smape(double[] actual, double[] forecast) {
        double[] s = new double[actual.length];
        for (int t = 0; t < actual.length; t++) {
            double denominator = Math.abs(actual[t]) + Math.abs(forecast[t]);
            s[t] = denominator == 0 ? 0 : 200 * Math.abs(actual[t] - forecast[t]) / denominator;
        }
        return s;
    }

    /**
     * MASE's scale: the in-sample mean absolute error of the seasonal naive forecast, {@code mean |x_t - x_{t-m}|}.
     *
     * @throws IllegalArgumentException if the history is not longer than {@code m}, or the scale is 0 (a series
     *                                  that repeats itself exactly: MASE is undefined)
     */
    public static double scale(double[] history, int m) {
        if (history.length <= m) {
            throw new IllegalArgumentException("a series of " + history.length + " values has no seasonal difference "
                    + "at period " + m + ": MASE needs more than " + m + " values");
        }
        double sum = 0;
        for (int t = m; t < history.length; t++) {
            sum += Math.abs(history[t] - history[t - m]);
        }
        double scale = sum / (history.length - m);
        if (!(scale > 0)) {
            throw new IllegalArgumentException("the series repeats itself exactly every " + m + " steps: MASE's scale "
                    + "is 0 and MASE undefined");
        }
        return scale;
    }

    /** MASE of each step against the history's {@link #scale}. */
    public static double[] mase(double[] history, int m, double[] actual, double[] forecast) {
        double scale = scale(history, m);
        double[] s = new double[actual.length];
        for (int t = 0; t < actual.length; t++) {
            s[t] = Math.abs(actual[t] - forecast[t]) / scale;
        }
        return s;
    }

    /** MSIS of one series' interval {@code [lower, upper]} at level {@code 1 - a} (a = 0.05 for 95%). */
    public static double msis(double[] history, int m, double[] actual, double[] lower, double[] upper, double a) {
        double sum = 0;
        for (int t = 0; t < actual.length; t++) {
            sum += upper[t] - lower[t];
            if (actual[t] < lower[t]) {
                sum += 2 / a * (lower[t] - actual[t]);
            } else if (actual[t] > upper[t]) {
                sum += 2 / a * (actual[t] - upper[t]);
            }
        }
        return sum / actual.length / scale(history, m);
    }

    /** The share of {@code actual} inside {@code [lower, upper]}. */
    public static double coverage(double[] actual, double[] lower, double[] upper) {
        int in = 0;
        for (int t = 0; t < actual.length; t++) {
            in += actual[t] >= lower[t] && actual[t] <= upper[t] ? 1 : 0;
        }
        return (double) in / actual.length;
    }

    /** OWA from a method's and Naive2's mean sMAPE and mean MASE. */
    public static double owa(double smape, double mase, double naive2Smape, double naive2Mase) {
        return (smape / naive2Smape + mase / naive2Mase) / 2;
    }
}
