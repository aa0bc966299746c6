package dev.rnn4j.model;

/**
 * A model's output: {@code [N, S, C]} row-major, where {@code S = 1} for last-step output and
 * {@code S = T} for every-step output (padded steps hold zeros). For classifiers the values are logits.
 *
 * @param values {@code [N, S, C]}
 * @param size   N
 * @param steps  S
 * @param width  C
 */
public record Output(float[] values, int size, int steps, int width) {
    public Output {
        if (values.length != size * steps * width) {
            throw new IllegalArgumentException("Output has " + values.length + " values, expected N*S*C = "
                    + size + "*" + steps + "*" + width);
        }
    }

    /** The value at sequence {@code n}, step {@code s}, output {@code c}. */
    public float get(int n, int s, int c) {
        return values[(n * steps + s) * width + c];
    }
}
