package dev.rnn4j.cli.bench;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Model;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.train.Losses;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.spi.Updater;
import java.util.List;

/**
 * An rnn4j engine: the training step is what {@link dev.rnn4j.train.Trainer} does (forward, masked loss, backward,
 * then the model's {@link Updater}: global-norm clipping at 5 and Adam 1e-3); inference is one forward.
 */
final class EngineRunner implements Runner {
    private final Backend backend;
    private final String mode;
    private final Model model;
    private final Updater updater;
    private final List<Batch> batches;
    private int next;

    EngineRunner(Backend backend, BenchConfig config, boolean train, List<Batch> batches) {
        this.backend = backend;
        this.mode = train ? "train" : "infer";
        var params = Initializer.initialize(config.spec(), 1);
        this.model = train ? backend.newTrainableModel(config.spec(), params, 1) : backend.newModel(config.spec(), params);
        this.updater = model instanceof TrainableModel m ? m.newUpdater(OptimizerConfig.adam(1e-3f)) : null;
        this.batches = batches;
    }

    @Override
    public String backend() {
        return backend.name();
    }

    @Override
    public String mode() {
        return mode;
    }

    @Override
    public boolean measureAllocation() {
        return backend.name().equals("native");
    }

    @Override
    public void run() {
        Batch b = batches.get(next++ % batches.size());
        if (model instanceof TrainableModel m && mode.equals("train")) {
            m.zeroGrad();
            m.backward(Losses.compute(m.spec().head(), m.forwardTrain(b), b).gradient());
            updater.step(5.0, 1e-3f);
        } else {
            model.forward(b);
        }
    }

    @Override
    public void close() {
        model.close();
    }
}
