package dev.rnn4j.spi;

/** What an engine can do. */
public enum Capability {
    /** Computes gradients, so it can train. */
    TRAINING,
    /** Runs recurrent layers as fused kernels rather than one op per gate. */
    FUSED_RNN,
    /** Can run on a GPU when one is present. */
    GPU
}
