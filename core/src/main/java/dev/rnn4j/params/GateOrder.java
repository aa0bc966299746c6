package dev.rnn4j.params;

/**
 * Gate-block orders of the engines rnn4j talks to, as permutations of ONNX's blocks.
 *
 * <p>ONNX (canonical): LSTM {@code i, o, f, c}; GRU {@code z, r, h}. PyTorch/cuDNN: LSTM {@code i, f, g, o}
 * (g is ONNX's c); GRU {@code r, z, n} (n is ONNX's h).
 */
public final class GateOrder {
    private GateOrder() {
    }

    /** PyTorch LSTM position k takes ONNX block {@code torchLstm()[k]}: i, f, g, o from i, o, f, c. */
    public static int[] torchLstm() {
        return new int[] {0, 2, 3, 1};
    }

    /** PyTorch GRU position k takes ONNX block {@code torchGru()[k]}: r, z, n from z, r, h. */
    public static int[] torchGru() {
        return new int[] {1, 0, 2};
    }
}
