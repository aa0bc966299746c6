package dev.rnn4j.spi;

import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.model.State;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.Model;
import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.HostUpdater;

/**
 * A model that computes gradients. The training loop in core drives it:
 * <pre>{@code
 * Updater updater = model.newUpdater(OptimizerConfig.adam(1e-3f));
 * model.zeroGrad();
 * Output out = model.forwardTrain(batch);          // dropout on, caches for backward
 * model.backward(dLoss_dOut);                      // accumulates into gradients()
 * updater.step(clipNorm, lr);                      // clipping and the optimizer, where the parameters live
 * }</pre>
 * Engines that keep parameters on a device copy them to Java only when {@link #trainableParameters()},
 * {@link #gradients()} or {@link #parameters()} is called.
 */
public interface TrainableModel extends Model {

    /** Forward pass in training mode (dropout active); keeps what {@link #backward} needs. */
    Output forwardTrain(Batch batch);

    /**
     * Forward pass in training mode from {@code initial} (zeros when {@code null}); returns the final state with the
     * outputs. After {@link #backward}, {@link #initialStateGradient()} holds {@code dLoss/dInitial}. To train
     * statefully (truncated BPTT), pass the previous batch's final state: gradients stop at the batch boundary.
     */
    StatefulOutput forwardTrain(Batch batch, State initial);

    /**
     * {@code dLoss/dInitialState} of the last {@link #backward}, in the state's shape ({@code [D, N, H]} per layer).
     *
     * @throws IllegalStateException before a backward pass
     */
    State initialStateGradient();

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

    /** Called after someone changed {@link #trainableParameters()} in place (an engine with a device copy syncs it). */
    default void parametersUpdated() {
    }

    /**
     * The clipping and optimizer step for this model's parameters. By default {@link HostUpdater}: core's
     * {@link dev.rnn4j.train.Optimizer} on the Java arrays; engines whose parameters live elsewhere run it there.
     */
    default Updater newUpdater(OptimizerConfig config) {
        return new HostUpdater(this, config);
    }
}
