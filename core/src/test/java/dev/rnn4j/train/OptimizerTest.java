package dev.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import org.junit.jupiter.api.Test;

/** Two steps of each optimizer against PyTorch's update formulas, worked out here in double. */
class OptimizerTest {

    private static Parameters one(String name, float v) {
        return new Parameters().put(new Tensor(name, new int[] {1}, new float[] {v}));
    }

    private static float run(OptimizerConfig config, float p0, float g1, float g2) {
        Parameters p = one("w", p0);
        Optimizer opt = config.create();
        opt.step(p, one("w", g1));
        opt.step(p, one("w", g2));
        return p.get("w").data()[0];
    }

    @Test
    void sgdWithMomentum() {
        // buf1 = g1; p1 = p0 - lr g1; buf2 = mu buf1 + g2; p2 = p1 - lr buf2
        double p1 = 1.0 - 0.1 * 0.5;
        double p2 = p1 - 0.1 * (0.9 * 0.5 + (-0.2));
        assertEquals(p2, run(OptimizerConfig.sgd(0.1f, 0.9f), 1f, 0.5f, -0.2f), 1e-6);
    }

    @Test
    void adam() {
        double b1 = 0.9;
        double b2 = 0.999;
        double lr = 0.01;
        double eps = 1e-8;
        double p = 1.0;
        double m = 0;
        double v = 0;
        double[] g = {0.5, -0.2};
        for (int t = 1; t <= 2; t++) {
            m = b1 * m + (1 - b1) * g[t - 1];
            v = b2 * v + (1 - b2) * g[t - 1] * g[t - 1];
            double mh = m / (1 - Math.pow(b1, t));
            double denom = Math.sqrt(v) / Math.sqrt(1 - Math.pow(b2, t)) + eps;
            p -= lr * mh / denom;
        }
        assertEquals(p, run(OptimizerConfig.adam(0.01f), 1f, 0.5f, -0.2f), 1e-6);
    }

    @Test
    void rmsprop() {
        double a = 0.99;
        double s = 0;
        double p = 1.0;
        double[] g = {0.5, -0.2};
        for (double gi : g) {
            s = a * s + (1 - a) * gi * gi;
            p -= 0.01 * gi / (Math.sqrt(s) + 1e-8);
        }
        assertEquals(p, run(OptimizerConfig.rmsprop(0.01f), 1f, 0.5f, -0.2f), 1e-6);
    }

    @Test
    void cosineScheduleFollowsPyTorchsRecursiveForm() {
        // torch.optim.lr_scheduler.CosineAnnealingLR's recursive update, T_max = 10, eta_min = 0.01 * 0.1
        LearningRateSchedule cosine = LearningRateSchedule.cosine(0.01);
        double base = 0.1;
        double etaMin = 0.001;
        int tMax = 10;
        double lr = base;
        for (int t = 0; t <= tMax; t++) {
            assertEquals(lr, cosine.rate((float) base, t, tMax), 1e-7, "step " + t);
            int e = t + 1;
            lr = etaMin + (lr - etaMin) * (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax));
        }
        assertEquals(0.1f, LearningRateSchedule.constant().rate(0.1f, 7, 10));
        assertEquals(etaMin, cosine.rate(0.1f, 25, 10), 1e-9, "past the budget the rate stays at its minimum");
    }

    @Test
    void stepAtAnExplicitRateUsesIt() {
        Parameters p = one("w", 1f);
        OptimizerConfig.sgd(0.1f, 0f).create().step(p, one("w", 0.5f), 0.02f);
        assertEquals(1.0 - 0.02 * 0.5, p.get("w").data()[0], 1e-7);
    }

    @Test
    void clippingScalesToMaxNorm() {
        Parameters g = new Parameters().put(new Tensor("a", new int[] {2}, new float[] {3, 0}))
                .put(new Tensor("b", new int[] {1}, new float[] {4}));
        double norm = GradientClipping.clip(g, 1.0);
        assertEquals(5.0, norm, 1e-12);
        assertEquals(1.0, GradientClipping.globalNorm(g), 1e-6);
    }

    /** Every element counts once, tails of 1-3 past the four running sums included: against a plain sum in double. */
    @Test
    void globalNormSumsEveryElementOfEveryTensor() {
        Parameters g = new Parameters();
        java.util.SplittableRandom random = new java.util.SplittableRandom(5);
        double sum = 0;
        for (int size : new int[] {1, 2, 3, 4, 7, 9, 1003}) {
            float[] d = new float[size];
            for (int i = 0; i < size; i++) {
                d[i] = (float) random.nextDouble(-2, 2);
                sum += (double) d[i] * d[i];
            }
            g.put(new Tensor("t" + size, new int[] {size}, d));
        }
        assertEquals(Math.sqrt(sum), GradientClipping.globalNorm(g), 1e-12 * Math.sqrt(sum));
        g.get("t9").data()[8] += 1f; // the last of a tail: the norm moves
        assertTrue(Math.abs(GradientClipping.globalNorm(g) - Math.sqrt(sum)) > 1e-3);
    }
}
