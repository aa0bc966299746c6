package dev.rnn4j.train;

/**
 * A loss value and its gradient with respect to the model output.
 *
 * @param value    the mean loss over valid positions
 * @param gradient {@code dLoss/dOutput}, shaped like the output {@code [N, S, C]}
 */
public record LossResult(double value, float[] gradient) {
}
