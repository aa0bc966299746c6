package dev.rnn4j.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.train.GradientClipping;
import dev.rnn4j.train.NonFiniteException;
import dev.rnn4j.train.Optimizer;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.spi.Updater;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Clipping and the optimizer as engine ops on the parameters' own arrays: gradients, parameters and moments stay on
 * the engine's side; only the gradient norm (one number) comes back to Java each step. Same formulas as core's
 * {@link Optimizer} and {@link GradientClipping} (PyTorch's), in float32:
 * <ul>
 *   <li>clip: {@code c = maxNorm / (norm + 1e-6)} when below 1, applied to every gradient;</li>
 *   <li>Adam through the engine's fused {@code adamUpdate}, which computes {@code m = b1 m + (1 - b1) g},
 *       {@code v = b2 v + (1 - b2) g^2}, {@code p -= lr' m / (sqrt(v) + eps')}: with {@code lr' = lr sqrt(bc2) / bc1}
 *       and {@code eps' = eps sqrt(bc2)} that is exactly PyTorch's {@code p -= lr / bc1 * m / (sqrt(v) / sqrt(bc2)
 *       + eps)} ({@code bc_i = 1 - b_i^t}); the clipping factor goes in as its gradient rescale;</li>
 *   <li>SGD (with momentum: {@code buf = g} on the first step, then {@code buf = mu buf + g}) and RMSprop as
 *       element-wise ops, in place.</li>
 * </ul>
 * Weight decay adds {@code wd * p} to the (clipped) gradient first, as PyTorch does.
 */
final class DjlUpdater implements Updater {
    private final OptimizerConfig config;
    private final Map<String, NDArray> weights;
    private final GateLayout layout;
    private final NDManager manager;
    private final Runnable onUpdate;
    private final Map<String, NDArray> first = new LinkedHashMap<>();
    private final Map<String, NDArray> second = new LinkedHashMap<>();
    private int step;

    /**
     * @param weights  the live parameter arrays, by canonical name, with their gradients from the last backward
     * @param layout   the gate order of those arrays (the moments follow it; their saved state is canonical)
     * @param manager  owns the optimizer's moment arrays
     * @param onUpdate called after every update (the model marks its Java copy stale)
     */
    DjlUpdater(OptimizerConfig config, Map<String, NDArray> weights, GateLayout layout, NDManager manager,
               Runnable onUpdate) {
        this.config = config;
        this.weights = weights;
        this.layout = layout;
        this.manager = manager;
        this.onUpdate = onUpdate;
    }

    @Override
    public double step(double maxNorm, float lr) {
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        try (NDManager scratch = manager.newSubManager()) {
            Map<String, NDArray> grads = new LinkedHashMap<>();
            Map<String, NDArray> squares = new LinkedHashMap<>();
            NDArray sumOfSquares = null;
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                if (config.frozen().contains(e.getKey())) {
                    continue; // left alone, and out of the clipping norm (PyTorch's requires_grad = False)
                }
                NDArray g = e.getValue().getGradient();
                g.attach(scratch);
                grads.put(e.getKey(), g);
                NDArray s = g.square().sum();
                squares.put(e.getKey(), s);
                sumOfSquares = sumOfSquares == null ? s : sumOfSquares.add(s);
            }
            double norm = sumOfSquares == null ? 0 : Math.sqrt(sumOfSquares.getFloat());
            if (!Double.isFinite(norm)) {
                throw nonFinite(grads, squares, norm);
            }
            double coef = maxNorm / (norm + 1e-6);
            float scale = maxNorm > 0 && coef < 1 ? (float) coef : 1f;
            step++;
            for (Map.Entry<String, NDArray> e : weights.entrySet()) {
                if (grads.containsKey(e.getKey())) {
                    update(scratch, e.getKey(), e.getValue(), grads.get(e.getKey()), scale, lr);
                }
            }
            onUpdate.run();
            return norm;
        }
    }

    /** One parameter's update; every temporary goes to {@code scratch} (results of ops on long-lived arrays too). */
    private void update(NDManager scratch, String name, NDArray w, NDArray grad, float scale, float lr) {
        if (config.type() == OptimizerConfig.Type.ADAM) {
            NDArray m = moment(first, name, w);
            NDArray v = moment(second, name, w);
            double bc1 = 1 - Math.pow(config.beta1(), step);
            double bc2Sqrt = Math.sqrt(1 - Math.pow(config.beta2(), step));
            w.getNDArrayInternal().adamUpdate(new NDList(w, grad, m, v), new NDList(w), lr,
                    (float) (lr * bc2Sqrt / bc1), config.weightDecay(), scale, -1f, config.beta1(), config.beta2(),
                    (float) (config.eps() * bc2Sqrt), false, false);
            return;
        }
        NDArray g = scale == 1f ? grad : grad.mul(scale);
        if (config.weightDecay() != 0f) {
            g = g.add(temp(scratch, w.mul(config.weightDecay())));
        }
        float mu = config.momentum();
        if (config.type() == OptimizerConfig.Type.SGD) {
            if (mu == 0f) {
                w.subi(g.mul(lr));
                return;
            }
            NDArray buf = first.get(name);
            if (buf == null) {
                buf = g.duplicate();
                buf.attach(manager);
                first.put(name, buf);
            } else {
                buf.muli(mu).addi(g);
            }
            w.subi(temp(scratch, buf.mul(lr)));
            return;
        }
        NDArray s = moment(second, name, w);
        s.muli(config.alpha()).addi(g.square().muli(1 - config.alpha()));
        NDArray avg = temp(scratch, s.sqrt()).addi(config.eps());
        if (mu > 0) {
            NDArray buf = moment(first, name, w);
            buf.muli(mu).addi(g.div(avg));
            w.subi(temp(scratch, buf.mul(lr)));
        } else {
            w.subi(g.div(avg).muli(lr));
        }
    }

    /** Names the first parameter whose gradient holds a NaN or an infinity (the slow path: only on failure). */
    private static NonFiniteException nonFinite(Map<String, NDArray> grads, Map<String, NDArray> squares, double norm) {
        for (Map.Entry<String, NDArray> e : squares.entrySet()) {
            if (!Float.isFinite(e.getValue().getFloat())) {
                for (float v : grads.get(e.getKey()).toFloatArray()) {
                    if (!Float.isFinite(v)) {
                        return new NonFiniteException(e.getKey(), v, 0);
                    }
                }
                return new NonFiniteException(e.getKey() + " (sum of squares)", e.getValue().getFloat(), 0);
            }
        }
        return new NonFiniteException("all parameters (norm)", norm, 0);
    }

    private static NDArray temp(NDManager scratch, NDArray a) {
        a.attach(scratch);
        return a;
    }

    /** The named moment, zeros shaped like {@code w} on first use. */
    private NDArray moment(Map<String, NDArray> moments, String name, NDArray w) {
        return moments.computeIfAbsent(name, k -> manager.zeros(w.getShape()));
    }

    @Override
    public Optimizer.State state() {
        return new Optimizer.State(step, download(first), download(second));
    }

    private Parameters download(Map<String, NDArray> moments) {
        Parameters p = new Parameters();
        new TreeMap<>(moments).forEach((name, a) -> {
            float[] v = layout.toCanonical(name, a.toFloatArray());
            p.put(new Tensor(name, new int[] {v.length}, v));
        });
        return p;
    }

    @Override
    public void restore(Optimizer.State state) {
        if (state.step() < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + state.step());
        }
        step = state.step();
        upload(state.first(), first);
        upload(state.second(), second);
    }

    private void upload(Parameters saved, Map<String, NDArray> moments) {
        moments.values().forEach(NDArray::close);
        moments.clear();
        for (Tensor t : saved) {
            NDArray w = weights.get(t.name());
            if (w == null || w.size() != t.data().length) {
                throw new IllegalArgumentException("optimizer state '" + t.name() + "' does not match any parameter"
                        + " of this model");
            }
            moments.put(t.name(), manager.create(layout.toEngine(t.name(), t.data()), w.getShape()));
        }
    }
}
