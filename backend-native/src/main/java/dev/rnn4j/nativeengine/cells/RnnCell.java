package dev.rnn4j.nativeengine.cells;

import dev.rnn4j.nativeengine.kernels.Gemm;

/**
 * Elman RNN with tanh (ONNX {@code RNN}, PyTorch {@code nn.RNN}):
 * <pre>
 *   h_t = tanh(x_t W^T + Wb + h_{t-1} R^T + Rb)
 * </pre>
 * Backward: {@code da = dh * (1 - h_t^2)}; {@code da} feeds both W and R.
 */
public final class RnnCell extends RecurrentCell {

    public RnnCell(Gemm gemm, int inputSize, int hidden, LayerWeights weights, LayerWeights grads) {
        super(gemm, inputSize, hidden, 1, weights, grads);
    }

    @Override
    protected void allocateState() {
    }

    /** Backward reads h, not the pre-activations: their gradients may take their place. */
    @Override
    protected boolean gradientsOverPreActivations() {
        return true;
    }

    @Override
    protected void step(int t, int n0, int n1) {
        int h = hIndex(t, n0); // rows n0..n1 lie one after the other in xp and hs
        System.arraycopy(xp, row(t, n0) * hidden, hs, h, (n1 - n0) * hidden); // xp[t]: the whole pre-activation
        gemm.kernels().tanh(hs, h, (n1 - n0) * hidden);
    }

    @Override
    protected void stepBackward(int t, int n0, int n1, float[] dh, float[] dhPrev) {
        // rows n0..n1 lie one after the other in dh, hs and dA (which is also dRec: the same array)
        gemm.kernels().tanhBackward(dh, n0 * hidden, hs, hIndex(t, n0), dA, row(t, n0) * hidden, (n1 - n0) * hidden);
    }
}
