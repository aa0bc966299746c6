package dev.rnn4j.train;

import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Updates parameters in place with PyTorch's exact formulas (float32 arithmetic, like PyTorch on CPU).
 * With {@code g = grad + weightDecay * p}:
 * <ul>
 *   <li>SGD: {@code buf = g} on the first step, then {@code buf = momentum * buf + g};
 *       {@code p -= lr * buf} (plain {@code p -= lr * g} without momentum).</li>
 *   <li>Adam: {@code m = b1 m + (1 - b1) g}, {@code v = b2 v + (1 - b2) g^2},
 *       {@code p -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)}.</li>
 *   <li>RMSprop: {@code s = alpha s + (1 - alpha) g^2}, {@code d = sqrt(s) + eps};
 *       {@code p -= lr * g / d}, or with momentum {@code buf = momentum buf + g / d; p -= lr * buf}.</li>
 * </ul>
 * State is kept per parameter name.
 */
public final class Optimizer {
    private final OptimizerConfig config;
    private final Map<String, float[]> first = new HashMap<>();
    private final Map<String, float[]> second = new HashMap<>();
    private int step;

    Optimizer(OptimizerConfig config) {
        this.config = config;
    }

    public OptimizerConfig config() {
        return config;
    }

    /** Number of updates applied so far. */
    public int stepCount() {
        return step;
    }

    /**
     * Everything the optimizer carries from one step to the next, for checkpoints: the update count and the
     * per-parameter buffers (SGD momentum or Adam's first moment in {@code first}; Adam's or RMSprop's second
     * moment in {@code second}), each a flat tensor named after its parameter. A buffer not yet created is
     * absent.
     */
    public record State(int step, Parameters first, Parameters second) {
    }

    /** A copy of the current state. */
    public State state() {
        return new State(step, copy(first), copy(second));
    }

    /** Replaces the state with a copy of {@code state} (from {@link #state()}, possibly saved and loaded). */
    public void restore(State state) {
        if (state.step() < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + state.step());
        }
        step = state.step();
        first.clear();
        second.clear();
        state.first().forEach(t -> first.put(t.name(), t.data().clone()));
        state.second().forEach(t -> second.put(t.name(), t.data().clone()));
    }

    private static Parameters copy(Map<String, float[]> buffers) {
        Parameters p = new Parameters();
        new TreeMap<>(buffers).forEach((name, v) -> p.put(new Tensor(name, new int[] {v.length}, v.clone())));
        return p;
    }

    /** Applies one update to {@code params} from {@code grads} (same names) at the configured rate. */
    public void step(Parameters params, Parameters grads) {
        step(params, grads, config.lr());
    }

    /**
     * Applies one update at learning rate {@code lr} (a schedule's value for this step), as PyTorch does
     * after a scheduler changed the group's {@code lr}.
     */
    public void step(Parameters params, Parameters grads, float lr) {
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        step++;
        for (Tensor p : params) {
            float[] w = p.data();
            float[] g = grads.get(p.name()).data();
            switch (config.type()) {
                case SGD -> sgd(p.name(), w, g, lr);
                case ADAM -> adam(p.name(), w, g, lr);
                case RMSPROP -> rmsprop(p.name(), w, g, lr);
                default -> throw new IllegalStateException(config.type().toString());
            }
        }
    }

    private float grad(float[] w, float[] g, int i) {
        return config.weightDecay() == 0f ? g[i] : g[i] + config.weightDecay() * w[i];
    }

    private void sgd(String name, float[] w, float[] g, float lr) {
        float mu = config.momentum();
        if (mu == 0f) {
            for (int i = 0; i < w.length; i++) {
                w[i] -= lr * grad(w, g, i);
            }
            return;
        }
        boolean firstStep = !first.containsKey(name);
        float[] buf = first.computeIfAbsent(name, k -> new float[w.length]);
        for (int i = 0; i < w.length; i++) {
            float gi = grad(w, g, i);
            buf[i] = firstStep ? gi : mu * buf[i] + gi;
            w[i] -= lr * buf[i];
        }
    }

    private void adam(String name, float[] w, float[] g, float lr) {
        float b1 = config.beta1();
        float b2 = config.beta2();
        float[] m = first.computeIfAbsent(name, k -> new float[w.length]);
        float[] v = second.computeIfAbsent(name, k -> new float[w.length]);
        float bc1 = (float) (1 - Math.pow(b1, step));
        float bc2Sqrt = (float) Math.sqrt(1 - Math.pow(b2, step));
        float stepSize = lr / bc1;
        for (int i = 0; i < w.length; i++) {
            float gi = grad(w, g, i);
            m[i] = m[i] + (gi - m[i]) * (1 - b1);
            v[i] = v[i] * b2 + (1 - b2) * gi * gi;
            float denom = (float) Math.sqrt(v[i]) / bc2Sqrt + config.eps();
            w[i] -= stepSize * (m[i] / denom);
        }
    }

    private void rmsprop(String name, float[] w, float[] g, float lr) {
        float a = config.alpha();
        float mu = config.momentum();
        float[] s = second.computeIfAbsent(name, k -> new float[w.length]);
        float[] buf = mu > 0 ? first.computeIfAbsent(name, k -> new float[w.length]) : null;
        for (int i = 0; i < w.length; i++) {
            float gi = grad(w, g, i);
            s[i] = s[i] * a + (1 - a) * gi * gi;
            float avg = (float) Math.sqrt(s[i]) + config.eps();
            if (buf != null) {
                buf[i] = buf[i] * mu + gi / avg;
                w[i] -= lr * buf[i];
            } else {
                w[i] -= lr * gi / avg;
            }
        }
    }
}
