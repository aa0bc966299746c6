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
 */
public record ExampleContext(Backend backend, Path out, boolean full, long seed) {

    /** {@code small} normally, {@code full} with {@code --full}. */
    public int pick(int small, int fullValue) {
        return full ? fullValue : small;
    }
}
