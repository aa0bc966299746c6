package dev.rnn4j.examples.programs;

import dev.rnn4j.spi.Backend;
import java.nio.file.Path;

/**
 * What an example runs with.
 *
 * @param backend the engine to train on
 * @param out     its output folder
 * @param full    the full setting (reference numbers) rather than the small one
 * @param seed    the seed for data, initialisation and batching
 * @param scale   multiplies the small setting's budgets and sizes (1 normally; tests use a tiny fraction)
 */
public record ExampleContext(Backend backend, Path out, boolean full, long seed, double scale) {

    public ExampleContext(Backend backend, Path out, boolean full, long seed) {
        this(backend, out, full, seed, 1.0);
    }

    /** {@code small} (times {@link #scale()}, at least 20) normally, {@code full} with {@code --full}. */
    public int pick(int small, int fullValue) {
        return full ? fullValue : Math.max(20, (int) Math.round(small * scale));
    }
}
