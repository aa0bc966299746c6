package dev.rnn4j.train;

import java.util.Locale;

/**
 * Which optimizer, with PyTorch's defaults for every hyper-parameter not given.
 *
 * @param type        SGD, ADAM or RMSPROP
 * @param lr          learning rate
 * @param momentum    SGD and RMSprop momentum (PyTorch default 0)
 * @param beta1       Adam beta1 (0.9)
 * @param beta2       Adam beta2 (0.999)
 * @param eps         Adam (1e-8) and RMSprop (1e-8) epsilon
 * @param alpha       RMSprop smoothing constant (0.99)
 * @param weightDecay L2 penalty added to the gradient, as PyTorch does (0)
 * @param frozen      parameters (by name) the updater leaves alone: not updated, and their gradients not counted in
 *                    the clipping norm, as PyTorch's {@code requires_grad = False} (none)
 */
public record OptimizerConfig(Type type, float lr, float momentum, float beta1, float beta2, float eps,
                              float alpha, float weightDecay, java.util.Set<String> frozen) {

    /** The optimizer families. */
    public enum Type { SGD, ADAM, RMSPROP }

    public OptimizerConfig {
        if (!(lr > 0) || !Float.isFinite(lr)) {
            throw new IllegalArgumentException("learning rate must be > 0, got " + lr);
        }
        if (momentum < 0 || beta1 < 0 || beta1 >= 1 || beta2 < 0 || beta2 >= 1 || alpha < 0 || alpha >= 1
                || eps < 0 || weightDecay < 0) {
            throw new IllegalArgumentException("invalid optimizer hyper-parameters: " + this);
        }
        frozen = frozen == null ? java.util.Set.of() : java.util.Set.copyOf(frozen);
    }

    /** Without frozen parameters. */
    public OptimizerConfig(Type type, float lr, float momentum, float beta1, float beta2, float eps, float alpha,
                           float weightDecay) {
        this(type, lr, momentum, beta1, beta2, eps, alpha, weightDecay, java.util.Set.of());
    }

    /** This optimizer leaving the parameters named {@code names} as they are. */
    public OptimizerConfig withFrozen(java.util.Set<String> names) {
        return new OptimizerConfig(type, lr, momentum, beta1, beta2, eps, alpha, weightDecay, names);
    }

    /** The tensors of {@code all} this optimizer updates (the same tensor objects: live arrays stay live). */
    public dev.rnn4j.params.Parameters updated(dev.rnn4j.params.Parameters all) {
        if (frozen.isEmpty()) {
            return all;
        }
        java.util.List<dev.rnn4j.params.Tensor> kept = new java.util.ArrayList<>();
        all.forEach(t -> {
            if (!frozen.contains(t.name())) {
                kept.add(t);
            }
        });
        return new dev.rnn4j.params.Parameters(kept);
    }

    public static OptimizerConfig sgd(float lr, float momentum) {
        return new OptimizerConfig(Type.SGD, lr, momentum, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public static OptimizerConfig adam(float lr) {
        return new OptimizerConfig(Type.ADAM, lr, 0f, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    public static OptimizerConfig rmsprop(float lr) {
        return new OptimizerConfig(Type.RMSPROP, lr, 0f, 0.9f, 0.999f, 1e-8f, 0.99f, 0f);
    }

    /** Parses {@code sgd|adam|rmsprop} with the given learning rate and defaults otherwise. */
    public static OptimizerConfig parse(String name, float lr) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "sgd" -> sgd(lr, 0.9f);
            case "adam" -> adam(lr);
            case "rmsprop" -> rmsprop(lr);
            default -> throw new IllegalArgumentException("Unknown optimizer '" + name + "'. Expected sgd, adam or rmsprop");
        };
    }

    /** A fresh optimizer with zero state. */
    public Optimizer create() {
        return new Optimizer(this);
    }
}
