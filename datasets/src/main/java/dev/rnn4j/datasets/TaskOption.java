package dev.rnn4j.datasets;

/**
 * One of a task's own options: a {@code train} flag ({@code --name}), a key of a training request and of a sweep spec.
 *
 * @param name        the name without dashes, e.g. {@code window}
 * @param label       what the value looks like in help, e.g. {@code W}
 * @param description what it does for this task (help lists it under the task's name)
 * @param fallback    the value when the flag is given without one ({@code true} for a switch), or {@code null} if it
 *                    needs a value
 */
public record TaskOption(String name, String label, String description, String fallback) {
    /** Training sequences, for the generated tasks. */
    public static final TaskOption TRAIN_SIZE = value("train-size", "N", "number of training sequences");
    /** Test sequences, for the generated tasks. */
    public static final TaskOption TEST_SIZE = value("test-size", "N", "number of test sequences");

    /** An option that takes a value. */
    public static TaskOption value(String name, String label, String description) {
        return new TaskOption(name, label, description, null);
    }

    /** A switch: given alone it is {@code true}. */
    public static TaskOption flag(String name, String description) {
        return new TaskOption(name, "true|false", description, "true");
    }
}
