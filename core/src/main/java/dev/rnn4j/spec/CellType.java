package dev.rnn4j.spec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The recurrent cells rnn4j knows, plus a feed-forward baseline.
 *
 * <p>What a cell is (its gates in the ONNX and PyTorch layouts, whether it has a cell state, peepholes or a coupled
 * forget gate, its ONNX operator and attributes) is declared here once, in each constant, and read everywhere else.
 * Gate order inside W, R and B follows ONNX for every engine (see {@link #onnxGates()}):
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
    //            name             ONNX op  gates, ONNX order       gates, PyTorch order    state  peephole coupled
    RNN_TANH("rnn", "RNN", List.of("h"), List.of("h"), false, false, false),
    LSTM("lstm", "LSTM", List.of("i", "o", "f", "c"), List.of("i", "f", "c", "o"), true, false, false),
    GRU("gru", "GRU", List.of("z", "r", "h"), List.of("r", "z", "h"), false, false, false),
    LSTM_PEEPHOLE("lstm-peephole", "LSTM", List.of("i", "o", "f", "c"), List.of("i", "f", "c", "o"), true, true, false),
    LSTM_CIFG("lstm-cifg", "LSTM", List.of("i", "o", "f", "c"), List.of("i", "f", "c", "o"), true, false, true),
    /** Not a recurrent cell: each hidden layer is one dense block. */
    MLP("mlp", null, List.of("h"), List.of("h"), false, false, false);

    private final String cliName;
    private final String onnxOp;
    private final List<String> onnxGates;
    private final List<String> torchGates;
    private final boolean cellState;
    private final boolean peepholes;
    private final boolean coupledInputForget;

    CellType(String cliName, String onnxOp, List<String> onnxGates, List<String> torchGates, boolean cellState,
             boolean peepholes, boolean coupledInputForget) {
        this.cliName = cliName;
        this.onnxOp = onnxOp;
        this.onnxGates = onnxGates;
        this.torchGates = torchGates;
        this.cellState = cellState;
        this.peepholes = peepholes;
        this.coupledInputForget = coupledInputForget;
    }

    /** The name used on the command line, e.g. {@code lstm-peephole}. */
    public String cliName() {
        return cliName;
    }

    /** Number of gate blocks stacked in W and R (ONNX: 1 for RNN, 3 for GRU, 4 for LSTM). */
    public int gates() {
        return onnxGates.size();
    }

    /**
     * The gate blocks of W, R and B in ONNX's order, which rnn4j's parameters use everywhere: LSTM {@code i, o, f, c},
     * GRU {@code z, r, h}, RNN {@code h}.
     */
    public List<String> onnxGates() {
        return onnxGates;
    }

    /**
     * The same blocks in PyTorch's (and cuDNN's) order, named as in ONNX: LSTM {@code i, f, c, o} (PyTorch's
     * {@code i, f, g, o}), GRU {@code r, z, h} ({@code r, z, n}).
     */
    public List<String> torchGates() {
        return torchGates;
    }

    /** PyTorch's block k is ONNX's block {@code torchOrder()[k]}: what moving weights between the two layouts needs. */
    public int[] torchOrder() {
        return torchGates.stream().mapToInt(onnxGates::indexOf).toArray();
    }

    /** The ONNX operator of one layer ({@code RNN}, {@code GRU}, {@code LSTM}). */
    public String onnxOp() {
        if (onnxOp == null) {
            throw new IllegalStateException(cliName + " has no recurrent ONNX operator");
        }
        return onnxOp;
    }

    /**
     * The attributes that tell this cell apart within its ONNX operator: {@code input_forget=1} for the coupled-gate
     * LSTM, {@code linear_before_reset} for the GRU (from the spec's variant); the rest take ONNX's defaults.
     */
    public Map<String, Object> onnxAttributes(boolean linearBeforeReset) {
        Map<String, Object> attrs = new LinkedHashMap<>();
        if (this == GRU) {
            attrs.put("linear_before_reset", linearBeforeReset ? 1 : 0);
        }
        if (coupledInputForget) {
            attrs.put("input_forget", 1);
        }
        return attrs;
    }

    /**
     * The plain cell an ONNX recurrent operator computes ({@code RNN}, {@code GRU}, {@code LSTM}); its attributes make
     * the variants.
     *
     * @throws IllegalArgumentException for any other operator
     */
    public static CellType ofOnnxOp(String op) {
        return Arrays.stream(values()).filter(c -> op.equals(c.onnxOp) && !c.peepholes && !c.coupledInputForget)
                .findFirst().orElseThrow(() -> new IllegalArgumentException("'" + op + "' is not a recurrent ONNX "
                        + "operator"));
    }

    /** Whether it keeps a cell state {@code c} beside {@code h} (the LSTM family): its state and outputs have both. */
    public boolean hasCellState() {
        return cellState;
    }

    /** Whether it has peephole weights {@code P = [Pi, Po, Pf]} (ONNX's input {@code P}). */
    public boolean hasPeepholes() {
        return peepholes;
    }

    /** Whether the forget gate is {@code 1 - i} (ONNX {@code input_forget=1}); its f block is kept but unused. */
    public boolean couplesInputAndForget() {
        return coupledInputForget;
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
