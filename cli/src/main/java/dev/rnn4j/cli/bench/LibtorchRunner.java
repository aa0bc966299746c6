package dev.rnn4j.cli.bench;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.LambdaBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.recurrent.GRU;
import ai.djl.nn.recurrent.LSTM;
import ai.djl.nn.recurrent.RNN;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.rnn4j.data.Batch;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.List;

/**
 * The reference row: the same configuration in DJL's own blocks on libtorch ({@code LSTM}/{@code GRU}/{@code RNN}
 * with {@code batchFirst}, then {@code Linear}), DJL's loss (softmax cross-entropy or L2) and DJL's Adam (1e-3), with
 * no rnn4j code in the step. Own initial weights (DJL's); no gradient clipping (DJL has none by global norm). The
 * step is a plain loop: forward and backward under a gradient collector, then Adam on each parameter; DJL's
 * {@code Trainer} only initialises the block (its step copies every gradient first: 2-11% slower, docs/speed.md).
 */
final class LibtorchRunner implements Runner {
    private final String mode;
    private final Model model;
    private final Trainer trainer;
    private final Optimizer adam;
    private final List<Parameter> parameters;
    private final Loss loss;
    private final NDManager manager;
    private final List<Batch> batches;
    private final ParameterStore store;
    private int next;

    LibtorchRunner(BenchConfig config, boolean train, List<Batch> batches) {
        this.mode = train ? "train" : "infer";
        ModelSpec spec = config.spec();
        this.model = Model.newInstance("bench-" + config.name(), Device.cpu(), "PyTorch");
        model.setBlock(network(spec));
        this.loss = spec.head() == HeadKind.CLASSIFICATION ? Loss.softmaxCrossEntropyLoss() : Loss.l2Loss();
        this.adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).build();
        this.trainer = model.newTrainer(new DefaultTrainingConfig(loss).optOptimizer(adam)
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(config.batchSize(), config.steps(), spec.inputSize()));
        this.parameters = model.getBlock().getParameters().values().stream().filter(Parameter::requiresGradient)
                .toList();
        this.manager = model.getNDManager().newSubManager();
        this.batches = batches;
        this.store = new ParameterStore(manager, false);
    }

    /** Recurrent layers, then the last step (for last-step heads), then the linear head. */
    private static Block network(ModelSpec spec) {
        SequentialBlock net = new SequentialBlock();
        int h = spec.hiddenSize();
        net.add(switch (spec.cell()) {
            case GRU -> GRU.builder().setStateSize(h).setNumLayers(spec.numLayers()).optDropRate(spec.dropout())
                    .optBatchFirst(true).optReturnState(false).build();
            case RNN_TANH -> RNN.builder().setStateSize(h).setNumLayers(spec.numLayers()).optDropRate(spec.dropout())
                    .setActivation(RNN.Activation.TANH).optBatchFirst(true).optReturnState(false).build();
            default -> LSTM.builder().setStateSize(h).setNumLayers(spec.numLayers()).optDropRate(spec.dropout())
                    .optBatchFirst(true).optReturnState(false).build();
        });
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            net.add(new LambdaBlock(x -> new NDList(x.singletonOrThrow().get(":, -1, :"))));
        }
        net.add(Linear.builder().setUnits(spec.outputSize()).build());
        return net;
    }

    @Override
    public String backend() {
        return "libtorch";
    }

    @Override
    public String mode() {
        return mode;
    }

    /**
     * Each iteration copies its batch in and keeps every array it makes in a sub-manager closed at its end, as DJL's
     * own training loop does.
     */
    @Override
    public void run() {
        Batch b = batches.get(next++ % batches.size());
        try (NDManager step = manager.newSubManager()) {
            NDList x = new NDList(step.create(b.inputs(), new Shape(b.size(), b.steps(), b.inputSize())));
            if (mode.equals("train")) {
                // DJL's softmax cross-entropy takes [rows, classes] predictions: labels flat, one per (sequence, step)
                NDArray y = b.labels() != null
                        ? step.create(b.labels(), new Shape((long) b.size() * b.targetSteps())).toType(DataType.INT64, false)
                        : step.create(b.targets(), new Shape(b.size(), b.targetSize()));
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray pred = model.getBlock().forward(store, x, true).singletonOrThrow();
                    gc.backward(loss.evaluate(new NDList(y), new NDList(pred.reshape(-1, pred.getShape().tail()))));
                }
                // Adam on each parameter, as the Trainer's step does but without its copy of every gradient
                for (Parameter p : parameters) {
                    NDArray w = p.getArray();
                    try (NDArray g = w.getGradient()) {
                        adam.update(p.getId(), w, g);
                    }
                }
            } else {
                model.getBlock().forward(store, x, false);
            }
        }
    }

    @Override
    public void close() {
        trainer.close();
        manager.close();
        model.close();
    }
}
