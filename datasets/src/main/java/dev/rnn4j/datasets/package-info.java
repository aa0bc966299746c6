/**
 * Seeded generators for the classic toy sequence tasks. Each task is one class with a {@code Config}
 * record (defaults, seed) and a Javadoc saying what the task is and where it comes from. The same config
 * always generates the same data, so a saved model's config regenerates its test set exactly.
 */
package dev.rnn4j.datasets;
