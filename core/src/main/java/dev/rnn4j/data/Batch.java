package dev.rnn4j.data;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;

/**
 * A padded minibatch.
 *
 * <p>Shapes: {@code inputs [N, T, I]}; {@code lengths [N]} with {@code 1 <= lengths[n] <= T};
 * regression {@code targets [N, S, C]} or classification {@code labels [N, S]}, where {@code S = T}
 * for per-step targets and {@code S = 1} for last-step targets. Padded positions hold zeros.
 *
 * @param size        N
 * @param steps       T, the padded length
 * @param inputSize   I
 * @param inputs      {@code [N, T, I]}
 * @param lengths     valid steps per sequence
 * @param targetSteps S: T (every step) or 1 (last step)
 * @param targetSize  C for regression, 1 for classification
 * @param targets     regression targets or {@code null}
 * @param labels      class labels or {@code null}
 */
public record Batch(int size, int steps, int inputSize, float[] inputs, int[] lengths,
                    int targetSteps, int targetSize, float[] targets, int[] labels) {

    /** Validates shapes and values; the message names what is wrong. */
    public Batch {
        check(size > 0 && steps > 0 && inputSize > 0, "empty batch: N=" + size + ", T=" + steps + ", I=" + inputSize);
        check(inputs.length == size * steps * inputSize, "inputs have " + inputs.length
                + " values, expected N*T*I = " + size + "*" + steps + "*" + inputSize);
        check(lengths.length == size, "lengths has " + lengths.length + " entries, expected N = " + size);
        for (int n = 0; n < size; n++) {
            check(lengths[n] >= 1 && lengths[n] <= steps, "length of sequence " + n + " is " + lengths[n]
                    + ", expected 1.." + steps);
        }
        for (int k = 0; k < inputs.length; k++) {
            if (!Float.isFinite(inputs[k])) {
                int n = k / (steps * inputSize);
                int t = (k / inputSize) % steps;
                throw new IllegalArgumentException("Invalid batch: input of sequence " + n + " at step " + t
                        + " is " + inputs[k]);
            }
        }
        check(targetSteps == 1 || targetSteps == steps, "targetSteps must be 1 or T=" + steps + ", got " + targetSteps);
        check((targets == null) != (labels == null), "a batch has either regression targets or class labels");
        if (targets != null) {
            check(targets.length == size * targetSteps * targetSize, "targets have " + targets.length
                    + " values, expected N*S*C = " + size + "*" + targetSteps + "*" + targetSize);
            for (float v : targets) {
                check(Float.isFinite(v), "a regression target is " + v);
            }
        } else {
            check(labels.length == size * targetSteps, "labels have " + labels.length
                    + " values, expected N*S = " + size + "*" + targetSteps);
        }
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException("Invalid batch: " + message);
        }
    }

    /**
     * Checks that this batch can go through a model of {@code spec}: the input size, and for the MLP baseline
     * the fixed window.
     *
     * @throws IllegalArgumentException saying what the model expects and what the batch has
     */
    public void requireFits(ModelSpec spec) {
        if (inputSize != spec.inputSize()) {
            throw new IllegalArgumentException("Input size mismatch: the model expects I = " + spec.inputSize()
                    + " features per step, the batch has " + inputSize);
        }
        if (spec.cell() == CellType.MLP) {
            for (int len : lengths) {
                if (len != spec.window() || steps != spec.window()) {
                    throw new IllegalArgumentException("The MLP baseline needs every sequence to have exactly "
                            + spec.window() + " steps (its window), got length " + len + " padded to " + steps);
                }
            }
        }
    }

    /** Which kind of head these targets are for. */
    public HeadKind targetKind() {
        return targets != null ? HeadKind.REGRESSION : HeadKind.CLASSIFICATION;
    }

    /**
     * Whether targets are given for every step (otherwise only for the last valid one). With T = 1 the two
     * are the same thing.
     */
    public boolean perStep() {
        return targetSteps == steps;
    }
}
