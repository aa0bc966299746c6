package dev.rnn4j.model;

import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Parameters;

/**
 * A model that computes gradients. The training loop in core drives it:
 * <pre>{@code
 * model.zeroGrad();
 * Output out = model.forwardTrain(batch);          // dropout on, caches for backward
 * model.backward(dLoss_dOut);                      // accumulates into gradients()
 * optimizer.step(model.trainableParameters(), model.gradients());
 * model.parametersUpdated();                       // engines that keep a device copy sync it here
 * }</pre>
 */
public interface TrainableModel extends Model {

    /** Forward pass in training mode (dropout active); keeps what {@link #backward} needs. */
    Output forwardTrain(Batch batch);

    /**
     * Back-propagates {@code dOutput} (same shape as the last {@link #forwardTrain} output) and adds
     * the parameter gradients into {@link #gradients()}.
     */
    void backward(float[] dOutput);

    /** The live parameters the optimizer updates in place (canonical layout). */
    Parameters trainableParameters();

    /** The live gradients, same names and shapes as {@link #trainableParameters()}. */
    Parameters gradients();

    /** Sets every gradient to zero. */
    void zeroGrad();

    /**
     * Number of {@link #forwardTrain} calls so far. Pass {@code p} draws its dropout masks from
     * {@link dev.rnn4j.spi.DropoutStream#forPass}{@code (seed, p)}.
     */
    long trainingPasses();

    /**
     * Continues as if {@code passes} training passes had run, so the next {@link #forwardTrain} draws the
     * dropout masks of pass {@code passes}: what resuming from a checkpoint needs.
     */
    void seekTrainingPasses(long passes);

    /** Called after the optimizer changed {@link #trainableParameters()} in place. */
    default void parametersUpdated() {
    }
}
