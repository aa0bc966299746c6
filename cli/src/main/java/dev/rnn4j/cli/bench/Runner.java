package dev.rnn4j.cli.bench;

/** One timed thing: a training step or an inference batch of one configuration on one engine. */
interface Runner extends AutoCloseable {

    /** The engine's name in the report, e.g. {@code native}, {@code libtorch}. */
    String backend();

    /** {@code train} or {@code infer}. */
    String mode();

    /** One iteration: a training step (forward, loss, backward, update) or one inference forward. */
    void run();

    /** Whether bytes allocated per iteration are measured for this runner (the native engine's). */
    default boolean measureAllocation() {
        return false;
    }

    @Override
    default void close() {
    }
}
