package dev.rnn4j.spi;

import dev.rnn4j.train.GradientClipping;
import dev.rnn4j.train.NonFiniteException;
import dev.rnn4j.train.Optimizer;

/**
 * What happens after {@code backward}: clip the gradients by their global norm, then one optimizer update at this
 * step's learning rate. A model runs it where its parameters live ({@code TrainableModel.newUpdater}): the pure-Java
 * engine on its arrays, the PyTorch engine as libtorch ops, so that parameters, gradients and moments never cross
 * to Java during training.
 *
 * <pre>{@code
 * Updater updater = model.newUpdater(OptimizerConfig.adam(1e-3f));
 * model.zeroGrad();
 * model.backward(loss.gradient());
 * double norm = updater.step(5.0, 1e-3f);   // clip at 5, Adam at 1e-3
 * }</pre>
 *
 * Every implementation follows {@link GradientClipping} and {@link Optimizer}'s formulas (PyTorch's); the plain Java
 * one is {@link dev.rnn4j.train.HostUpdater}.
 */
public interface Updater {

    /**
     * Clips the model's gradients to global L2 norm {@code maxNorm} (as {@link GradientClipping#clip}; 0 or less:
     * no clipping), then applies one optimizer update at learning rate {@code lr}.
     *
     * @return the global gradient norm before clipping
     * @throws NonFiniteException naming the first parameter whose gradient is NaN or infinite (nothing is updated)
     * @throws IllegalArgumentException if {@code lr} is not a positive finite number
     */
    double step(double maxNorm, float lr);

    /** The optimizer's state, in the canonical parameter names, for checkpoints. */
    Optimizer.State state();

    /** Continues from a state {@link #state()} gave (possibly saved and loaded). */
    void restore(Optimizer.State state);
}
