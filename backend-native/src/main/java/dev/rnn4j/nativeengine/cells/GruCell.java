package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.nativeengine.kernels.Buffers;
import dev.rnn4j.params.GruGate;
import dev.rnn4j.nativeengine.kernels.Gemm;
import dev.rnn4j.nativeengine.kernels.Kernels;
import java.util.Map;

/**
 * GRU in ONNX's formulation, gate blocks {@code z, r, h}, both candidate variants:
 * <pre>
 *   z  = sigmoid(x_t W_z^T + Wb_z + h_{t-1} R_z^T + Rb_z)
 *   r  = sigmoid(x_t W_r^T + Wb_r + h_{t-1} R_r^T + Rb_r)
 *   linear_before_reset = 1 (PyTorch, cuDNN):  h~ = tanh(x_t W_h^T + Wb_h + r * (h_{t-1} R_h^T + Rb_h))
 *   linear_before_reset = 0 (ONNX default):    h~ = tanh(x_t W_h^T + Wb_h + (r * h_{t-1}) R_h^T + Rb_h)
 *   h_t = (1 - z) * h~ + z * h_{t-1}
 * </pre>
 * Backward: {@code dz = dh (h_{t-1} - h~)}, {@code dh~ = dh (1 - z)}, {@code da_h = dh~ (1 - h~^2)}; with
 * lbr=1 {@code dr = da_h q} where {@code q = h_{t-1} R_h^T + Rb_h}; with lbr=0 {@code d(rh) = da_h R_h},
 * {@code dr = d(rh) h_{t-1}} and {@code dh_{t-1} += d(rh) r}.
 */
public final class GruCell extends RecurrentCell {
    private final boolean linearBeforeReset;
    /** Activated {@code z, r, h~} per step {@code [T, N, 3H]} (rows at {@link #row}). */
    private float[] act;
    /** lbr=1: {@code q = h R_h^T + Rb_h}; lbr=0: {@code r * h_{t-1}}; per step {@code [T, N, H]} (rows at row). */
    private float[] aux;
    private final Buffers.TwoSizes actBuffers = new Buffers.TwoSizes();
    private final Buffers.TwoSizes auxBuffers = new Buffers.TwoSizes();
    /** lbr=0: {@code R_h^T} and {@code R_h}, packed while the weights stay the same. */
    private boolean candidatePacked;
    private Gemm.Packed candidateForward;
    private Gemm.Packed candidateBackward;
    /** lbr=0: the candidate block of dRec packed, for dR_h. */
    private Gemm.Packed packedCandidateGradient;
    /** lbr=0: {@code d(r * h_{t-1}) = da_h R_h} of the step being back-propagated. */
    private float[] drhBuffer;

    public GruCell(Gemm gemm, int inputSize, int hidden, LayerWeights weights, LayerWeights grads,
                   boolean linearBeforeReset) {
        super(gemm, inputSize, hidden, 3, weights, grads);
        this.linearBeforeReset = linearBeforeReset;
    }

    /** Adds the gates z and r. */
    @Override
    public Map<String, float[]> activations() {
        Map<String, float[]> m = super.activations();
        m.put("z", block(act, GruGate.Z.ordinal()));
        m.put("r", block(act, GruGate.R.ordinal()));
        return m;
    }

    @Override
    public void weightsChanged() {
        super.weightsChanged();
        candidatePacked = false;
    }

    /** The reset gate multiplies the recurrent candidate term, so {@link #rec} is kept apart from {@link #xp}. */
    @Override
    protected boolean additiveRecurrence() {
        return false;
    }

    @Override
    protected int blocksFedByHidden() {
        return linearBeforeReset ? 3 : 2;
    }

    @Override
    protected void allocateState() {
        int rows = (latestOnly ? 1 : steps) * batch;
        act = actBuffers.reuse(!latestOnly, rows * 3 * hidden);
        aux = auxBuffers.reuse(!latestOnly, rows * hidden);
        if (!linearBeforeReset && !candidatePacked) {
            // R_h (rows oh .. oh+H of R), packed for (r * h_{t-1}) R_h^T and its gradient d(rh) = da_h R_h
            candidatePacked = true;
            int oh = GruGate.H.offset(hidden);
            candidateForward = gemm.pack(hidden, hidden, r, ro + oh * hidden, 1, hidden, candidateForward);
            candidateBackward = gemm.pack(hidden, hidden, r, ro + oh * hidden, hidden, 1, candidateBackward);
        }
    }

    @Override
    protected void step(int t, int n0, int n1) {
        int hh = hidden;
        int gh = 3 * hh;
        int or = GruGate.R.offset(hh);
        int oh = GruGate.H.offset(hh);
        Kernels k = gemm.kernels();
        for (int n = n0; n < n1; n++) {
            int a = row(t, n) * gh;
            int prev = hIndex(t - 1, n);
            int x0 = row(t, n) * hh;
            // z and r are the first two blocks: one copy, one axpy, one sigmoid for both
            System.arraycopy(xp, a, act, a, 2 * hh);
            k.axpy(1f, rec, n * gh, act, a, 2 * hh);
            k.sigmoid(act, a, 2 * hh);
            if (linearBeforeReset) {
                System.arraycopy(rec, n * gh + oh, aux, x0, hh); // q = h_{t-1} R_h^T + Rb_h
            } else {
                k.hadamard(act, a + or, hs, prev, aux, x0, hh); // r * h_{t-1}
            }
        }
        if (!linearBeforeReset) {
            // rec_h += (r * h_{t-1}) R_h^T  (rec_h already holds Rb_h)
            gemm.multiply(n1 - n0, aux, row(t, n0) * hh, hh, 1, candidateForward, rec, n0 * gh + oh, gh);
        }
        for (int n = n0; n < n1; n++) {
            k.gruOutput(act, xp, row(t, n) * gh, hh, rec, n * gh + oh, hs, hIndex(t - 1, n), hIndex(t, n),
                    linearBeforeReset);
        }
    }

    @Override
    protected void stepBackward(int t, int n0, int n1, float[] dh, float[] dhPrev) {
        int hh = hidden;
        int gh = 3 * hh;
        int oh = GruGate.H.offset(hh);
        Kernels k = gemm.kernels();
        for (int n = n0; n < n1; n++) {
            k.gruCandidateBackward(act, row(t, n) * gh, hh, dh, n * hh, dA, dRec, linearBeforeReset);
        }
        float[] drh = drhBuffer;
        if (!linearBeforeReset) {
            java.util.Arrays.fill(drh, n0 * hh, n1 * hh, 0f);
            gemm.multiply(n1 - n0, dA, row(t, n0) * gh + oh, gh, 1, candidateBackward, drh, n0 * hh, hh);
        }
        for (int n = n0; n < n1; n++) {
            k.gruGatesBackward(act, row(t, n) * gh, hh, hs, hIndex(t - 1, n), aux, row(t, n) * hh, dh, drh, dhPrev,
                    n * hh, dA, dRec, linearBeforeReset);
        }
    }

    @Override
    protected void beginBackward() {
        if (!linearBeforeReset) {
            drhBuffer = Buffers.reuse(drhBuffer, batch * hidden);
        }
    }

    @Override
    protected void extraRecurrentGradients() {
        if (!linearBeforeReset) {
            int hh = hidden;
            int oh = GruGate.H.offset(hh);
            // dR_h = dRec_h^T (r * h_{t-1}) over all steps, rows oh .. oh+H of dR
            packedCandidateGradient = gemm.pack(steps * batch, hh, dRec, oh, 3 * hh, 1, packedCandidateGradient);
            addWeightGradient(packedCandidateGradient, aux, hh, dr, ro + oh * hh);
        }
    }
}
