package dev.rnn4j.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.model.Output;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.LossResult;
import dev.rnn4j.train.Losses;
import java.util.Locale;

/**
 * One place to compare models, in the spirit of tinygrad's {@code helper_test_op}: shapes first, then
 * values, then gradients, each with the tolerance written at the call.
 */
public final class ModelAssertions {

    private ModelAssertions() {
    }

    /** Same shape, then every value within {@code atol} absolute. */
    public static void assertOutputsClose(Output expected, Output actual, double atol, String what) {
        assertEquals(expected.size(), actual.size(), what + ": N");
        assertEquals(expected.steps(), actual.steps(), what + ": steps");
        assertEquals(expected.width(), actual.width(), what + ": width");
        assertValuesClose(expected.values(), actual.values(), atol, 0, what);
    }

    /** Every value within {@code atol + rtol * |expected|}; the message names the worst index. */
    public static void assertValuesClose(float[] expected, float[] actual, double atol, double rtol, String what) {
        assertEquals(expected.length, actual.length, what + ": length");
        double worst = 0;
        int at = -1;
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs((double) expected[i] - actual[i]);
            if (!(err <= atol + rtol * Math.abs(expected[i])) && (at < 0 || err > worst)) {
                worst = err;
                at = i;
            }
        }
        if (at >= 0) {
            fail(String.format(Locale.ROOT, "%s: index %d expected %.8g got %.8g (abs err %.3g, atol %.1g, rtol %.1g)",
                    what, at, expected[at], actual[at], worst, atol, rtol));
        }
    }

    /** Every tensor has the same name, shape and values within {@code atol}. */
    public static void assertParametersClose(Parameters expected, Parameters actual, double atol, String what) {
        assertEquals(expected.names(), actual.names(), what + ": parameter names");
        for (Tensor e : expected) {
            Tensor a = actual.get(e.name());
            assertArrayEquals(e.shape(), a.shape(), what + ": shape of " + e.name());
            assertValuesClose(e.data(), a.data(), atol, 0, what + ": " + e.name());
        }
    }

    /**
     * Elements per gate block of {@code t}: one gate's rows of a recurrent layer's W or R, one gate's part of either
     * half of its B; the whole tensor otherwise.
     */
    private static int gateBlock(dev.rnn4j.spec.ModelSpec spec, Tensor t) {
        if (spec.cell() == dev.rnn4j.spec.CellType.MLP || !t.name().matches("layers\\.\\d+\\.[WRB]")) {
            return t.data().length;
        }
        int[] shape = t.shape();
        int rank = shape.length - (spec.bidirectional() ? 1 : 0); // without the leading direction axis
        int perRow = rank == 2 ? shape[shape.length - 1] : 1;
        return spec.hiddenSize() * perRow;
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s;
    }

    private static double relative(double diff2, double an2, double num2, double floor) {
        return Math.sqrt(diff2) / Math.max(Math.max(Math.sqrt(an2), Math.sqrt(num2)), floor);
    }

    /** The loss of {@code model} on {@code batch} in inference mode. */
    public static double loss(TrainableModel model, Batch batch) {
        return Losses.compute(model.spec().head(), model.forward(batch), batch).value();
    }

    /** Analytic gradients of the loss for {@code batch} (zeroed first), as a copy. */
    public static Parameters analyticGradients(TrainableModel model, Batch batch) {
        model.zeroGrad();
        Output out = model.forwardTrain(batch);
        LossResult loss = Losses.compute(model.spec().head(), out, batch);
        model.backward(loss.gradient());
        return model.gradients().copy();
    }

    /**
     * Below this norm a gate block is compared as if it had this norm: float32 finite differences carry about 1e-5
     * of noise, a few percent of a block of norm 1e-3 (seen: 3.4e-3 relative on a correct block of norm 2e-3).
     */
    static final double BLOCK_FLOOR = 5e-3;

    /**
     * Compares analytic gradients with central finite differences {@code (L(p+eps) - L(p-eps)) / 2 eps}
     * for every parameter element. Passes when, per tensor, {@code ||g_a - g_n|| / max(||g_a||, ||g_n||, 1e-6)} is
     * below {@code maxRelErr}, and so is the same ratio per gate block (one gate's rows of a layer's W and R, one
     * gate's part of either half of its B) with {@link #BLOCK_FLOOR} as the floor: an error in one gate's gradient is
     * not diluted by the other gates (the tensor-wide check alone misses a 1% error in a third of the gates).
     * The model must be deterministic (no dropout).
     *
     * @return the worst relative error seen
     */
    public static double checkGradients(TrainableModel model, Batch batch, double eps, double maxRelErr) {
        Parameters analytic = analyticGradients(model, batch);
        Parameters live = model.trainableParameters();
        double worst = 0;
        StringBuilder report = new StringBuilder();
        for (Tensor t : live) {
            float[] p = t.data();
            float[] a = analytic.get(t.name()).data();
            int blockSize = gateBlock(model.spec(), t);
            int blocks = p.length / blockSize;
            double[] diff2 = new double[blocks];
            double[] an2 = new double[blocks];
            double[] num2 = new double[blocks];
            for (int i = 0; i < p.length; i++) {
                float orig = p[i];
                p[i] = (float) (orig + eps);
                model.parametersUpdated();
                double plus = loss(model, batch);
                p[i] = (float) (orig - eps);
                model.parametersUpdated();
                double minus = loss(model, batch);
                p[i] = orig;
                model.parametersUpdated();
                double num = (plus - minus) / (2 * eps);
                int b = i / blockSize;
                diff2[b] += (a[i] - num) * (a[i] - num);
                an2[b] += (double) a[i] * a[i];
                num2[b] += num * num;
            }
            double rel = relative(sum(diff2), sum(an2), sum(num2), 1e-6);
            worst = Math.max(worst, rel);
            if (rel > maxRelErr) {
                report.append(String.format(Locale.ROOT, "%n  %s: relative error %.3g (|analytic| %.3g, |numeric| %.3g)",
                        t.name(), rel, Math.sqrt(sum(an2)), Math.sqrt(sum(num2))));
            }
            for (int b = 0; blocks > 1 && b < blocks; b++) {
                double relBlock = relative(diff2[b], an2[b], num2[b], BLOCK_FLOOR);
                worst = Math.max(worst, relBlock);
                if (relBlock > maxRelErr) {
                    report.append(String.format(Locale.ROOT, "%n  %s gate block %d: relative error %.3g (|analytic| "
                            + "%.3g, |numeric| %.3g)", t.name(), b, relBlock, Math.sqrt(an2[b]), Math.sqrt(num2[b])));
                }
            }
        }
        if (report.length() > 0) {
            fail(model.spec().cell() + ": gradients disagree with finite differences (max " + maxRelErr + ")" + report);
        }
        return worst;
    }

    /**
     * Compares {@code dLoss/dInitialState} ({@link TrainableModel#initialStateGradient()}) with central finite
     * differences on every element of {@code initial} (h and c of every layer): per array, the relative error
     * {@code ||g_a - g_n|| / max(||g_a||, ||g_n||, 1e-6)} must stay below {@code maxRelErr}.
     *
     * @return the analytic gradient
     */
    public static State checkInitialStateGradients(TrainableModel model, Batch batch, State initial, double eps,
                                                   double maxRelErr) {
        model.zeroGrad();
        StatefulOutput out = model.forwardTrain(batch, initial);
        model.backward(Losses.compute(model.spec().head(), out.output(), batch).gradient());
        State analytic = model.initialStateGradient();
        State probe = initial.copy();
        StringBuilder report = new StringBuilder();
        for (int l = 0; l < probe.layers(); l++) {
            compareState(model, batch, probe, probe.h(l), analytic.h(l), eps, maxRelErr, "h of layer " + l, report);
            if (probe.hasCell()) {
                compareState(model, batch, probe, probe.c(l), analytic.c(l), eps, maxRelErr, "c of layer " + l, report);
            }
        }
        if (report.length() > 0) {
            fail(model.spec().cell() + ": initial-state gradients disagree with finite differences (max " + maxRelErr
                    + ")" + report);
        }
        return analytic;
    }

    private static void compareState(TrainableModel model, Batch batch, State probe, float[] values, float[] analytic,
                                     double eps, double maxRelErr, String what, StringBuilder report) {
        double diff2 = 0;
        double an2 = 0;
        double num2 = 0;
        for (int i = 0; i < values.length; i++) {
            float orig = values[i];
            values[i] = (float) (orig + eps);
            double plus = Losses.compute(model.spec().head(), model.forward(batch, probe).output(), batch).value();
            values[i] = (float) (orig - eps);
            double minus = Losses.compute(model.spec().head(), model.forward(batch, probe).output(), batch).value();
            values[i] = orig;
            double num = (plus - minus) / (2 * eps);
            diff2 += (analytic[i] - num) * (analytic[i] - num);
            an2 += (double) analytic[i] * analytic[i];
            num2 += num * num;
        }
        double rel = relative(diff2, an2, num2, 1e-6);
        if (rel > maxRelErr || an2 == 0) {
            report.append(String.format(Locale.ROOT, "%n  %s: relative error %.3g (|analytic| %.3g, |numeric| %.3g)",
                    what, rel, Math.sqrt(an2), Math.sqrt(num2)));
        }
    }
}
