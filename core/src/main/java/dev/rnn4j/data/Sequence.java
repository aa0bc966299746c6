package dev.rnn4j.data;

/**
 * One example: {@code length} steps of {@code I} inputs, and its targets.
 *
 * <p>Targets come in one of two forms, matching the model's {@link dev.rnn4j.spec.OutputMode}:
 * per step ({@code length} rows) or for the last step only (one row). Regression targets are
 * {@code float[rows * C]}; classification labels are {@code int[rows]}. The unused one is {@code null}.
 *
 * @param inputs  {@code [length, I]}, row-major
 * @param length  number of valid steps, at least 1
 * @param targets regression targets or {@code null}
 * @param labels  class labels or {@code null}
 */
public record Sequence(float[] inputs, int length, float[] targets, int[] labels) {

    public Sequence {
        if (length < 1) {
            throw new IllegalArgumentException("A sequence needs at least one step, got length " + length);
        }
        if (inputs.length % length != 0) {
            throw new IllegalArgumentException("Sequence inputs of size " + inputs.length
                    + " are not a whole number of steps of length " + length);
        }
        if ((targets == null) == (labels == null)) {
            throw new IllegalArgumentException("A sequence has either regression targets or class labels");
        }
    }

    /** A regression example. */
    public static Sequence regression(float[] inputs, int length, float[] targets) {
        return new Sequence(inputs, length, targets, null);
    }

    /** A classification example. */
    public static Sequence classification(float[] inputs, int length, int[] labels) {
        return new Sequence(inputs, length, null, labels);
    }
}
