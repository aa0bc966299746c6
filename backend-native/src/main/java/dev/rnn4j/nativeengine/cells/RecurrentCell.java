package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One recurrent layer over a whole padded batch, in ONNX's layout: {@code W [G*H, I]}, {@code R [G*H, H]},
 * {@code B = [Wb, Rb]}, gate blocks of size H.
 *
 * <p>Forward, for every step t:
 * <pre>
 *   xp[t]  = x[t] W^T + Wb (+ Rb)              (each step's rows just before the step; for a few sequences one
 *                                               GEMM over all steps, before the loop)
 *   rec    = h[t-1] R_k^T + Rb                 (R_k: the first k = {@link #blocksFedByHidden()} blocks; RNN and LSTM
 *                                               add h[t-1] R^T straight into xp[t] instead)
 *   h[t]   = cell step (xp[t], rec, state)     ({@link #step})
 * </pre>
 * Buffers are reused from pass to pass while the shapes stay the same; no step allocates. A pass that need not keep
 * every step (inference: {@link Pass#INFERENCE}) keeps only the current step's pre-activations and the last two
 * steps' states when it projects step by step, so they stay in cache instead of streaming {@code [T, N, G*H]} through
 * memory; it cannot be back-propagated.
 * A sequence past its length keeps its state ({@code h[t] = h[t-1]}) and outputs zeros, so the state at
 * the end is each sequence's last valid state (ONNX {@code Y_h}) and {@code Y} is zero where padded.
 *
 * <p>Backward walks the steps in reverse; {@link #stepBackward} turns {@code dL/dh[t]} into gradients of the
 * input-side pre-activations {@code dA} and of the recurrent-side ones {@code dRec}; then
 * {@code dh[t-1] += dRec_k R_k}, and after the loop {@code dW = dA^T x}, {@code dR_k = dRec_k^T h[t-1]},
 * {@code dx = dA W}, each one GEMM over all steps.
 */
public abstract class RecurrentCell {
    protected final Gemm gemm;
    protected final int inputSize;
    protected final int hidden;
    protected final int gates;
    protected final float[] w;
    protected final float[] r;
    protected final float[] b;
    protected final float[] dw;
    protected final float[] dr;
    protected final float[] db;
    /** Where this cell's direction starts in w, r and b (and their gradients): 0 but for a reverse direction. */
    protected final int wo;
    protected final int ro;
    protected final int bo;

    protected int steps;
    protected int batch;
    protected int[] lengths;
    protected float[] x;
    /**
     * Input-side pre-activations {@code [T, N, G*H]}: {@code x W^T + Wb}; only the current step's {@code [N, G*H]} when
     * {@link #latestOnly} (rows at {@link #row}).
     */
    protected float[] xp;
    /**
     * Hidden states {@code [T+1, N, H]}; {@code hs[0]} is the zero initial state. Two steps' {@code [2, N, H]}, taking
     * turns, when {@link #latestOnly} (rows at {@link #hIndex}).
     */
    protected float[] hs;
    /** Whether the pass in flight keeps only the current step's per-step arrays (see the class comment). */
    protected boolean latestOnly;
    private final Buffers.TwoSizes xpBuffers = new Buffers.TwoSizes();
    private final Buffers.TwoSizes hsBuffers = new Buffers.TwoSizes();
    /**
     * Recurrent-side pre-activations of the current step {@code [N, G*H]}: {@code h[t-1] R^T + Rb}; only for cells
     * whose recurrence is not simply added ({@link #additiveRecurrence()} false: the GRU).
     */
    protected float[] rec;
    /** {@code R_k^T [H, k*H]} packed for {@link Gemm#multiply}: every step's {@code h R_k^T}. */
    protected Gemm.Packed rForward;
    /** {@code W^T [I, G*H]} packed for the input projection (null for a few features); packed with rForward. */
    private Gemm.Packed wForward;
    /** For a few features ({@link Gemm#fewTerms}): W^T's rows as the projection reads them, made with rForward. */
    private float[] wFewRows;
    /**
     * Whether the last forward's input was mostly zeros ({@link Gemm#mostlyZeros}: one-hot characters), so its
     * projection and W's gradient skipped the zeros ({@link Gemm#sparseMultiply}, the same sums).
     */
    private boolean sparseInput;
    /** {@code W^T [I, G*H]} as a plain array, for a sparse input's projection; made when one first needs it. */
    private float[] wTransposed;
    private boolean wTransposedFresh;
    /** {@code R_k [k*H, H]} packed once per backward: every step's {@code dRec_k R_k}. */
    protected Gemm.Packed rBackward;
    /**
     * Whether rForward (and wForward) and rBackward hold the current weights (packed again after
     * {@link #weightsChanged()}).
     */
    private boolean forwardPacked;
    private boolean backwardPacked;

    /**
     * The layer's weights were changed in place (an optimizer step): packed copies are made again before their next
     * use. An inference model's weights never change, so it packs once.
     */
    public void weightsChanged() {
        forwardPacked = false;
        backwardPacked = false;
        wTransposedFresh = false;
        lanesPacked = false;
    }
    /** {@code dL/dh_t} of every step from the last backward {@code [T, N, H]}. */
    protected float[] dhAll;
    /**
     * Gradients of the input-side pre-activations {@code [T, N, G*H]}: {@link #xp} itself, step by step overwritten,
     * where {@link #gradientsOverPreActivations} says so.
     */
    protected float[] dA;
    /** Gradients of the recurrent-side pre-activations {@code [T, N, G*H]} (the same array as dA when additive). */
    protected float[] dRec;
    /** The layer's output of the last forward, {@code [T, N, H]}, and dL/dx of the last backward. */
    private float[] y;
    private float[] dx;

    /**
     * @param weights the layer's live parameter arrays
     * @param grads   their gradients, accumulated into by {@link #backward}
     */
    protected RecurrentCell(Gemm gemm, int inputSize, int hidden, int gates, LayerWeights weights, LayerWeights grads) {
        this.gemm = gemm;
        this.inputSize = inputSize;
        this.hidden = hidden;
        this.gates = gates;
        this.w = weights.w();
        this.r = weights.r();
        this.b = weights.b();
        this.dw = grads.w();
        this.dr = grads.r();
        this.db = grads.b();
        this.wo = weights.direction() * gates * hidden * inputSize;
        this.ro = weights.direction() * gates * hidden * hidden;
        this.bo = weights.direction() * 2 * gates * hidden;
    }

    /**
     * The cell of {@code spec} for recurrent layer {@code layer}.
     *
     * @throws IllegalArgumentException for the MLP, which has no recurrent cell
     */
    public static RecurrentCell create(ModelSpec spec, int layer, Gemm gemm, LayerWeights weights, LayerWeights grads) {
        int in = spec.layerInputSize(layer);
        int h = spec.hiddenSize();
        return switch (spec.cell()) {
            case RNN_TANH -> new RnnCell(gemm, in, h, weights, grads);
            case GRU -> new GruCell(gemm, in, h, weights, grads, spec.linearBeforeReset());
            case LSTM, LSTM_PEEPHOLE, LSTM_CIFG -> new LstmCell(gemm, in, h, weights, grads,
                    spec.cell().couplesInputAndForget());
            case MLP -> throw new IllegalArgumentException("the MLP has no recurrent cell");
        };
    }

    /** Two {@code [N, H]} buffers for {@code dL/dh[t]} carried back and the one being made, swapped every step. */
    /** {@code dL/dY [T, N, H]} of the backward pass running. */
    private float[] outputGradient;
    private float[] carriedBuffer;
    private float[] dhPrevBuffer;
    private float[] dhBuffer;

    /**
     * Whether the cell's pre-activations are simply {@code x W^T + Wb + h[t-1] R^T + Rb} (RNN, LSTM): then the
     * recurrent product accumulates straight into {@link #xp}, which {@link #step} reads as the whole pre-activation,
     * and the gradients of both sides are the same ({@link #dRec} is {@link #dA}).
     */
    protected boolean additiveRecurrence() {
        return true;
    }

    /**
     * Whether backward writes the pre-activation gradients over the forward pass's pre-activations ({@link #xp}), for
     * cells whose backward reads a step's pre-activations (or the gates made from them) only before it writes that
     * step's gradients (LSTM, RNN): one {@code [T, N, G*H]} array fewer, and none written afresh (C's, G's and D's
     * training steps about 0.97x, docs/speed.md). The pass's gates are then gone: a second backward, or reading an
     * LSTM's gates, waits for the next forward ({@link #preActivationsSpent}).
     */
    protected boolean gradientsOverPreActivations() {
        return false;
    }

    /** Whether the last backward wrote its gradients over the last forward's pre-activations. */
    private boolean spent;

    /**
     * Whether a backward has written its gradients over the last forward pass's pre-activations
     * ({@link #gradientsOverPreActivations}), so that neither another backward nor the gates can follow before the next
     * forward.
     */
    public boolean preActivationsSpent() {
        return spent;
    }

    /** dA (and dRec when apart) packed for the weight gradients; reused from pass to pass. */
    private Gemm.Packed packedGradient;
    protected Gemm.Packed packedRecGradient;
    private float[] weightGradientT;
    /** {@code [G*H]}: the bias every row of xp starts from, and the column sums of the bias gradients. */
    private float[] bias;
    private float[] biasSums;

    /**
     * {@code target[j, i] += sum_rows G[row, j] v[row, i]} ({@code target [cols, width]} from {@code targetOff}): a
     * weight gradient {@code G^T v} over every step, computed as {@code (v^T G)^T} with G packed by the caller and
     * {@code v^T} read in place (the product packs it into row blocks in one pass, as it would a transposed copy).
     *
     * @param v {@code [rows, width]}: the layer's input or states, rows as G's
     */
    protected void addWeightGradient(Gemm.Packed g, float[] v, int width, float[] target, int targetOff) {
        int cols = g.n();
        float[] product = zeroedWeightGradientT(width * cols);
        if (width <= 3) {
            // one to three input features: each a single row over every step, its panels split across the threads
            // (a tile of so few rows keeps too few multiply-adds in flight; a row runs four panels at once)
            for (int i = 0; i < width; i++) {
                gemm.multiplyRow(v, i, width, g, product, i * cols);
            }
        } else {
            gemm.multiply(width, v, 0, 1, width, g, product, 0, cols);
        }
        addTransposed(product, width, cols, target, targetOff);
    }

    /** The buffer of a transposed weight gradient, {@code size} floats of zeros. */
    private float[] zeroedWeightGradientT(int size) {
        float[] product = weightGradientT = Buffers.reuse(weightGradientT, size);
        Arrays.fill(product, 0f);
        return product;
    }

    /**
     * {@code target[j, i] += product[i, j]} for {@code product [width, cols]}, {@code target} from targetOff; the
     * target's rows split across the threads (each written by one).
     */
    private void addTransposed(float[] product, int width, int cols, float[] target, int targetOff) {
        gemm.rows(cols, width, (j0, j1) -> {
            for (int j = j0; j < j1; j++) {
                int tj = targetOff + j * width;
                for (int i = 0; i < width; i++) {
                    target[tj + i] += product[i * cols + j];
                }
            }
        });
    }

    /** How many leading gate blocks take {@code h[t-1] R^T} directly (all but GRU's candidate when lbr=0). */
    protected int blocksFedByHidden() {
        return gates;
    }

    /** Allocates the cell's own per-sequence state (called once per forward, after the shared buffers). */
    protected abstract void allocateState();

    /**
     * Computes rows {@code [n0, n1)} of {@code hs[t+1]} (and the cell's own state) from {@code xp[t]}, {@code rec}
     * and {@code hs[t]}; touches no other rows, so row ranges may run on different threads.
     */
    protected abstract void step(int t, int n0, int n1);

    /** For padded rows: copy the cell's extra state (LSTM: c) from step t to t+1. */
    protected void carryState(int t, int n) {
    }

    /**
     * Back-propagates through step t for rows {@code [n0, n1)}: from {@code dh = dL/dh[t]} (and the cell's carried
     * state gradient) writes {@code dA[t]}, {@code dRec[t]}, and the direct part of {@code dhPrev} (not the
     * {@code dRec R} term, which the base adds). Touches no other rows unless {@link #rowsMeetInBackward()}.
     */
    protected abstract void stepBackward(int t, int n0, int n1, float[] dh, float[] dhPrev);

    /** Before the first {@link #stepBackward} of a pass (step T-1): the cell zeroes its carried state gradient. */
    protected void beginBackward() {
    }

    /** Whether a step's backward sums over rows (the peephole gradient): then it runs on one thread, in row order. */
    protected boolean rowsMeetInBackward() {
        return false;
    }

    /** For padded row n at step t: pass the cell's carried state gradient through the step unchanged. */
    protected void carryStateGradient(int t, int n) {
    }

    /** Extra recurrent weight gradients not fed by {@code h[t-1]} (GRU with lbr=0). */
    protected void extraRecurrentGradients() {
    }

    /**
     * Where the state of one pass starts, or ends: {@code h} (and the LSTM's {@code c}) from {@code offset}, {@code [N, H]}
     * each. Both arrays {@code null}: the zero state.
     *
     * @param h      hidden state values, or {@code null}
     * @param c      cell state values (LSTM family), or {@code null}
     * @param offset where this layer's and direction's {@code [N, H]} block starts in both
     */
    public record StateSlot(float[] h, float[] c, int offset) {
        /** The zero initial state. */
        public static final StateSlot ZERO = new StateSlot(null, null, 0);
    }

    /** The initial state of the pass in flight, read by {@link #allocateState()}. */
    protected StateSlot initial = StateSlot.ZERO;

    /** What a forward pass keeps and which of its outputs it writes. */
    public enum Pass {
        /** Every step's pre-activations and states, for {@link #backward} and {@link #activations}; every output. */
        TRAINING,
        /** Inference: the latest steps only (faster; neither backward nor activations can follow); every output. */
        INFERENCE,
        /**
         * Inference read only at each sequence's last valid step (under a last-step head): the other steps' rows of
         * {@code Y} are left unwritten, which spares a lanes pass a transposition per step (docs/speed.md).
         */
        INFERENCE_LAST_STEPS
    }

    /** Whether the pass in flight writes only each sequence's output at its last valid step. */
    private boolean lastStepsOnly;

    /**
     * Runs the layer from the zero state.
     *
     * @param input   {@code [T, N, I]} time-major
     * @param lengths valid steps per sequence
     * @return {@code Y [T, N, H]}, zero at padded steps
     */
    public float[] forward(float[] input, int steps, int batch, int[] lengths) {
        return forward(input, steps, batch, lengths, StateSlot.ZERO);
    }

    /**
     * Runs the layer from {@code initial}; afterwards {@link #finalState} gives each sequence's state at its last valid
     * step.
     *
     * @param input   {@code [T, N, I]} time-major
     * @param lengths valid steps per sequence
     * @return {@code Y [T, N, H]}, zero at padded steps
     */
    public float[] forward(float[] input, int steps, int batch, int[] lengths, StateSlot initial) {
        return forward(input, steps, batch, lengths, initial, Pass.TRAINING);
    }

    /**
     * Runs the layer from {@code initial}, as {@link #forward(float[], int, int, int[], StateSlot)}.
     *
     * @param pass what the pass keeps and which outputs it writes
     */
    public float[] forward(float[] input, int steps, int batch, int[] lengths, StateSlot initial, Pass pass) {
        boolean keepSteps = pass == Pass.TRAINING;
        lastStepsOnly = pass == Pass.INFERENCE_LAST_STEPS;
        this.steps = steps;
        this.batch = batch;
        this.lengths = lengths;
        this.x = input;
        this.initial = initial;
        int gh = gates * hidden;
        boolean additive = additiveRecurrence();
        boolean stepwise = batch >= STEPWISE_PROJECTION;
        latestOnly = !keepSteps && stepwise; // projecting all steps at once needs all of xp
        spent = false;
        xp = xpBuffers.reuse(keepSteps, (latestOnly ? 1 : steps) * batch * gh);
        hs = hsBuffers.reuse(keepSteps, (latestOnly ? 2 : steps + 1) * batch * hidden);
        if (initial.h() == null) {
            Arrays.fill(hs, 0, batch * hidden, 0f); // the zero initial state
        } else {
            System.arraycopy(initial.h(), initial.offset(), hs, 0, batch * hidden);
        }
        rec = additive ? null : Buffers.reuse(rec, batch * gh);
        allocateState();
        int k = blocksFedByHidden() * hidden;
        if (!forwardPacked) {
            rForward = gemm.pack(hidden, k, r, ro, 1, hidden, rForward);
            // W^T for the input projection, unless it is a few features (projected row by row, without panels)
            wForward = inputSize > Gemm.SMALL_K ? gemm.pack(inputSize, gh, w, wo, 1, inputSize, wForward) : null;
            wFewRows = wForward == null && Gemm.fewTerms(gh, inputSize)
                    ? Gemm.fewRows(gh, inputSize, w, wo, inputSize, wFewRows) : null;
            forwardPacked = true;
        }
        sparseInput = wForward != null && gemm.mostlyZeros(input, 0, steps * batch * inputSize);
        if (sparseInput && !wTransposedFresh) {
            wTransposed = Buffers.reuse(wTransposed, inputSize * gh);
            for (int g = 0; g < gh; g++) {
                for (int i = 0; i < inputSize; i++) {
                    wTransposed[i * gh + g] = w[wo + g * inputSize + i];
                }
            }
            wTransposedFresh = true;
        }
        // every row of xp starts as the bias (Wb, plus Rb when additive), then the input projection adds x W^T:
        // step by step for a batch of sequences (the step's rows are still in cache when the recurrent product and
        // the gates read them), for all steps at once for a few sequences (one product instead of many thin ones)
        bias = Buffers.reuse(bias, gh);
        System.arraycopy(b, bo, bias, 0, gh);
        if (additive) {
            gemm.kernels().axpy(1f, b, bo + gh, bias, 0, gh);
        }
        if (!stepwise) {
            project(0, steps * batch, 0);
        }
        y = Buffers.reuse(y, steps * batch * hidden);
        boolean split = gemm.splitsBatch(batch, (long) steps * batch * k * hidden);
        lanes = lanesFit(split);
        if (lanes) {
            prepareLanes();
            if (split) {
                gemm.batchRanges(batch, this::forwardLanes);
            } else {
                forwardLanes(0, batch);
            }
            return y;
        }
        if (split) {
            // rows of the batch never meet in a recurrence: each thread takes its rows through every step, so the
            // steps need no hand-over between threads
            gemm.batchRanges(batch, (n0, n1) -> {
                for (int t = 0; t < steps; t++) {
                    if (stepwise) {
                        project(t * batch + n0, t * batch + n1, row(t, n0));
                    }
                    recurrentProduct(t, n0, n1);
                    step(t, n0, n1);
                    writeOutput(t, n0, n1);
                }
            });
        } else {
            // few rows: each step's product is split by columns, its gates by rows
            for (int t = 0; t < steps; t++) {
                int step = t;
                if (stepwise) {
                    project(t * batch, (t + 1) * batch, row(t, 0));
                }
                recurrentProduct(t, 0, batch);
                gemm.rows(batch, gh, (n0, n1) -> step(step, n0, n1));
                writeOutput(t, 0, batch);
            }
        }
        return y;
    }

    // ---- An inference pass with the batch along the vectors' lanes ----
    //
    // Row by row, every step's products read the step's rows of h (and x) packed into row blocks, a copy of the whole
    // state per step, against W^T and R^T packed once. Turned around, gates^T = b + [W R] [x^T; h^T] takes the weights
    // as the left-hand side, packed once, and x^T over h^T as one panel of NR sequences: the state is kept that way, so
    // a step packs nothing but its inputs, and the weights stream past a panel that stays in L1 (G's and C's inference
    // 0.85x, D's 0.90-1.01x, docs/speed.md). Each element still adds the same products in the same order (bias,
    // input terms, recurrent terms), and the gates and state are element by element, so the outputs are the same bits
    // as row by row (BatchPathsTest). One-hot inputs (D's characters) are not multiplied: each sequence's column of W
    // is picked out onto the bias, as row by row their projection skips the zeros, and the panels hold h^T alone.

    /** Steps a pass needs to take the lanes: setting up the panels cost A's 3-step pass 1.15x its time. */
    static final int LANES_MIN_STEPS = 16;
    /** Whether this pass runs with the batch along the lanes: see {@link #forwardLanes}. */
    private boolean lanes;
    /**
     * Whether a lanes pass takes its input one feature per row ({@link Kernels#hotColumns}: one-hot characters, whose
     * dense product would add a quarter to D's first layer), its panels then holding h^T alone.
     */
    private boolean lanesHot;
    /** Each row's one non-zero feature and its value (zero: none), {@code [T * N]}, for a lanes pass that is hot. */
    private int[] hotColumn;
    private float[] hotValue;
    /** W's rows, {@link Kernels#hotColumnsWidth()} columns each (zero past I), for {@link Kernels#hotColumns}. */
    private float[] wHot;
    /** {@code [W R]} as row blocks for {@link Gemm#multiplyRowBlocks}, and the bias as rows {@code [G*H, NR]}. */
    private float[] weightBlocks;
    private float[] biasLanes;
    /** Whether weightBlocks holds the current weights, as [W R] or (hot) R alone. */
    private boolean lanesPacked;
    private boolean lanesPackedHot;
    /** The step's gates of a lanes pass, panel-major {@code [panels][G*H][NR]} from {@link Buffers#ALIGNED_START}. */
    protected float[] gatesLanes;
    /**
     * Two steps' panels {@code [2][panels][I + H][NR]} from {@link Buffers#ALIGNED_START}, slot {@code (t + 1) & 1}
     * for step t as in {@link #hIndex}: a panel is its sequences' inputs x^T over their state h^T, the right-hand side
     * of the step's one product (h^T alone, {@code [H][NR]}, when the pass is hot).
     */
    protected float[] hLanes;

    /** Whether the last forward pass ran with the batch along the lanes (for tests and diagnostics). */
    public boolean inLanes() {
        return lanes;
    }

    /** Whether the cell's step can run with the batch along the lanes ({@link #stepLanes}); the LSTM without extras. */
    protected boolean stepsInLanes() {
        return false;
    }

    /**
     * Whether this pass takes the batch along the lanes: an inference pass (latest steps only) of a cell that can, of
     * {@link #LANES_MIN_STEPS} or more, with dense inputs, a few features (on kernels that add a few terms as product
     * terms) or mostly-zero inputs with at most one non-zero per row among at most {@link Kernels#hotColumnsWidth()}
     * features (others keep their sparse projection, row by row), H a multiple of four (rows of G*H fill whole
     * vectors, so the row-by-row kernels' arithmetic is the lanes'), and every thread's rows starting on a panel, so
     * that each thread keeps whole panels.
     */
    private boolean lanesFit(boolean split) {
        Kernels k = gemm.kernels();
        int nr = k.panelWidth();
        boolean input = wForward != null ? !sparseInput : wFewRows != null && k.fewTermsAsProductTerms();
        boolean fit = latestOnly && stepsInLanes() && steps >= LANES_MIN_STEPS && hidden % 4 == 0 && batch >= nr
                && (!split || gemm.batchRangesStartAtMultiplesOf(batch, nr));
        lanesHot = fit && !input && sparseInput && inputSize <= k.hotColumnsWidth() && hotRows();
        return fit && (input || lanesHot);
    }

    /**
     * Whether every row of x has at most one non-zero feature; if so, each row's column and value (zero for none) are
     * in {@link #hotColumn} and {@link #hotValue}, {@code [T * N]}.
     */
    private boolean hotRows() {
        int rows = steps * batch;
        if (hotColumn == null || hotColumn.length < rows) {
            hotColumn = new int[rows];
            hotValue = new float[rows];
        }
        for (int row = 0; row < rows; row++) {
            int column = 0;
            float value = 0f;
            for (int i = row * inputSize; i < (row + 1) * inputSize; i++) {
                if (x[i] != 0f) {
                    if (value != 0f) {
                        return false;
                    }
                    column = i - row * inputSize;
                    value = x[i];
                }
            }
            hotColumn[row] = column;
            hotValue[row] = value;
        }
        return true;
    }

    /**
     * Packs [W R] as row blocks and the bias as rows, or when hot R alone and W's rows for {@link Kernels#hotColumns}
     * (once per change of the weights or of the kind of pass); sizes the lanes buffers.
     */
    private void prepareLanes() {
        int gh = gates * hidden;
        int nr = gemm.kernels().panelWidth();
        int panels = (batch + nr - 1) / nr;
        int features = lanesHot ? 0 : inputSize; // rows of a panel above h^T
        int stack = features + hidden;
        if (!lanesPacked || lanesPackedHot != lanesHot) {
            float[] wr = new float[gh * stack];
            for (int g = 0; g < gh; g++) {
                System.arraycopy(w, wo + g * inputSize, wr, g * stack, features);
                System.arraycopy(r, ro + g * hidden, wr, g * stack + features, hidden);
            }
            weightBlocks = gemm.packRowBlocks(gh, stack, wr, 0, stack, weightBlocks);
            if (lanesHot) { // W's rows, for the columns the inputs pick
                int width = gemm.kernels().hotColumnsWidth();
                wHot = Buffers.reuse(wHot, gh * width);
                for (int g = 0; g < gh; g++) {
                    System.arraycopy(w, wo + g * inputSize, wHot, g * width, inputSize);
                }
            } else { // the bias as rows, where each step's product starts (the bias is the weights' too)
                biasLanes = Buffers.reuse(biasLanes, gh * nr);
                for (int g = 0; g < gh; g++) {
                    Arrays.fill(biasLanes, g * nr, (g + 1) * nr, bias[g]);
                }
            }
            lanesPacked = true;
            lanesPackedHot = lanesHot;
        }
        // both from Buffers.ALIGNED_START, so that every panel starts on a cache line when the JVM aligns objects
        gatesLanes = Buffers.reuse(gatesLanes, Buffers.ALIGNED_START + panels * gh * nr);
        hLanes = Buffers.reuse(hLanes, Buffers.ALIGNED_START + 2 * panels * stack * nr);
        Arrays.fill(hLanes, 0f); // sequences past the batch stay zero
        allocateLanes(hLanes.length);
    }

    /** Sizes the cell's own state of a lanes pass as {@link #hLanes} ({@code floats} floats, zero). */
    protected void allocateLanes(int floats) {
    }

    /**
     * Step t's gates of one panel, {@code gatesLanes[g0 ..]} as {@code [G*H][NR]}, into the state: {@code prev} and
     * {@code cur} are where the panel's h^T starts in {@code hLanes} (and the cell's own state, laid out the same) in
     * the two slots.
     */
    protected void stepLanes(int g0, int prev, int cur) {
        throw new UnsupportedOperationException();
    }

    /**
     * Copies sequence {@code col}'s state (h here, the cell's own in a subclass) of the panel at {@code prev} to
     * {@code cur}: a padded step.
     */
    protected void carryLanes(int prev, int cur, int col, int nr) {
        for (int j = 0; j < hidden; j++) {
            hLanes[cur + j * nr + col] = hLanes[prev + j * nr + col];
        }
    }

    /**
     * Copies one sequence's state (h here, the cell's own in a subclass) between the rows and the lanes: {@code
     * toLanes} from row {@code rowAt} of the row-major state into column {@code col} of the panel's h^T at {@code at},
     * or back.
     */
    protected void moveStateLanes(boolean toLanes, int rowAt, int at, int col, int nr) {
        for (int j = 0; j < hidden; j++) {
            if (toLanes) {
                hLanes[at + j * nr + col] = hs[rowAt + j];
            } else {
                hs[rowAt + j] = hLanes[at + j * nr + col];
            }
        }
    }

    /** Rows {@code [n0, n1)} (n0 a multiple of NR) through every step with the batch along the lanes. */
    private void forwardLanes(int n0, int n1) {
        int gh = gates * hidden;
        Kernels kernels = gemm.kernels();
        int nr = kernels.panelWidth();
        int panels = (batch + nr - 1) / nr;
        int features = lanesHot ? 0 : inputSize;
        int stack = features + hidden;
        int slot = panels * stack * nr;
        int start = Buffers.ALIGNED_START; // where the panels and the gates start in their arrays
        int state = features * nr; // where h^T starts in a panel
        int[] column = new int[nr]; // a hot panel's columns and values this step (zero past the batch)
        float[] value = new float[nr];
        for (int q = n0 / nr; q * nr < n1; q++) {
            for (int col = 0; col < nr && q * nr + col < batch; col++) {
                moveStateLanes(true, hIndex(-1, q * nr + col), start + q * stack * nr + state, col, nr);
            }
        }
        for (int t = 0; t < steps; t++) {
            for (int q = n0 / nr; q * nr < n1; q++) {
                int g0 = start + q * gh * nr;
                int prev = start + (t & 1) * slot + q * stack * nr; // the panel in the slot of step t - 1
                int cur = start + ((t + 1) & 1) * slot + q * stack * nr;
                int width = Math.min(nr, batch - q * nr);
                if (lanesHot) { // the bias and each sequence's one column of W, then the recurrent terms
                    System.arraycopy(hotColumn, t * batch + q * nr, column, 0, width);
                    System.arraycopy(hotValue, t * batch + q * nr, value, 0, width);
                    Arrays.fill(value, width, nr, 0f);
                    kernels.hotColumns(gh, wHot, bias, column, value, gatesLanes, g0);
                } else {
                    for (int col = 0; col < width; col++) { // x_t^T over h_{t-1}^T
                        int from = (t * batch + q * nr + col) * inputSize;
                        for (int i = 0; i < inputSize; i++) {
                            hLanes[prev + i * nr + col] = x[from + i];
                        }
                    }
                    System.arraycopy(biasLanes, 0, gatesLanes, g0, gh * nr);
                }
                gemm.multiplyRowBlocks(gh, stack, weightBlocks, hLanes, prev, gatesLanes, g0, nr);
                stepLanes(g0, prev + state, cur + state);
                for (int col = 0; col < width; col++) {
                    int n = q * nr + col;
                    int out = (t * batch + n) * hidden;
                    if (t >= lengths[n]) { // a padded step carries the state on and outputs zero
                        carryLanes(prev + state, cur + state, col, nr);
                        if (!lastStepsOnly) {
                            Arrays.fill(y, out, out + hidden, 0f);
                        }
                    } else if (!lastStepsOnly || t == lengths[n] - 1) {
                        for (int j = 0; j < hidden; j++) {
                            y[out + j] = hLanes[cur + state + j * nr + col];
                        }
                    }
                }
            }
        }
        // the final state back into the rows, where finalState reads it
        for (int q = n0 / nr; q * nr < n1; q++) {
            int last = start + (steps & 1) * slot + q * stack * nr + state;
            for (int col = 0; col < nr && q * nr + col < batch; col++) {
                moveStateLanes(false, hIndex(steps - 1, q * nr + col), last, col, nr);
            }
        }
    }

    /**
     * Batches of at least this many sequences project their input step by step ({@link #project}); every element
     * gets the same sums in the same order either way.
     */
    public static final int STEPWISE_PROJECTION = 8;

    /** xp's rows from {@code into} := bias + {@code x W^T} for x's rows {@code [from, to)} (of {@code [T*N, I]}). */
    private void project(int from, int to, int into) {
        int gh = gates * hidden;
        if (wFewRows != null) { // a few features: bias and product in one pass, W's rows made once
            gemm.abtFromRows(to - from, gh, inputSize, x, from * inputSize, inputSize, wFewRows, bias, 0, xp,
                    into * gh, gh);
            return;
        }
        if (wForward == null) { // no features, or a cell narrower than a few columns
            gemm.abtFromRow(to - from, gh, inputSize, x, from * inputSize, inputSize, w, wo, inputSize, bias, 0, xp,
                    into * gh, gh);
            return;
        }
        Gemm.fillRows(to - from, gh, bias, 0, xp, into * gh, gh);
        if (sparseInput) {
            gemm.sparseMultiply(to - from, gh, inputSize, x, from * inputSize, inputSize, 1, wTransposed, 0, gh, xp,
                    into * gh, gh);
        } else {
            gemm.multiply(to - from, x, from * inputSize, inputSize, 1, wForward, xp, into * gh, gh);
        }
    }

    /** {@code h[t-1] R^T} for rows {@code [n0, n1)}: added into xp[t] (additive), or into rec on top of Rb. */
    private void recurrentProduct(int t, int n0, int n1) {
        int gh = gates * hidden;
        int rows = n1 - n0;
        if (additiveRecurrence()) {
            stepProduct(rows, hs, hIndex(t - 1, n0), hidden, rForward, xp, row(t, n0) * gh, gh);
        } else {
            Gemm.fillRows(rows, gh, b, bo + gh, rec, n0 * gh, gh); // Rb
            stepProduct(rows, hs, hIndex(t - 1, n0), hidden, rForward, rec, n0 * gh, gh);
        }
    }

    /**
     * A pass of one sequence over at least this many steps splits each step's single-row recurrent product across
     * the threads ({@link Gemm#multiplyRow}): the hand-over per step is then cheap, the workers staying awake, and
     * each thread reads only its part of R. Shorter passes (a stream's lone step) keep it on the calling thread, where
     * waking a parked worker (tens of microseconds) would cost more than the split saves (about 1 us per step at
     * F's 128 x 512, measured).
     */
    static final int ROW_SPLIT_STEPS = 32;

    /** {@code C += A B} over a step's {@code rows} rows of A (leading dimension lda) and C (ldc). */
    private void stepProduct(int rows, float[] a, int aOff, int lda, Gemm.Packed b, float[] c, int cOff, int ldc) {
        if (batch == 1 && steps >= ROW_SPLIT_STEPS) {
            gemm.multiplyRow(a, aOff, 1, b, c, cOff);
        } else {
            gemm.multiply(rows, a, aOff, lda, 1, b, c, cOff, ldc);
        }
    }

    /** Rows {@code [n0, n1)} of step t's output; a padded row carries its state on and outputs zero. */
    private void writeOutput(int t, int n0, int n1) {
        for (int n = n0; n < n1; n++) {
            int cur = hIndex(t, n);
            int out = (t * batch + n) * hidden;
            if (t >= lengths[n]) {
                System.arraycopy(hs, hIndex(t - 1, n), hs, cur, hidden);
                carryState(t, n);
                if (!lastStepsOnly) {
                    Arrays.fill(y, out, out + hidden, 0f);
                }
            } else if (!lastStepsOnly || t == lengths[n] - 1) {
                System.arraycopy(hs, cur, y, out, hidden);
            }
        }
    }

    /**
     * Back-propagates {@code dy = dL/dY [T, N, H]} through the last {@link #forward}, accumulating the
     * parameter gradients.
     *
     * @param inputGradient whether {@code dL/dx} is wanted (not for the first layer)
     * @return {@code dL/dx [T, N, I]}, or {@code null} when not wanted
     */
    public float[] backward(float[] dy, boolean inputGradient) {
        requireEveryStep("backward");
        if (spent) {
            throw new IllegalStateException(SPENT);
        }
        int gh = gates * hidden;
        int k = blocksFedByHidden() * hidden;
        boolean additive = additiveRecurrence();
        if (!backwardPacked) {
            rBackward = gemm.pack(k, hidden, r, ro, hidden, 1, rBackward);
            backwardPacked = true;
        }
        outputGradient = dy;
        spent = gradientsOverPreActivations();
        dA = spent ? xp : Buffers.reuse(dA, steps * batch * gh);
        dRec = additive ? dA : Buffers.reuse(dRec, steps * batch * gh);
        carriedBuffer = Buffers.reuse(carriedBuffer, batch * hidden);
        dhPrevBuffer = Buffers.reuse(dhPrevBuffer, batch * hidden);
        dhBuffer = Buffers.reuse(dhBuffer, batch * hidden);
        Arrays.fill(carriedBuffer, 0f);
        dhAll = Buffers.reuse(dhAll, steps * batch * hidden);
        beginBackward();
        if (!rowsMeetInBackward() && gemm.splitsBatch(batch, (long) steps * batch * k * hidden)) {
            // as in forward: each thread takes its rows of the batch back through every step
            gemm.batchRanges(batch, (n0, n1) -> {
                for (int t = steps - 1; t >= 0; t--) {
                    stepBackThrough(t, n0, n1, false);
                }
            });
        } else {
            for (int t = steps - 1; t >= 0; t--) {
                stepBackThrough(t, 0, batch, true);
            }
        }
        int rows = steps * batch;
        float[] input = null;
        if (inputGradient) {
            input = dx = Buffers.reuse(dx, rows * inputSize);
            Arrays.fill(dx, 0f);
            gemm.ab(rows, inputSize, gh, dA, 0, gh, w, wo, inputSize, dx, 0, inputSize);
        }
        // dW = dA^T x and dR_k = dRec_k^T h[t-1], summed over all steps, computed transposed (dW^T = x^T dA) so the
        // large gradient is read row by row: packed once (shared when dRec is dA); x and h are read in place.
        // Bias gradients: Wb's sums dA over all rows (while dA is packed, when it is), Rb's sums dRec (the same sums
        // when additive)
        float[] sums = biasSums = Buffers.reuse(biasSums, gh);
        Arrays.fill(sums, 0f);
        if (!sparseInput || additive) {
            packedGradient = gemm.packSummingColumns(rows, gh, dA, 0, gh, packedGradient, sums, 0);
        } else {
            gemm.columnSums(rows, gh, dA, 0, gh, sums, 0);
        }
        gemm.kernels().axpy(1f, sums, 0, db, bo, gh);
        if (sparseInput) { // x^T dA from x's non-zeros: the same sums
            float[] product = zeroedWeightGradientT(inputSize * gh);
            gemm.sparseMultiply(inputSize, gh, rows, x, 0, 1, inputSize, dA, 0, gh, product, 0, gh);
            addTransposed(product, inputSize, gh, dw, wo);
        } else {
            addWeightGradient(packedGradient, x, inputSize, dw, wo);
        }
        Gemm.Packed recurrentGradient = additive ? packedGradient
                : (packedRecGradient = gemm.pack(rows, k, dRec, 0, gh, 1, packedRecGradient));
        addWeightGradient(recurrentGradient, hs, hidden, dr, ro);
        if (!additive) {
            Arrays.fill(sums, 0f);
            gemm.columnSums(rows, gh, dRec, 0, gh, sums, 0);
        }
        gemm.kernels().axpy(1f, sums, 0, db, bo + gh, gh);
        extraRecurrentGradients();
        initialGradient = Buffers.reuse(initialGradient, batch * hidden);
        System.arraycopy(carriedInto(-1), 0, initialGradient, 0, batch * hidden); // dL/dh[-1], written by step 0
        return input;
    }

    /**
     * {@code dL/dh[t]} carried from later steps, as step t+1's backward left it: {@link #carriedBuffer} and
     * {@link #dhPrevBuffer} take turns (step T-1 reads the zeroed carriedBuffer), so a step's buffers follow from t
     * alone and each row range can run its own steps.
     */
    private float[] carriedInto(int t) {
        return firstOfPair(t) ? carriedBuffer : dhPrevBuffer;
    }

    /**
     * Which of two buffers that take turns carries a gradient into step t of the backward pass: the first (zeroed
     * before step T-1) at T-1, T-3, ...; it follows from t alone, so each row range can run its own steps.
     */
    protected final boolean firstOfPair(int t) {
        return (steps - 1 - t) % 2 == 0;
    }

    /**
     * Step t's backward for rows {@code [n0, n1)}: {@code dh = dy[t] + carried}, the cell's step, padded rows passed
     * through, and {@code dhPrev += dRec[t] R}; {@code splitRows}: the cell's row loop is split across threads (the
     * whole batch at once, step by step).
     */
    private void stepBackThrough(int t, int n0, int n1, boolean splitRows) {
        int gh = gates * hidden;
        float[] carried = carriedInto(t);
        float[] dhPrev = carriedInto(t - 1);
        float[] dh = dhBuffer;
        int from = n0 * hidden;
        int to = n1 * hidden;
        // dh = this step's output gradient + the gradient carried from step t + 1 (an axpy by 1: the same sums)
        System.arraycopy(outputGradient, t * batch * hidden + from, dh, from, to - from);
        gemm.kernels().axpy(1f, carried, from, dh, from, to - from);
        System.arraycopy(dh, from, dhAll, t * batch * hidden + from, to - from);
        Arrays.fill(dhPrev, from, to, 0f);
        if (splitRows) {
            gemm.rows(n1 - n0, rowsMeetInBackward() ? 0 : gh,
                    (r0, r1) -> stepBackward(t, n0 + r0, n0 + r1, dh, dhPrev));
        } else {
            stepBackward(t, n0, n1, dh, dhPrev);
        }
        for (int n = n0; n < n1; n++) {
            if (t >= lengths[n]) {
                int g0 = (t * batch + n) * gh;
                Arrays.fill(dA, g0, g0 + gh, 0f);
                Arrays.fill(dRec, g0, g0 + gh, 0f);
                System.arraycopy(carried, n * hidden, dhPrev, n * hidden, hidden);
                carryStateGradient(t, n);
            }
        }
        stepProduct(n1 - n0, dRec, (t * batch + n0) * gh, gh, rBackward, dhPrev, n0 * hidden, hidden);
    }

    /** {@code dL/dh} of the initial state from the last backward, {@code [N, H]}. */
    private float[] initialGradient;

    /**
     * Writes each sequence's state at its last valid step (padded steps carry it, so it is the state after step T-1).
     *
     * @param target where to write {@code h} (and {@code c} for the LSTM family)
     */
    public void finalState(StateSlot target) {
        System.arraycopy(hs, hIndex(steps - 1, 0), target.h(), target.offset(), batch * hidden);
    }

    /**
     * Writes {@code dL/dh} (and {@code dL/dc} for the LSTM family) of the initial state, from the last backward.
     *
     * @throws IllegalStateException before a backward pass
     */
    public void initialStateGradient(StateSlot target) {
        if (initialGradient == null) {
            throw new IllegalStateException("no backward pass yet");
        }
        System.arraycopy(initialGradient, 0, target.h(), target.offset(), batch * hidden);
    }

    /** {@code dL/dh_t} from the last backward, {@code [T, N, H]}. */
    public float[] hiddenGradients() {
        if (dhAll == null) {
            throw new IllegalStateException("no backward pass yet");
        }
        return dhAll.clone();
    }

    /** Activations of the last forward by name, each {@code [T, N, H]}; {@code h} always. */
    public Map<String, float[]> activations() {
        requireEveryStep("activations");
        Map<String, float[]> m = new LinkedHashMap<>();
        m.put("h", Arrays.copyOfRange(hs, batch * hidden, hs.length));
        return m;
    }

    /** Block {@code k} of a {@code [T, N, G*H]} array as {@code [T, N, H]}. */
    protected float[] block(float[] a, int k) {
        int gh = gates * hidden;
        float[] out = new float[steps * batch * hidden];
        for (int row = 0; row < steps * batch; row++) {
            System.arraycopy(a, row * gh + k * hidden, out, row * hidden, hidden);
        }
        return out;
    }

    /**
     * Where row n's hidden state after step t starts in {@link #hs} (t = -1: the initial state); the cell's own states
     * of the same shape (the LSTM's c) are laid out alike.
     */
    protected final int hIndex(int t, int n) {
        return ((latestOnly ? (t + 1) & 1 : t + 1) * batch + n) * hidden;
    }

    /** Row n of step t in the per-step arrays {@code [T, N, ...]} ({@link #xp} and the cell's gates). */
    protected final int row(int t, int n) {
        return latestOnly ? n : t * batch + n;
    }

    /** Why a second backward after one forward is refused ({@link #preActivationsSpent}). */
    public static final String SPENT = "backward() needs a forwardTrain() first: the last one's gate activations were "
            + "overwritten by the backward() that followed it";

    /** The last forward kept only its latest steps: what needs all of them ({@code what}) cannot run. */
    private void requireEveryStep(String what) {
        if (latestOnly) {
            throw new IllegalStateException(what + " needs a forward pass that keeps every step (training), not an "
                    + "inference pass");
        }
    }
}
