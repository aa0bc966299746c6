package dev.rnn4j.data;

import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * An in-memory list of {@link Sequence}s of one input size and one target form, with padded batching.
 *
 * <p>Example:
 * <pre>{@code
 * SequenceDataset data = new SequenceDataset(2, HeadKind.CLASSIFICATION, 1, OutputMode.EVERY_STEP, sequences);
 * Batch first = data.batch(0, 32);
 * }</pre>
 */
public final class SequenceDataset {
    private final int inputSize;
    private final HeadKind kind;
    private final int targetSize;
    private final OutputMode targetMode;
    private final List<Sequence> sequences;

    /**
     * @param inputSize  I, features per step
     * @param kind       regression targets or class labels
     * @param targetSize C for regression (values per target row); 1 for classification
     * @param targetMode whether each sequence carries per-step targets or one last-step target
     * @param sequences  the examples; each is checked against the above
     */
    public SequenceDataset(int inputSize, HeadKind kind, int targetSize, OutputMode targetMode,
                           List<Sequence> sequences) {
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("A data set needs at least one sequence");
        }
        this.inputSize = inputSize;
        this.kind = kind;
        this.targetSize = kind == HeadKind.CLASSIFICATION ? 1 : targetSize;
        this.targetMode = targetMode;
        this.sequences = List.copyOf(sequences);
        for (int k = 0; k < this.sequences.size(); k++) {
            Sequence s = this.sequences.get(k);
            int rows = targetMode == OutputMode.EVERY_STEP ? s.length() : 1;
            String where = "sequence " + k + ": ";
            if (s.inputs().length != s.length() * inputSize) {
                throw new IllegalArgumentException(where + "inputs have " + s.inputs().length
                        + " values, expected length*I = " + s.length() + "*" + inputSize);
            }
            int bad = firstNonFinite(s.inputs());
            if (bad >= 0) {
                throw new IllegalArgumentException(where + "input " + s.inputs()[bad] + " at step " + (bad / inputSize + 1)
                        + " (feature " + bad % inputSize + "): the data must be finite");
            }
            if (kind == HeadKind.REGRESSION) {
                if (s.targets() == null || s.targets().length != rows * targetSize) {
                    throw new IllegalArgumentException(where + "expected " + rows * targetSize + " regression targets");
                }
                bad = firstNonFinite(s.targets());
                if (bad >= 0) {
                    throw new IllegalArgumentException(where + "target " + s.targets()[bad]
                            + (targetMode == OutputMode.EVERY_STEP ? " at step " + (bad / targetSize + 1) : "")
                            + ": the data must be finite");
                }
            } else if (s.labels() == null || s.labels().length != rows) {
                throw new IllegalArgumentException(where + "expected " + rows + " class labels");
            }
        }
    }

    public int size() {
        return sequences.size();
    }

    public int inputSize() {
        return inputSize;
    }

    public HeadKind kind() {
        return kind;
    }

    public int targetSize() {
        return targetSize;
    }

    public OutputMode targetMode() {
        return targetMode;
    }

    /** The index of the first NaN or infinite value, or -1. */
    private static int firstNonFinite(float[] values) {
        for (int k = 0; k < values.length; k++) {
            if (!Float.isFinite(values[k])) {
                return k;
            }
        }
        return -1;
    }

    public Sequence get(int index) {
        return sequences.get(index);
    }

    public List<Sequence> sequences() {
        return sequences;
    }

    /** The length of the longest sequence. */
    public int maxLength() {
        return sequences.stream().mapToInt(Sequence::length).max().orElse(0);
    }

    /** The sequences {@code [from, from + count)} as one padded batch. */
    public Batch batch(int from, int count) {
        int[] idx = new int[Math.min(count, size() - from)];
        for (int k = 0; k < idx.length; k++) {
            idx[k] = from + k;
        }
        return batch(idx);
    }

    /** The given sequences as one batch, padded to the longest of them. */
    public Batch batch(int[] indices) {
        int n = indices.length;
        int t = 0;
        for (int i : indices) {
            t = Math.max(t, sequences.get(i).length());
        }
        int s = targetMode == OutputMode.EVERY_STEP ? t : 1;
        float[] x = new float[n * t * inputSize];
        int[] lengths = new int[n];
        float[] targets = kind == HeadKind.REGRESSION ? new float[n * s * targetSize] : null;
        int[] labels = kind == HeadKind.CLASSIFICATION ? new int[n * s] : null;
        for (int b = 0; b < n; b++) {
            Sequence seq = sequences.get(indices[b]);
            lengths[b] = seq.length();
            System.arraycopy(seq.inputs(), 0, x, b * t * inputSize, seq.inputs().length);
            if (targets != null) {
                System.arraycopy(seq.targets(), 0, targets, b * s * targetSize, seq.targets().length);
            } else {
                System.arraycopy(seq.labels(), 0, labels, b * s, seq.labels().length);
            }
        }
        return new Batch(n, t, inputSize, x, lengths, s, targetSize, targets, labels);
    }

    /** Consecutive batches covering the whole set in order (for evaluation). */
    public List<Batch> batches(int batchSize) {
        List<Batch> out = new ArrayList<>();
        for (int from = 0; from < size(); from += batchSize) {
            out.add(batch(from, batchSize));
        }
        return out;
    }

    /**
     * The set's sequences, taken as consecutive chunks of one text, cut into {@code streams} parallel streams of
     * consecutive chunks, as stateful (truncated BPTT) training and evaluation read them: stream {@code b} is one
     * contiguous run of chunks, and batch {@code j} holds chunk {@code j} of every stream, in stream order, so row
     * {@code b} of batch {@code j + 1} continues row {@code b} of batch {@code j}.
     * <pre>
     *   10 chunks, 3 streams, whole = false:   batches [0, 3, 6], [1, 4, 7], [2, 5, 8]      (chunk 9 left out)
     *   10 chunks, 3 streams, whole = true:    batches [0, 4, 7], [1, 5, 8], [2, 6, 9], [3]  (stream 0 is one longer)
     * </pre>
     *
     * @param whole keep every chunk: the first {@code size % streams} streams are one chunk longer, so the last batch
     *              has only their rows (else those chunks are left out and every batch has all streams)
     * @throws IllegalArgumentException if there are fewer chunks than streams
     */
    public List<int[]> streamBatches(int streams, boolean whole) {
        if (streams < 1 || size() < streams) {
            throw new IllegalArgumentException("Stateful batches need at least one chunk per stream: " + size()
                    + " chunks for " + streams + " streams (use a smaller batch size or a shorter --seq-length)");
        }
        int perStream = size() / streams;
        int longer = whole ? size() % streams : 0;
        List<int[]> batches = new ArrayList<>();
        for (int j = 0; j < perStream + (longer > 0 ? 1 : 0); j++) {
            int rows = j < perStream ? streams : longer;
            int[] idx = new int[rows];
            for (int b = 0; b < rows; b++) {
                idx[b] = b * perStream + Math.min(b, longer) + j;
            }
            batches.add(idx);
        }
        return batches;
    }

    /** A permutation of {@code 0..size-1} drawn from {@code rng} (Fisher-Yates). */
    public int[] shuffledOrder(SplittableRandom rng) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size(); i++) {
            order.add(i);
        }
        for (int i = order.size() - 1; i > 0; i--) {
            Collections.swap(order, i, rng.nextInt(i + 1));
        }
        return order.stream().mapToInt(Integer::intValue).toArray();
    }
}
