package dev.rnn4j.train;

import dev.rnn4j.config.Threads;
import dev.rnn4j.data.Batch;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.model.Output;
import java.util.stream.IntStream;

/**
 * Losses over valid positions only. A position is (sequence n, step s): with per-step targets step s is
 * valid when {@code s < lengths[n]}; with last-step targets every sequence has exactly one position.
 *
 * <ul>
 *   <li>MSE: {@code L = sum over valid positions and outputs of (y - t)^2 / (valid positions * C)}, like
 *       PyTorch's {@code MSELoss(reduction='mean')} on the valid elements.</li>
 *   <li>MAE: {@code L = sum over valid positions and outputs of |y - t| / (valid positions * C)}, like PyTorch's
 *       {@code L1Loss(reduction='mean')}; its gradient is {@code sign(y - t) / (valid positions * C)} (0 at a
 *       tie, as PyTorch's).</li>
 *   <li>Cross-entropy: {@code L = mean over valid positions of -log softmax(y)[label]}, like
 *       {@code CrossEntropyLoss} with padded positions ignored.</li>
 * </ul>
 * Sums are taken in double.
 */
public final class Losses {

    private Losses() {
    }

    /** The loss for a head of the given kind: MSE for regression, cross-entropy for classification. */
    public static LossResult compute(HeadKind head, Output out, Batch batch) {
        return compute(RegressionLoss.MSE, head, out, batch);
    }

    /** The loss for a head of the given kind, {@code regression} for a regression head. */
    public static LossResult compute(RegressionLoss regression, HeadKind head, Output out, Batch batch) {
        if (head != HeadKind.REGRESSION) {
            return crossEntropy(out, batch);
        }
        return regression == RegressionLoss.MAE ? mae(out, batch) : mse(out, batch);
    }

    /** Masked mean squared error. */
    public static LossResult mse(Output out, Batch batch) {
        return regression(out, batch, false);
    }

    /** Masked mean absolute error. */
    public static LossResult mae(Output out, Batch batch) {
        return regression(out, batch, true);
    }

    /** MSE, or with {@code absolute} MAE, and its gradient. */
    private static LossResult regression(Output out, Batch batch, boolean absolute) {
        checkShapes(out, batch, batch.targetSize());
        if (batch.targets() == null) {
            throw new IllegalArgumentException((absolute ? "MAE" : "MSE") + " needs regression targets, the batch has "
                    + (batch.labels() != null ? "class labels" : "none (an inference batch)"));
        }
        float[] y = out.values();
        float[] t = batch.targets();
        float[] grad = new float[y.length];
        int c = out.width();
        long count = validPositions(out, batch) * (long) c;
        double sum = 0;
        double scale = 2.0 / count;
        for (int n = 0; n < out.size(); n++) {
            int steps = validSteps(out, batch, n);
            for (int s = 0; s < steps; s++) {
                int base = (n * out.steps() + s) * c;
                for (int k = 0; k < c; k++) {
                    double d = (double) y[base + k] - t[base + k];
                    sum += absolute ? Math.abs(d) : d * d;
                    grad[base + k] = (float) (absolute ? Math.signum(d) / count : scale * d);
                }
            }
        }
        return new LossResult(sum / count, grad);
    }

    /**
     * Masked softmax cross-entropy over logits. Sequences are split across {@link Threads#configured()} threads (the
     * common fork-join pool) when there are at least {@link #PARALLEL_LOGITS} logits: each position's loss and
     * gradient are computed as on one thread, and the losses summed in position order afterwards, so the value and
     * the gradient are the same bits on any thread count ({@code Math.exp} over every logit is most of the time:
     * 3.6 ms of D's training step on one thread).
     */
    public static LossResult crossEntropy(Output out, Batch batch) {
        checkShapes(out, batch, 1);
        if (batch.labels() == null) {
            throw new IllegalArgumentException("Cross-entropy needs class labels, the batch has "
                    + (batch.targets() != null ? "regression targets" : "none (an inference batch)"));
        }
        int[] labels = batch.labels();
        int c = out.width();
        for (int n = 0; n < out.size(); n++) {
            for (int s = 0; s < validSteps(out, batch, n); s++) {
                int label = labels[n * out.steps() + s];
                if (label < 0 || label >= c) {
                    throw new IllegalArgumentException("Label " + label + " of sequence " + n + " at step " + s
                            + " is outside 0.." + (c - 1));
                }
            }
        }
        float[] grad = new float[out.values().length];
        long count = validPositions(out, batch);
        double[] terms = new double[out.size() * out.steps()]; // -log softmax(y)[label] per position
        int parts = out.values().length < PARALLEL_LOGITS ? 1 : Math.min(Threads.configured(), out.size());
        IntStream.range(0, parts).parallel().forEach(part -> crossEntropyRows(out, batch, count,
                out.size() * part / parts, out.size() * (part + 1) / parts, terms, grad));
        double sum = 0;
        for (int n = 0; n < out.size(); n++) {
            for (int s = 0; s < validSteps(out, batch, n); s++) {
                sum += terms[n * out.steps() + s];
            }
        }
        return new LossResult(sum / count, grad);
    }

    /** From this many logits on, {@link #crossEntropy} splits its sequences across threads. */
    static final int PARALLEL_LOGITS = 1 << 16;

    /** Sequences {@code [from, to)} of {@link #crossEntropy}: each valid position's loss term and gradient row. */
    private static void crossEntropyRows(Output out, Batch batch, long count, int from, int to, double[] terms,
                                         float[] grad) {
        float[] y = out.values();
        int[] labels = batch.labels();
        int c = out.width();
        double[] p = new double[c];
        for (int n = from; n < to; n++) {
            for (int s = 0; s < validSteps(out, batch, n); s++) {
                int base = (n * out.steps() + s) * c;
                int label = labels[n * out.steps() + s];
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < c; k++) {
                    max = Math.max(max, y[base + k]);
                }
                double z = 0;
                for (int k = 0; k < c; k++) {
                    p[k] = Math.exp(y[base + k] - max);
                    z += p[k];
                }
                terms[n * out.steps() + s] = -(y[base + label] - max - Math.log(z));
                for (int k = 0; k < c; k++) {
                    grad[base + k] = (float) ((p[k] / z - (k == label ? 1 : 0)) / count);
                }
            }
        }
    }

    /** Number of valid (sequence, step) positions. */
    static long validPositions(Output out, Batch batch) {
        long count = 0;
        for (int n = 0; n < out.size(); n++) {
            count += validSteps(out, batch, n);
        }
        return count;
    }

    /** Valid output rows of sequence n: its length for per-step output, else 1. */
    static int validSteps(Output out, Batch batch, int n) {
        return out.steps() == 1 ? 1 : batch.lengths()[n];
    }

    private static void checkShapes(Output out, Batch batch, int targetWidth) {
        if (out.size() != batch.size() || out.steps() != batch.targetSteps()) {
            throw new IllegalArgumentException("Model output is [N=" + out.size() + ", S=" + out.steps()
                    + "] but the batch targets are [N=" + batch.size() + ", S=" + batch.targetSteps()
                    + "]: the model's output mode must match the data's target mode");
        }
        if (batch.targets() != null && out.width() != targetWidth) {
            throw new IllegalArgumentException("Model outputs " + out.width() + " values per step but targets have "
                    + targetWidth);
        }
    }
}
