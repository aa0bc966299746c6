package dev.rnn4j.spi;

/**
 * What an engine can do, declared once by its {@link BackendProvider} (its {@link Backend} returns the same set) and
 * checked before it starts ({@code Backends.create}).
 */
public enum Capability {
    /** Computes gradients, so it can train. */
    TRAINING,
    /** Can run on a GPU when one is present ({@code --device gpu} needs it). */
    GPU
}
