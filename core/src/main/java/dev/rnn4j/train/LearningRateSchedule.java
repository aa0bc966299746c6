package dev.rnn4j.train;

import java.util.Locale;

/**
 * The learning rate as a function of the step, as a factor of the optimizer's base rate.
 *
 * <ul>
 *   <li>{@link Kind#CONSTANT}: {@code lr_t = lr}.</li>
 *   <li>{@link Kind#COSINE}: PyTorch's {@code CosineAnnealingLR} with {@code T_max} = the step budget and
 *       {@code eta_min = minFactor * lr}: {@code lr_t = eta_min + (lr - eta_min) (1 + cos(pi t / T_max)) / 2}
 *       for the update that follows {@code t} completed ones.</li>
 * </ul>
 *
 * <p>Annealing matters on noisy targets: at a constant rate Adam's last iterate keeps jittering around the
 * optimum by an amount proportional to the rate, which shows as test error above the attainable minimum.
 *
 * @param kind      constant or cosine
 * @param minFactor the final rate as a share of the base rate (cosine only), in [0, 1]
 */
public record LearningRateSchedule(Kind kind, double minFactor) {

    /** The schedule families. */
    public enum Kind { CONSTANT, COSINE }

    public LearningRateSchedule {
        if (kind == null) {
            throw new IllegalArgumentException("a schedule kind is required");
        }
        if (!(minFactor >= 0 && minFactor <= 1)) {
            throw new IllegalArgumentException("minFactor must be in [0, 1], got " + minFactor);
        }
    }

    /** The base rate at every step. */
    public static LearningRateSchedule constant() {
        return new LearningRateSchedule(Kind.CONSTANT, 1);
    }

    /** Cosine annealing from the base rate down to {@code minFactor} times it at the end of the budget. */
    public static LearningRateSchedule cosine(double minFactor) {
        return new LearningRateSchedule(Kind.COSINE, minFactor);
    }

    /** Parses {@code constant} or {@code cosine} (annealing to 1% of the base rate). */
    public static LearningRateSchedule parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "constant" -> constant();
            case "cosine" -> cosine(0.01);
            default -> throw new IllegalArgumentException("Unknown learning-rate schedule '" + name
                    + "'. Expected constant or cosine");
        };
    }

    /**
     * Whether the rate depends on the step budget (it anneals over it): under a time limit such a schedule's budget
     * becomes the steps that fit in the time ({@link Trainer#fit}).
     */
    public boolean annealsOverBudget() {
        return kind != Kind.CONSTANT;
    }

    /**
     * The learning rate for the update after {@code completed} updates out of {@code total}.
     *
     * @param base      the optimizer's base rate
     * @param completed updates already applied, from 0
     * @param total     the step budget ({@code T_max})
     */
    public float rate(float base, int completed, int total) {
        return switch (kind) {
            case CONSTANT -> base;
            case COSINE -> {
                double t = Math.min(completed, total);
                double min = minFactor * base;
                yield (float) (min + (base - min) * (1 + Math.cos(Math.PI * t / Math.max(1, total))) / 2);
            }
        };
    }
}
