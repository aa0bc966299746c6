package dev.rnn4j.datasets.forecasting;

/**
 * Simple exponential smoothing as R's {@code forecast::ses} fits it ({@code ets(y, "ANN", opt.crit = "mse")}): the
 * level {@code l_t = l_{t-1} + alpha (y_t - l_{t-1})}, with the smoothing parameter {@code alpha} in
 * {@code [1e-4, 0.9999]} and the initial level {@code l_0} chosen to minimise the in-sample mean squared one-step
 * error; the forecast at every horizon is the last level.
 *
 * <p>For a given alpha the errors are affine in {@code l_0}, so the best {@code l_0} is a least-squares solution in
 * closed form; alpha is found by a grid over its range, refined by golden-section search around the best point.
 *
 * @param alpha  the smoothing parameter
 * @param level0 the initial level
 * @param level  the level after the last value: the forecast
 * @param mse    the in-sample mean squared one-step error
 */
public record Ses(double alpha, double level0, double level, double mse) {
    private static final double MIN_ALPHA = 1e-4;
    private static final double MAX_ALPHA = 0.9999;
    private static final int GRID = 200;

    /** The flat forecast: the last level. */
    public double forecast() {
        return level;
    }

    /**
     * Fits {@code y}.
     *
     * @throws IllegalArgumentException for fewer than two values
     */
    public static Ses fit(double[] y) {
        if (y.length < 2) {
            throw new IllegalArgumentException("SES needs at least 2 values, got " + y.length);
        }
        double best = MIN_ALPHA;
        double bestMse = Double.POSITIVE_INFINITY;
        for (int i = 0; i <= GRID; i++) {
            double a = MIN_ALPHA + (MAX_ALPHA - MIN_ALPHA) * i / GRID;
            double mse = at(y, a).mse();
            if (mse < bestMse) {
                bestMse = mse;
                best = a;
            }
        }
        double step = (MAX_ALPHA - MIN_ALPHA) / GRID;
        double lo = Math.max(MIN_ALPHA, best - step);
        double hi = Math.min(MAX_ALPHA, best + step);
        double g = (Math.sqrt(5) - 1) / 2;
        double c = hi - g * (hi - lo);
        double d = lo + g * (hi - lo);
        double fc = at(y, c).mse();
        double fd = at(y, d).mse();
        for (int it = 0; it < 60 && hi - lo > 1e-10; it++) {
            if (fc < fd) {
                hi = d;
                d = c;
                fd = fc;
                c = hi - g * (hi - lo);
                fc = at(y, c).mse();
            } else {
                lo = c;
                c = d;
                fc = fd;
                d = lo + g * (hi - lo);
                fd = at(y, d).mse();
            }
        }
        Ses refined = at(y, (lo + hi) / 2);
        return refined.mse() <= bestMse ? refined : at(y, best);
    }

    /**
     * SES at a given alpha with its best initial level. With {@code c_t = (1 - alpha) c_{t-1} + alpha y_t},
     * {@code c_0 = 0}, the level is {@code l_t = (1 - alpha)^t l_0 + c_t}, so the one-step error is
     * {@code e_t = (y_t - c_{t-1}) - (1 - alpha)^{t-1} l_0}: least squares in {@code l_0}.
     */
    static Ses at(double[] y, double alpha) {
        int n = y.length;
        double keep = 1 - alpha;
        double c = 0;
        double v = 1;
        double suv = 0;
        double svv = 0;
        for (double value : y) {
            double u = value - c;
            suv += u * v;
            svv += v * v;
            c = keep * c + alpha * value;
            v *= keep;
        }
        double level0 = suv / svv;
        double level = level0;
        double sse = 0;
        for (double value : y) {
            double e = value - level;
            sse += e * e;
            level += alpha * e;
        }
        return new Ses(alpha, level0, level, sse / n);
    }
}
