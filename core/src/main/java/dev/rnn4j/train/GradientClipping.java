package dev.rnn4j.train;

import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;

/** Clipping by global gradient norm, as {@code torch.nn.utils.clip_grad_norm_}. */
public final class GradientClipping {

    private GradientClipping() {
    }

    /** The L2 norm of all gradients together (summed in double). */
    public static double globalNorm(Parameters grads) {
        double sum = 0;
        for (Tensor t : grads) {
            for (float v : t.data()) {
                sum += (double) v * v;
            }
        }
        return Math.sqrt(sum);
    }

    /**
     * Scales every gradient by {@code maxNorm / (norm + 1e-6)} when that is below 1.
     *
     * @return the norm before clipping
     * @throws NonFiniteException naming the first tensor whose gradient is NaN or infinite (nothing is scaled then)
     */
    public static double clip(Parameters grads, double maxNorm) {
        double norm = globalNorm(grads);
        if (!Double.isFinite(norm)) {
            for (Tensor t : grads) {
                for (float v : t.data()) {
                    if (!Float.isFinite(v)) {
                        throw new NonFiniteException(t.name(), v, 0);
                    }
                }
            }
            throw new NonFiniteException("all parameters (norm)", norm, 0); // each finite, their squares overflow
        }
        double coef = maxNorm / (norm + 1e-6);
        if (maxNorm > 0 && coef < 1) {
            float c = (float) coef;
            for (Tensor t : grads) {
                float[] d = t.data();
                for (int i = 0; i < d.length; i++) {
                    d[i] *= c;
                }
            }
        }
        return norm;
    }
}
