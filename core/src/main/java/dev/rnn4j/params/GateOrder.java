package dev.rnn4j.params;

/**
 * Gate-block orders of the engines rnn4j talks to, as permutations of ONNX's blocks.
 *
 * <p>ONNX (canonical): LSTM {@code i, o, f, c}; GRU {@code z, r, h}. PyTorch/cuDNN: LSTM {@code i, f, g, o}
 * (g is ONNX's c); GRU {@code r, z, n} (n is ONNX's h). {@code TORCH_LSTM[k]} is the ONNX block that goes
 * to PyTorch position k.
 */
public final class GateOrder {
    /** PyTorch LSTM position k takes ONNX block {@code TORCH_LSTM[k]}: i, f, g, o from i, o, f, c. */
    public static final int[] TORCH_LSTM = {0, 2, 3, 1};
    /** PyTorch GRU position k takes ONNX block {@code TORCH_GRU[k]}: r, z, n from z, r, h. */
    public static final int[] TORCH_GRU = {1, 0, 2};

    private GateOrder() {
    }

    /**
     * Reorders gate blocks: block k of the result is block {@code order[k]} of {@code data}, where the
     * array holds {@code order.length} consecutive blocks of {@code blockSize} values.
     */
    public static float[] permute(float[] data, int[] order, int blockSize) {
        if (data.length != order.length * blockSize) {
            throw new IllegalArgumentException("expected " + order.length + " blocks of " + blockSize + " values, got "
                    + data.length + " values");
        }
        float[] out = new float[data.length];
        for (int k = 0; k < order.length; k++) {
            System.arraycopy(data, order[k] * blockSize, out, k * blockSize, blockSize);
        }
        return out;
    }

    /** The inverse permutation. */
    public static int[] inverse(int[] order) {
        int[] inv = new int[order.length];
        for (int k = 0; k < order.length; k++) {
            inv[order[k]] = k;
        }
        return inv;
    }
}
