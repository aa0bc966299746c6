package dev.rnn4j.model;

/**
 * What a stateful call returns: the outputs, and the state at each sequence's last valid step, to pass into the next
 * call (PyTorch's {@code output, (h_n, c_n) = lstm(x, (h_0, c_0))}).
 *
 * @param output the outputs, as {@link Model#forward(dev.rnn4j.data.Batch)} returns them
 * @param state  the final state, {@code [D, N, H]} per layer
 */
public record StatefulOutput(Output output, State state) {
}
