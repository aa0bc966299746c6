package dev.rnn4j.train;

import dev.rnn4j.params.Parameters;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.spi.Updater;

/**
 * The plain Java update, what a {@link TrainableModel} runs unless its engine keeps parameters elsewhere:
 * {@link GradientClipping} and {@link Optimizer} on the model's live arrays.
 */
public final class HostUpdater implements Updater {
    private final TrainableModel model;
    private final Optimizer optimizer;
    private final OptimizerConfig config;

    public HostUpdater(TrainableModel model, OptimizerConfig config) {
        this.model = model;
        this.optimizer = config.create();
        this.config = config;
    }

    /** Clips and updates every parameter but the frozen ones ({@link OptimizerConfig#frozen()}). */
    @Override
    public double step(double maxNorm, float lr) {
        Parameters gradients = config.updated(model.gradients());
        double norm = GradientClipping.clip(gradients, maxNorm);
        optimizer.step(config.updated(model.trainableParameters()), gradients, lr);
        model.parametersUpdated();
        return norm;
    }

    @Override
    public Optimizer.State state() {
        return optimizer.state();
    }

    @Override
    public void restore(Optimizer.State state) {
        optimizer.restore(state);
    }
}
