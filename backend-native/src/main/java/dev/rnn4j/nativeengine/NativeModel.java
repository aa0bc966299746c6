package dev.rnn4j.nativeengine;

import dev.rnn4j.data.Batch;
import dev.rnn4j.nativeengine.cells.DenseLayer;
import dev.rnn4j.nativeengine.cells.RecurrentCell;
import dev.rnn4j.nativeengine.cells.RecurrentLayer;
import dev.rnn4j.nativeengine.cells.LayerWeights;
import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.DropoutStream;
import dev.rnn4j.spi.Introspection;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.spi.TrainableModel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The native engine's model: a stack of {@link RecurrentLayer}s (or MLP {@link DenseLayer}s), inverted
 * dropout between layers, and a dense head. Parameters and gradients are the canonical tensors'
 * own arrays, so the optimizer in core updates them in place.
 *
 * <p>Data flow for recurrent layers: batch {@code [N, T, I]} is transposed to time-major {@code [T, N, I]},
 * each layer maps {@code [T, N, in]} to {@code [T, N, D*H]} (D = 2 when bidirectional), and the head reads either
 * each sequence's final states ({@code [N, D*H] -> [N, C]}: the forward direction at the last valid step, the
 * reverse one at step 0) or every step ({@code [T*N, D*H] -> [N, T, C]}, zero where padded). A pass may start from
 * a given state and report the final one ({@link #forward(Batch, State)}); introspection reads the forward direction.
 *
 * <p>Every pass reuses the model's buffers, so calls that run one are synchronized: threads sharing a model take
 * turns (and get exactly what they would get alone); for parallel throughput give each thread its own model.
 */
final class NativeModel implements TrainableModel, Introspection {
    private final ModelSpec spec;
    private final Parameters params;
    private final Parameters grads;
    /** The recurrent layers (empty for the MLP): a cell each, two when bidirectional. */
    private final List<RecurrentLayer> layers = new ArrayList<>();
    private final List<DenseLayer> mlp = new ArrayList<>();
    private final DenseLayer head;
    private final DropoutStream dropoutStream;
    /** The products and the team of threads every layer shares (dropout masks split across it too). */
    private final Gemm gemm;
    /** The training pass's dropout stream ({@link DropoutStream#draw}) and how many draws its masks took so far. */
    private long dropoutSeed;
    private long dropoutDraws;

    // state of the last training forward, for backward
    private Batch batch;
    private final List<float[]> dropoutMasks = new ArrayList<>();
    /** Per dropout layer: the mask and the masked output, reused while the shapes stay the same. */
    private final List<float[]> maskBuffers = new ArrayList<>();
    private final List<float[]> maskedBuffers = new ArrayList<>();
    private float[] timeMajor;

    NativeModel(ModelSpec spec, Parameters initial, Gemm gemm, long seed) {
        ParameterLayout.validate(spec, initial);
        this.spec = spec;
        this.params = initial.copy();
        this.grads = params.zerosLike();
        this.dropoutStream = new DropoutStream(seed);
        this.gemm = gemm;
        int h = spec.hiddenSize();
        for (int l = 0; l < spec.numLayers(); l++) {
            if (spec.cell() == CellType.MLP) {
                mlp.add(new DenseLayer(gemm, LayerWeights.dense(params, ParameterLayout.w(l), ParameterLayout.b(l)),
                        LayerWeights.dense(grads, ParameterLayout.w(l), ParameterLayout.b(l)), true));
            } else {
                RecurrentCell reverse = spec.directions() == 1 ? null
                        : RecurrentCell.create(spec, l, gemm, LayerWeights.of(params, l, 1), LayerWeights.of(grads, l, 1));
                layers.add(new RecurrentLayer(RecurrentCell.create(spec, l, gemm, LayerWeights.of(params, l, 0),
                        LayerWeights.of(grads, l, 0)), reverse));
            }
        }
        head = new DenseLayer(gemm, LayerWeights.dense(params, ParameterLayout.HEAD_W, ParameterLayout.HEAD_B),
                LayerWeights.dense(grads, ParameterLayout.HEAD_W, ParameterLayout.HEAD_B), false);
    }

    @Override
    public ModelSpec spec() {
        return spec;
    }

    @Override
    public synchronized Output forward(Batch b) {
        return run(b, false, null, null);
    }

    @Override
    public synchronized StatefulOutput forward(Batch b, State initial) {
        State end = newState(b, initial);
        return new StatefulOutput(run(b, false, initial, end), end);
    }

    @Override
    public synchronized Output forwardTrain(Batch b) {
        startDropoutPass();
        return run(b, true, null, null);
    }

    @Override
    public synchronized StatefulOutput forwardTrain(Batch b, State initial) {
        State end = newState(b, initial);
        startDropoutPass();
        return new StatefulOutput(run(b, true, initial, end), end);
    }

    /** A training pass draws its dropout masks from the start of its own stream. */
    private void startDropoutPass() {
        dropoutSeed = dropoutStream.nextPassSeed();
        dropoutDraws = 0;
    }

    /** A zero state for the batch's sequences, after checking that {@code initial} (if given) fits. */
    private State newState(Batch b, State initial) {
        State.check(spec, b, initial);
        return State.zeros(spec, b.size());
    }

    /** Layer {@code l}'s {@code [N, H]} block of each direction in {@code state} (zero state when null). */
    private RecurrentCell.StateSlot[] slots(State state, int l) {
        RecurrentCell.StateSlot[] slots = new RecurrentCell.StateSlot[spec.directions()];
        for (int d = 0; d < slots.length; d++) {
            slots[d] = state == null ? RecurrentCell.StateSlot.ZERO : new RecurrentCell.StateSlot(state.h(l),
                    state.hasCell() ? state.c(l) : null, d * state.size() * state.hiddenSize());
        }
        return slots;
    }

    @Override
    public synchronized State initialStateGradient() {
        if (batch == null || layers.isEmpty()) {
            throw new IllegalStateException("initialStateGradient() needs a forwardTrain() and backward() of a "
                    + "recurrent model first");
        }
        State g = State.zeros(spec, batch.size());
        for (int l = 0; l < layers.size(); l++) {
            layers.get(l).initialStateGradient(slots(g, l));
        }
        return g;
    }

    @Override
    public long trainingPasses() {
        return dropoutStream.passes();
    }

    @Override
    public synchronized void seekTrainingPasses(long passes) {
        dropoutStream.seek(passes);
    }

    /**
     * What layer {@code l}'s pass keeps and writes: under a last-step head the top layer's outputs are read at each
     * sequence's last valid step only.
     */
    private RecurrentCell.Pass pass(int l, boolean training) {
        if (training) {
            return RecurrentCell.Pass.TRAINING;
        }
        boolean top = l == layers.size() - 1;
        return top && spec.outputMode() == OutputMode.LAST_STEP ? RecurrentCell.Pass.INFERENCE_LAST_STEPS
                : RecurrentCell.Pass.INFERENCE;
    }

    /** One pass from {@code initial} (zero when null); the final state goes into {@code end} when not null. */
    private Output run(Batch b, boolean training, State initial, State end) {
        b.requireFits(spec);
        this.batch = training ? b : null; // an inference pass keeps too little to back-propagate (RecurrentCell)
        dropoutMasks.clear();
        int n = b.size();
        if (spec.cell() == CellType.MLP) {
            float[] x = b.inputs();
            for (int l = 0; l < mlp.size(); l++) {
                x = mlp.get(l).forward(x, n);
                if (l < mlp.size() - 1) {
                    x = dropout(x, training);
                }
            }
            return new Output(head.forward(x, n).clone(), n, 1, spec.outputSize()); // the head's buffer is reused
        }
        int t = b.steps();
        float[] x = toTimeMajor(b.inputs(), n, t, spec.inputSize());
        for (int l = 0; l < layers.size(); l++) {
            x = layers.get(l).forward(x, t, n, b.lengths(), pass(l, training), slots(initial, l));
            if (end != null) {
                layers.get(l).finalState(slots(end, l));
            }
            if (l < layers.size() - 1) {
                x = dropout(x, training);
            }
        }
        int h = spec.hiddenSize();
        int w = spec.layerOutputSize();
        int c = spec.outputSize();
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            // [h_forward at the last valid step, h_reverse at step 0]: each direction's final state
            float[] last = new float[n * w];
            for (int i = 0; i < n; i++) {
                System.arraycopy(x, ((b.lengths()[i] - 1) * n + i) * w, last, i * w, h);
                if (w > h) {
                    System.arraycopy(x, i * w + h, last, i * w + h, h);
                }
            }
            return new Output(head.forward(last, n).clone(), n, 1, c); // the head's buffer is reused
        }
        float[] tm = head.forward(x, t * n);
        float[] out = new float[n * t * c];
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < b.lengths()[i]; s++) {
                System.arraycopy(tm, (s * n + i) * c, out, (i * t + s) * c, c);
            }
        }
        return new Output(out, n, t, c);
    }

    /** dL/d(head output) of every step, time-major (zero at padded steps), reused. */
    private float[] headGradient;

    /** dL/dY of the last recurrent layer for last-step outputs (zero but at each last step), reused. */
    private float[] lastStepGradient;

    @Override
    public synchronized void backward(float[] dOutput) {
        if (batch == null) {
            throw new IllegalStateException("backward() needs a forwardTrain() first");
        }
        if (layers.stream().anyMatch(RecurrentLayer::preActivationsSpent)) { // refused before any gradient is added
            throw new IllegalStateException(RecurrentCell.SPENT);
        }
        int n = batch.size();
        int c = spec.outputSize();
        int h = spec.hiddenSize();
        if (spec.cell() == CellType.MLP) {
            float[] d = head.backward(dOutput);
            for (int l = mlp.size() - 1; l >= 0; l--) {
                if (l < dropoutMasks.size()) {
                    d = applyMask(d, dropoutMasks.get(l));
                }
                d = mlp.get(l).backward(d);
            }
            return;
        }
        int t = batch.steps();
        float[] dy;
        if (spec.outputMode() == OutputMode.LAST_STEP) {
            int w = spec.layerOutputSize();
            dy = lastStepGradient = Buffers.reuse(lastStepGradient, t * n * w);
            java.util.Arrays.fill(dy, 0f);
            float[] dLast = head.backward(dOutput);
            for (int i = 0; i < n; i++) {
                System.arraycopy(dLast, i * w, dy, ((batch.lengths()[i] - 1) * n + i) * w, h);
                if (w > h) {
                    System.arraycopy(dLast, i * w + h, dy, i * w + h, h);
                }
            }
        } else {
            float[] dtm = headGradient = Buffers.reuse(headGradient, t * n * c);
            java.util.Arrays.fill(dtm, 0f); // zero at padded steps
            for (int i = 0; i < n; i++) {
                for (int s = 0; s < batch.lengths()[i]; s++) {
                    System.arraycopy(dOutput, (i * t + s) * c, dtm, (s * n + i) * c, c);
                }
            }
            dy = head.backward(dtm);
        }
        for (int l = layers.size() - 1; l >= 0; l--) {
            if (l < dropoutMasks.size()) {
                dy = applyMask(dy, dropoutMasks.get(l));
            }
            dy = layers.get(l).backward(dy, l > 0); // the first layer's input needs no gradient
        }
    }

    /** Inverted dropout: keep with probability 1-p and scale by 1/(1-p); identity when not training. */
    private float[] dropout(float[] x, boolean training) {
        if (!training || spec.dropout() == 0f) {
            // no mask recorded: backward then passes gradients straight through
            return x;
        }
        float keep = 1f - spec.dropout();
        int layer = dropoutMasks.size();
        float[] mask = buffer(maskBuffers, layer, x.length);
        float[] y = buffer(maskedBuffers, layer, x.length);
        // each element's draw is its index in the pass's stream (layer by layer, row-major), so the rows may split
        long first = dropoutDraws;
        gemm.rows(x.length, 1, (from, to) -> gemm.kernels().dropout(dropoutSeed, first, keep, x, mask, y, from, to));
        dropoutDraws += x.length;
        dropoutMasks.add(mask);
        return y;
    }

    /** Backward through a dropout mask, in place (the gradient arrays are this pass's own). */
    private static float[] applyMask(float[] dy, float[] mask) {
        for (int i = 0; i < dy.length; i++) {
            dy[i] *= mask[i];
        }
        return dy;
    }

    /** Buffer {@code index} of {@code buffers}, of exactly {@code size} floats, kept from pass to pass. */
    private static float[] buffer(List<float[]> buffers, int index, int size) {
        while (buffers.size() <= index) {
            buffers.add(null);
        }
        float[] b = Buffers.reuse(buffers.get(index), size);
        buffers.set(index, b);
        return b;
    }

    /** The batch's inputs {@code [N, T, I]} as {@code [T, N, I]}, into a buffer kept from pass to pass. */
    private float[] toTimeMajor(float[] x, int n, int t, int in) {
        float[] y = timeMajor = Buffers.reuse(timeMajor, x.length);
        for (int i = 0; i < n; i++) {
            for (int s = 0; s < t; s++) {
                System.arraycopy(x, (i * t + s) * in, y, (s * n + i) * in, in);
            }
        }
        return y;
    }

    @Override
    public synchronized Parameters parameters() {
        return params.copy();
    }

    /** Layer {@code layer}'s forward-direction cell. */
    /** Whether recurrent layer {@code layer}'s last forward pass ran with the batch along the lanes (tests). */
    synchronized boolean passInLanes(int layer) {
        return cell(layer).inLanes();
    }

    private RecurrentCell cell(int layer) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("the MLP baseline has no recurrent layers");
        }
        return layers.get(layer).forwardCell();
    }

    @Override
    public synchronized float[] hiddenGradients(int layer) {
        return cell(layer).hiddenGradients();
    }

    @Override
    public synchronized Map<String, float[]> activations(int layer) {
        return cell(layer).activations();
    }

    /** The optimizer changed the weights in place: the layers pack their recurrent weights again. */
    @Override
    public synchronized void parametersUpdated() {
        layers.forEach(RecurrentLayer::weightsChanged);
    }

    @Override
    public Parameters trainableParameters() {
        return params;
    }

    @Override
    public Parameters gradients() {
        return grads;
    }

    @Override
    public synchronized void zeroGrad() {
        grads.zero();
    }
}
