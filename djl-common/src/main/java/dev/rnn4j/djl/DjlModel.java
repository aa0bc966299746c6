package dev.rnn4j.djl;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.rnn4j.data.Batch;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.DropoutStream;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.spi.Updater;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A model on a DJL engine. The canonical parameters live as NDArrays on the engine's device; a Java copy (what
 * {@link #trainableParameters()} and {@link #gradients()} hand out) is refreshed only when asked for, and pushed back
 * in {@link #parametersUpdated()}. Gradients come from the engine's autograd (backward runs
 * {@code sum(output * dLoss/dOutput)}, whose gradient with respect to every parameter is exactly
 * {@code dLoss/dParameter} for the loss core computed) and stay on the engine, where {@link #newUpdater} clips and
 * updates them ({@link DjlUpdater}); or, where the engine has no autograd, from {@link ExplicitBptt}, accumulated
 * and updated in Java.
 */
public final class DjlModel implements TrainableModel {
    private final ModelSpec spec;
    private final Engine engine;
    private final ReentrantLock stepLock;
    private final NDManager root;
    private final Parameters params;
    private final Parameters grads;
    private final Map<String, NDArray> arrays = new LinkedHashMap<>();
    private final DjlNetwork network;
    private final ExplicitBptt explicit;
    private final DropoutStream dropoutStream;
    private final GateLayout layout;

    // the training step in flight: forwardTrain opens it, backward closes it
    private NDManager stepManager;
    private GradientCollector collector;
    private NDArray lastOutput;
    /** The initial state of the step in flight when one was given (its arrays record gradients on autograd). */
    private NetworkSkeleton.States start;
    /** {@code dL/dInitialState} of the last backward of a stateful step. */
    private State initialGradient;
    private boolean holdsStepLock;
    // which side holds the newer values: the engine after backward or an engine-side update
    private boolean javaGradientsStale;
    private boolean javaParametersStale;

    /** How gradients are computed, if at all. */
    public enum Gradients {
        /** Inference only. */
        NONE,
        /** The engine's autograd (PyTorch). */
        AUTOGRAD,
        /** {@link ExplicitBptt}: the cells' backward equations in NDArray ops (TensorFlow). */
        EXPLICIT
    }

    private final Gradients mode;

    /**
     * The engine side every model of one backend shares.
     *
     * @param engine     a started DJL engine
     * @param device     where the arrays live
     * @param fusedCells the cells to run as the engine's fused RNN ops (empty: compose every cell from NDArray ops)
     * @param stepLock   held from {@code forwardTrain} to the end of {@code backward}: DJL's PyTorch engine allows
     *                   one gradient collector at a time per process, so training steps of models on other threads
     *                   take turns (each still computes exactly what it would alone)
     */
    public record Runtime(Engine engine, Device device, Set<CellType> fusedCells, ReentrantLock stepLock) {
        public Runtime {
            fusedCells = Set.copyOf(fusedCells);
        }

        /** The same runtime with other fused cells. */
        public Runtime withFusedCells(Set<CellType> cells) {
            return new Runtime(engine, device, cells, stepLock);
        }
    }

    /**
     * @param runtime the engine, device, fused cells and step lock of the backend
     * @param spec    the model
     * @param initial canonical parameters (copied)
     * @param mode    how gradients are computed, if at all
     * @param seed    the dropout seed
     */
    public DjlModel(Runtime runtime, ModelSpec spec, Parameters initial, Gradients mode, long seed) {
        ParameterLayout.validate(spec, initial);
        this.spec = spec;
        this.engine = runtime.engine();
        this.stepLock = runtime.stepLock();
        this.root = engine.newBaseManager(runtime.device());
        this.params = initial.copy();
        this.grads = params.zerosLike();
        this.dropoutStream = new DropoutStream(seed);
        this.mode = mode;
        this.layout = GateLayout.of(spec, DjlNetwork.runsFused(spec, runtime.fusedCells()));
        for (Tensor t : params) {
            NDArray a = root.create(layout.toEngine(t.name(), t.data()),
                    new Shape(Arrays.stream(t.shape()).asLongStream().toArray()));
            if (mode == Gradients.AUTOGRAD) {
                a.setRequiresGradient(true);
            }
            arrays.put(t.name(), a);
        }
        this.network = new DjlNetwork(spec, arrays, runtime.fusedCells());
        this.explicit = mode == Gradients.EXPLICIT ? new ExplicitBptt(spec, arrays) : null;
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    private static Output toOutput(NDArray out) {
        Shape s = out.getShape();
        return new Output(out.toFloatArray(), (int) s.get(0), (int) s.get(1), (int) s.get(2));
    }

    /** Synchronized: libtorch splits a product differently when calls overlap, which changes the last bit. */
    @Override
    public synchronized Output forward(Batch batch) {
        batch.requireFits(spec);
        try (NDManager m = root.newSubManager()) {
            return toOutput(network.forward(m, batch, null));
        }
    }

    @Override
    public synchronized StatefulOutput forward(Batch batch, State initial) {
        State.check(spec, batch, initial);
        try (NDManager m = root.newSubManager()) {
            NetworkSkeleton.States from = initial == null ? null : NetworkSkeleton.States.of(m, initial, false);
            NetworkSkeleton.Pass pass = network.forward(m, batch, null, from, true);
            return new StatefulOutput(toOutput(pass.output()), pass.end().toState(spec, false));
        }
    }

    @Override
    public long trainingPasses() {
        return dropoutStream.passes();
    }

    @Override
    public void seekTrainingPasses(long passes) {
        dropoutStream.seek(passes);
    }

    @Override
    public synchronized Output forwardTrain(Batch batch) {
        return toOutput(startStep(batch, null, false).output());
    }

    @Override
    public synchronized StatefulOutput forwardTrain(Batch batch, State initial) {
        State.check(spec, batch, initial);
        NetworkSkeleton.Pass pass = startStep(batch, initial == null ? State.zeros(spec, batch.size()) : initial, true);
        return new StatefulOutput(toOutput(pass.output()), pass.end().toState(spec, false));
    }

    @Override
    public synchronized State initialStateGradient() {
        if (initialGradient == null) {
            throw new IllegalStateException("initialStateGradient() needs a forwardTrain(batch, state) and backward() "
                    + "first");
        }
        return initialGradient.copy();
    }

    /** Opens a training step; with {@code initial}, its arrays record a gradient and the final state is kept. */
    private NetworkSkeleton.Pass startStep(Batch batch, State initial, boolean wantState) {
        batch.requireFits(spec);
        endStep();
        initialGradient = null;
        if (mode == Gradients.NONE) {
            throw new IllegalStateException("this model was built for inference only");
        }
        stepManager = root.newSubManager();
        SplittableRandom dropoutRng = dropoutStream.nextPass();
        try {
            NetworkSkeleton.Pass pass;
            if (mode == Gradients.EXPLICIT) {
                start = initial == null ? null : NetworkSkeleton.States.of(stepManager, initial, false);
                pass = explicit.forward(stepManager, batch, dropoutRng, start);
            } else {
                stepLock.lock();
                holdsStepLock = true;
                collector = engine.newGradientCollector();
                start = initial == null ? null : NetworkSkeleton.States.of(stepManager, initial, true);
                pass = network.forward(stepManager, batch, dropoutRng, start, wantState);
            }
            lastOutput = pass.output();
            return pass;
        } catch (RuntimeException e) {
            endStep();
            throw e;
        }
    }

    @Override
    public synchronized void backward(float[] dOutput) {
        if (lastOutput == null) {
            throw new IllegalStateException("backward() needs a forwardTrain() first");
        }
        try {
            NDArray dOut = stepManager.create(dOutput, lastOutput.getShape());
            if (mode == Gradients.AUTOGRAD) {
                // libtorch adds into each parameter's gradient; Java reads it only when asked (gradients())
                collector.backward(lastOutput.mul(dOut).sum());
                javaGradientsStale = true;
                if (start != null) {
                    initialGradient = start.toState(spec, true);
                }
                return;
            }
            Map<String, NDArray> computed = explicit.backward(stepManager, dOut);
            if (start != null) {
                initialGradient = explicit.initialStateGradient().toState(spec, false);
            }
            for (Tensor g : grads) {
                float[] d = computed.get(g.name()).toFloatArray();
                float[] acc = g.data();
                for (int i = 0; i < acc.length; i++) {
                    acc[i] += d[i];
                }
            }
        } finally {
            endStep();
        }
    }

    private void endStep() {
        if (collector != null) {
            collector.close();
            collector = null;
        }
        if (stepManager != null) {
            stepManager.close();
            stepManager = null;
        }
        lastOutput = null;
        start = null;
        if (holdsStepLock) {
            holdsStepLock = false;
            stepLock.unlock();
        }
    }

    @Override
    public Parameters parameters() {
        return trainableParameters().copy();
    }

    @Override
    public synchronized Parameters trainableParameters() {
        if (javaParametersStale) {
            for (Tensor t : params) {
                float[] engine = arrays.get(t.name()).toFloatArray();
                System.arraycopy(layout.toCanonical(t.name(), engine), 0, t.data(), 0, t.data().length);
            }
            javaParametersStale = false;
        }
        return params;
    }

    @Override
    public synchronized Parameters gradients() {
        if (javaGradientsStale) {
            for (Tensor t : grads) {
                try (NDArray g = arrays.get(t.name()).getGradient()) {
                    System.arraycopy(layout.toCanonical(t.name(), g.toFloatArray()), 0, t.data(), 0, t.data().length);
                }
            }
            javaGradientsStale = false;
        }
        return grads;
    }

    @Override
    public synchronized void zeroGrad() {
        grads.zero();
        javaGradientsStale = false;
        if (mode == Gradients.AUTOGRAD) {
            for (NDArray a : arrays.values()) {
                try (NDArray g = a.getGradient()) {
                    g.set(new NDIndex("..."), 0f); // a fill: also clears NaN or infinite values
                }
            }
        }
    }

    @Override
    public synchronized void parametersUpdated() {
        for (Tensor t : params) {
            arrays.get(t.name()).set(FloatBuffer.wrap(layout.toEngine(t.name(), t.data())));
        }
        javaParametersStale = false;
    }

    /** On the PyTorch engine: clipping and the optimizer as libtorch ops ({@link DjlUpdater}); else in Java. */
    @Override
    public Updater newUpdater(OptimizerConfig config) {
        if (mode != Gradients.AUTOGRAD) {
            return TrainableModel.super.newUpdater(config);
        }
        return new DjlUpdater(config, arrays, layout, root, () -> javaParametersStale = true);
    }

    @Override
    public void close() {
        endStep();
        root.close();
    }
}
