package dev.rnn4j.params;

/**
 * The LSTM's gate blocks in ONNX's (canonical) order {@code i, o, f, c}: block k holds rows {@code [k*H, (k+1)*H)} of
 * {@code W} and {@code R} and the matching entries of each half of {@code B}. Peepholes {@code P [3H]} hold
 * {@code i, o, f} in the same positions.
 */
public enum LstmGate {
    /** Input gate. */
    I,
    /** Output gate. */
    O,
    /** Forget gate. */
    F,
    /** Cell candidate (PyTorch's g). */
    C;

    /** Where this block starts in a gate-stacked vector of hidden size {@code h}. */
    public int offset(int h) {
        return ordinal() * h;
    }
}
