package dev.rnn4j.data;

import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;

/**
 * A padded minibatch.
 *
 * <p>Shapes: {@code inputs [N, T, I]}; {@code lengths [N]} with {@code 1 <= lengths[n] <= T};
 * regression {@code targets [N, S, C]} or classification {@code labels [N, S]}, where {@code S = T}
 * for per-step targets and {@code S = 1} for last-step targets. Padded positions hold zeros. A batch for
 * inference only ({@link #of}) has neither targets nor labels.
 *
 * <p>Example, two sequences of one feature, 3 and 2 steps long:
 * <pre>{@code
 * Batch b = Batch.of(new float[][][] {{{0.1f}, {0.2f}, {0.3f}}, {{0.5f}, {0.4f}}});   // N=2, T=3, I=1
 * }</pre>
 *
 * @param size        N
 * @param steps       T, the padded length
 * @param inputSize   I
 * @param inputs      {@code [N, T, I]}
 * @param lengths     valid steps per sequence
 * @param targetSteps S: T (every step) or 1 (last step)
 * @param targetSize  C for regression, 1 for classification
 * @param targets     regression targets or {@code null}
 * @param labels      class labels or {@code null} (both {@code null}: inputs only, for inference)
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
        check(targets == null || labels == null, "a batch has regression targets or class labels, not both");
        if (targets != null) {
            check(targets.length == size * targetSteps * targetSize, "targets have " + targets.length
                    + " values, expected N*S*C = " + size + "*" + targetSteps + "*" + targetSize);
            for (float v : targets) {
                check(Float.isFinite(v), "a regression target is " + v);
            }
        } else if (labels != null) {
            check(labels.length == size * targetSteps, "labels have " + labels.length
                    + " values, expected N*S = " + size + "*" + targetSteps);
        }
    }

    /**
     * An inference batch of sequences of any lengths: {@code sequences[n][t][i]}, padded with zeros to the longest.
     *
     * @throws IllegalArgumentException if there is no sequence, a sequence is empty, or steps differ in width
     */
    public static Batch of(float[][][] sequences) {
        check(sequences.length > 0, "no sequences");
        int steps = 0;
        for (int n = 0; n < sequences.length; n++) {
            check(sequences[n].length > 0, "sequence " + n + " has no steps");
            steps = Math.max(steps, sequences[n].length);
        }
        int width = sequences[0][0].length;
        int[] lengths = new int[sequences.length];
        float[] inputs = new float[sequences.length * steps * width];
        for (int n = 0; n < sequences.length; n++) {
            lengths[n] = sequences[n].length;
            for (int t = 0; t < lengths[n]; t++) {
                check(sequences[n][t].length == width, "sequence " + n + " step " + t + " has "
                        + sequences[n][t].length + " features, sequence 0 step 0 has " + width);
                System.arraycopy(sequences[n][t], 0, inputs, (n * steps + t) * width, width);
            }
        }
        return of(inputs, lengths, width);
    }

    /**
     * An inference batch from flat inputs {@code [N, T, I]} (row-major, zero-padded) and each sequence's length.
     *
     * @throws IllegalArgumentException if the sizes do not fit together (the message says how)
     */
    public static Batch of(float[] inputs, int[] lengths, int inputSize) {
        check(lengths.length > 0 && inputSize > 0, "need N >= 1 lengths and I >= 1, got N=" + lengths.length
                + ", I=" + inputSize);
        int steps = inputs.length / (lengths.length * inputSize);
        return new Batch(lengths.length, Math.max(steps, 1), inputSize, inputs, lengths, 1, 1, null, null);
    }

    /** Whether the batch carries targets or labels (training and evaluation), not only inputs. */
    public boolean hasTargets() {
        return targets != null || labels != null;
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
        if (!hasTargets()) {
            throw new IllegalStateException("an inference batch has no targets");
        }
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
