package dev.rnn4j.params;

/**
 * The GRU's gate blocks in ONNX's (canonical) order {@code z, r, h}: block k holds rows {@code [k*H, (k+1)*H)} of
 * {@code W} and {@code R} and the matching entries of each half of {@code B}.
 */
public enum GruGate {
    /** Update gate. */
    Z,
    /** Reset gate. */
    R,
    /** Candidate state (PyTorch's n). */
    H;

    /** Where this block starts in a gate-stacked vector of hidden size {@code h}. */
    public int offset(int h) {
        return ordinal() * h;
    }
}
