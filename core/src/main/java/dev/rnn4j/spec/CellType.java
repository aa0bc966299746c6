package dev.rnn4j.spec;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The recurrent cells rnn4j knows, plus a feed-forward baseline.
 *
 * <p>Gate order inside W, R and B follows ONNX for every engine (see {@link #gates()}):
 * <ul>
 *   <li>{@link #RNN_TANH}: {@code h_t = tanh(W x_t + Wb + R h_{t-1} + Rb)}; one gate block.</li>
 *   <li>{@link #LSTM}: blocks {@code i, o, f, c};
 *       {@code c_t = f*c_{t-1} + i*g}, {@code h_t = o*tanh(c_t)}.</li>
 *   <li>{@link #GRU}: blocks {@code z, r, h}; {@code h_t = (1-z)*h~ + z*h_{t-1}}; the candidate uses
 *       {@code linear_before_reset} as recorded in the spec.</li>
 *   <li>{@link #LSTM_PEEPHOLE}: LSTM with peephole weights {@code P = [Pi, Po, Pf]}; the input and
 *       forget gates look at {@code c_{t-1}}, the output gate at {@code c_t}.</li>
 *   <li>{@link #LSTM_CIFG}: coupled input-forget gate, {@code f = 1 - i} (ONNX {@code input_forget=1},
 *       the ONNX Runtime convention). The f block of W, R, B is kept for layout compatibility and unused.</li>
 *   <li>{@link #MLP}: a feed-forward network over the flattened window of {@code spec.window()} steps.</li>
 * </ul>
 */
public enum CellType {
    RNN_TANH("rnn", 1),
    LSTM("lstm", 4),
    GRU("gru", 3),
    LSTM_PEEPHOLE("lstm-peephole", 4),
    LSTM_CIFG("lstm-cifg", 4),
    MLP("mlp", 1);

    private final String cliName;
    private final int gates;

    CellType(String cliName, int gates) {
        this.cliName = cliName;
        this.gates = gates;
    }

    /** The name used on the command line, e.g. {@code lstm-peephole}. */
    public String cliName() {
        return cliName;
    }

    /** Number of gate blocks stacked in W and R (ONNX: 1 for RNN, 3 for GRU, 4 for LSTM). */
    public int gates() {
        return gates;
    }

    /** True for the three LSTM variants. */
    public boolean isLstm() {
        return this == LSTM || this == LSTM_PEEPHOLE || this == LSTM_CIFG;
    }

    /** True for every recurrent cell (everything except {@link #MLP}). */
    public boolean isRecurrent() {
        return this != MLP;
    }

    /**
     * Parses a command-line name ({@code rnn, lstm, gru, lstm-peephole, lstm-cifg, mlp}) or an enum name.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static CellType parse(String name) {
        String n = name.trim().toLowerCase(Locale.ROOT);
        for (CellType c : values()) {
            if (c.cliName.equals(n) || c.name().toLowerCase(Locale.ROOT).equals(n)) {
                return c;
            }
        }
        throw new IllegalArgumentException("Unknown cell '" + name + "'. Expected one of: "
                + Arrays.stream(values()).map(CellType::cliName).collect(Collectors.joining(", ")));
    }
}
