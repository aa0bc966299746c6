package dev.rnn4j.spi;

import java.util.Map;

/**
 * Optional look inside a recurrent model, for diagnostics and pictures (vanishing gradients, gate heat maps).
 * Engines that can offer it implement it on their models; callers test with {@code instanceof}.
 */
public interface Introspection {

    /**
     * {@code dLoss/dh_t} of recurrent layer {@code layer} from the last backward pass, time-major
     * {@code [T, N, H]}: the total gradient reaching each hidden state, through the output and the recurrence.
     */
    float[] hiddenGradients(int layer);

    /**
     * Activations of recurrent layer {@code layer} from the last forward pass, each time-major {@code [T, N, H]}:
     * always {@code h}; LSTMs add {@code i, f, o} (gates) and {@code c} (cell state); GRUs add {@code z, r}.
     *
     * @throws IllegalStateException when that pass was an inference pass that kept only its latest steps (run
     *                               {@code forwardTrain} to look inside), or, for an LSTM's gates on the native
     *                               engine, after the backward pass that followed it (which writes the gates'
     *                               gradients over them, as PyTorch frees a graph's saved tensors: read them between
     *                               {@code forwardTrain} and {@code backward})
     */
    Map<String, float[]> activations(int layer);
}
