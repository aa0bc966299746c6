package dev.rnn4j.testing;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.spi.Updater;

/** A test double's base: every call goes to an engine's model; subclasses change the one they are about. */
public abstract class ForwardingModel implements TrainableModel {
    protected final TrainableModel inner;

    protected ForwardingModel(TrainableModel inner) {
        this.inner = inner;
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
    public StatefulOutput forward(Batch batch, State initial) {
        return inner.forward(batch, initial);
    }

    @Override
    public Output forwardTrain(Batch batch) {
        return inner.forwardTrain(batch);
    }

    @Override
    public StatefulOutput forwardTrain(Batch batch, State initial) {
        return inner.forwardTrain(batch, initial);
    }

    @Override
    public State initialStateGradient() {
        return inner.initialStateGradient();
    }

    @Override
    public void backward(float[] dOutput) {
        inner.backward(dOutput);
    }

    @Override
    public Parameters parameters() {
        return inner.parameters();
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
