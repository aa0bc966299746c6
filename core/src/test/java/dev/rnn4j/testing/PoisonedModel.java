package dev.rnn4j.testing;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.TrainableModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Updater;
import java.util.function.LongPredicate;

/**
 * A test double: an engine's model whose training output holds a NaN on the passes {@code poisoned} selects (pass
 * numbers from 1), as a corrupt batch or an overflow would; everything else is the engine's.
 */
public record PoisonedModel(TrainableModel inner, LongPredicate poisoned) implements TrainableModel {

    @Override
    public Output forwardTrain(Batch batch) {
        Output out = inner.forwardTrain(batch);
        if (!poisoned.test(inner.trainingPasses())) {
            return out;
        }
        float[] values = out.values().clone();
        values[0] = Float.NaN;
        return new Output(values, out.size(), out.steps(), out.width());
    }

    @Override
    public ModelSpec spec() {
        return inner.spec();
    }

    @Override
    public Output forward(Batch batch) {
        return inner.forward(batch);
    }

    @Override
    public Parameters parameters() {
        return inner.parameters();
    }

    @Override
    public void backward(float[] dOutput) {
        inner.backward(dOutput);
    }

    @Override
    public Parameters trainableParameters() {
        return inner.trainableParameters();
    }

    @Override
    public Parameters gradients() {
        return inner.gradients();
    }

    @Override
    public void zeroGrad() {
        inner.zeroGrad();
    }

    @Override
    public long trainingPasses() {
        return inner.trainingPasses();
    }

    @Override
    public void seekTrainingPasses(long passes) {
        inner.seekTrainingPasses(passes);
    }

    @Override
    public void parametersUpdated() {
        inner.parametersUpdated();
    }

    @Override
    public Updater newUpdater(OptimizerConfig config) {
        return inner.newUpdater(config);
    }

    @Override
    public void close() {
        inner.close();
    }
}
