package dev.rnn4j.train;

import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.spi.Updater;

/**
 * The plain Java update, what a {@link TrainableModel} runs unless its engine keeps parameters elsewhere:
 * {@link GradientClipping} and {@link Optimizer} on the model's live arrays.
 */
public final class HostUpdater implements Updater {
    private final TrainableModel model;
    private final Optimizer optimizer;

    public HostUpdater(TrainableModel model, OptimizerConfig config) {
        this.model = model;
        this.optimizer = config.create();
    }

    @Override
    public double step(double maxNorm, float lr) {
        double norm = GradientClipping.clip(model.gradients(), maxNorm);
        optimizer.step(model.trainableParameters(), model.gradients(), lr);
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
