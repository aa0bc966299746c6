package dev.rnn4j.testing;

import dev.rnn4j.data.Batch;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.model.State;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Small random specs and batches for tests. */
public final class TestData {

    private TestData() {
    }

    /** A small spec: I=3, H=4, C=3 (regression: 2 outputs). */
    public static ModelSpec spec(CellType cell, int layers, OutputMode mode, HeadKind head) {
        ModelSpec.Builder b = ModelSpec.builder().setCell(cell).setInputSize(3).setHiddenSize(4)
                .optNumLayers(layers).setHead(head, head == HeadKind.REGRESSION ? 2 : 3);
        if (cell == CellType.MLP) {
            b.optWindow(4).setOutputMode(OutputMode.LAST_STEP);
        } else {
            b.setOutputMode(mode);
        }
        return b.build();
    }

    /** One spec per cell variant: every cell type, and the GRU also with linear_before_reset = 0. */
    public static List<ModelSpec> cellVariants() {
        List<ModelSpec> list = new ArrayList<>();
        for (CellType cell : CellType.values()) {
            list.add(spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION));
            if (cell == CellType.GRU) {
                list.add(spec(cell, 1, OutputMode.LAST_STEP, HeadKind.REGRESSION).toBuilder()
                        .optLinearBeforeReset(false).build());
            }
        }
        return list;
    }

    /** A short test name such as {@code GRU(lbr=0) x2 EVERY_STEP CLASSIFICATION}. */
    public static String label(ModelSpec spec) {
        String cell = spec.cell() == CellType.GRU ? "GRU(lbr=" + (spec.linearBeforeReset() ? 1 : 0) + ")"
                : spec.cell().toString();
        return cell + (spec.bidirectional() ? " bidirectional" : "") + " x" + spec.numLayers() + " " + spec.outputMode()
                + " " + spec.head();
    }

    /**
     * A batch of {@code n} sequences with inputs in [-1, 1) and lengths drawn in {@code [1, maxT]} (all equal
     * to {@code maxT} for the MLP, whose window is fixed); the first sequence always has length {@code maxT}.
     */
    public static Batch batch(ModelSpec spec, int n, int maxT, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int t = spec.cell() == CellType.MLP ? spec.window() : maxT;
        int[] lengths = new int[n];
        for (int i = 0; i < n; i++) {
            lengths[i] = spec.cell() == CellType.MLP || i == 0 ? t : 1 + rng.nextInt(t);
        }
        return batch(spec, lengths, t, rng);
    }

    /**
     * A batch of sequences of exactly these lengths, padded to the longest (the MLP's window for the MLP, whose
     * sequences all have that length), inputs in [-1, 1) and targets drawn from {@code seed}.
     */
    public static Batch batch(ModelSpec spec, int[] lengths, long seed) {
        int longest = java.util.Arrays.stream(lengths).max().orElseThrow();
        if (spec.cell() == CellType.MLP) {
            return batch(spec, lengths.length, spec.window(), seed);
        }
        return batch(spec, lengths.clone(), longest, new SplittableRandom(seed));
    }

    /**
     * Twice the default initialisation from {@code seed}: larger weights make the gates and tanh work off their linear
     * region, where a wrong gradient term shows (the gradient checks use these).
     */
    public static Parameters largeWeights(ModelSpec spec, long seed) {
        Parameters params = Initializer.initialize(spec, seed);
        for (var t : params) {
            float[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= 2f;
            }
        }
        return params;
    }

    /**
     * {@code n} sequences of {@code steps} steps of {@code inputSize} values in [-1, 1) drawn from {@code seed}, each
     * labelled with its first value (one regression output at the last step): a small set for training loops.
     */
    public static SequenceDataset firstValueSet(int inputSize, int n, int steps, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Sequence> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            float[] x = new float[steps * inputSize];
            for (int k = 0; k < x.length; k++) {
                x[k] = (float) rng.nextDouble(-1, 1);
            }
            list.add(Sequence.regression(x, steps, new float[] {x[0]}));
        }
        return new SequenceDataset(inputSize, HeadKind.REGRESSION, 1, OutputMode.LAST_STEP, list);
    }

    /** A state of {@code spec} for {@code n} sequences with every value in [-0.5, 0.5), from {@code seed}. */
    public static State state(ModelSpec spec, int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        State s = State.zeros(spec, n);
        for (int l = 0; l < s.layers(); l++) {
            fill(s.h(l), rng);
            if (s.hasCell()) {
                fill(s.c(l), rng);
            }
        }
        return s;
    }

    private static void fill(float[] a, SplittableRandom rng) {
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) (rng.nextDouble() - 0.5);
        }
    }

    /**
     * Steps {@code [from, to)} of {@code b}'s inputs as an inference batch; a sequence's length there is how many of
     * its valid steps fall in the range (every sequence must keep at least one).
     */
    public static Batch steps(Batch b, int from, int to) {
        int t = to - from;
        int in = b.inputSize();
        float[] x = new float[b.size() * t * in];
        int[] lengths = new int[b.size()];
        for (int n = 0; n < b.size(); n++) {
            lengths[n] = Math.min(b.lengths()[n], to) - from;
            System.arraycopy(b.inputs(), (n * b.steps() + from) * in, x, n * t * in, Math.max(lengths[n], 0) * in);
        }
        return Batch.of(x, lengths, in);
    }

    /** Sequence {@code n} of {@code b} alone, unpadded, as an inference batch. */
    public static Batch sequence(Batch b, int n) {
        int in = b.inputSize();
        int len = b.lengths()[n];
        float[] x = java.util.Arrays.copyOfRange(b.inputs(), n * b.steps() * in, (n * b.steps() + len) * in);
        return Batch.of(x, new int[] {len}, in);
    }

    private static Batch batch(ModelSpec spec, int[] lengths, int t, SplittableRandom rng) {
        int n = lengths.length;
        int in = spec.inputSize();
        float[] x = new float[n * t * in];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < lengths[i] * in; k++) {
                x[i * t * in + k] = (float) (rng.nextDouble() * 2 - 1);
            }
        }
        int s = spec.outputMode() == OutputMode.EVERY_STEP ? t : 1;
        if (spec.head() == HeadKind.REGRESSION) {
            float[] y = new float[n * s * spec.outputSize()];
            for (int i = 0; i < n; i++) {
                int rows = s == 1 ? 1 : lengths[i];
                for (int k = 0; k < rows * spec.outputSize(); k++) {
                    y[i * s * spec.outputSize() + k] = (float) (rng.nextDouble() * 2 - 1);
                }
            }
            return new Batch(n, t, in, x, lengths, s, spec.outputSize(), y, null);
        }
        int[] labels = new int[n * s];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = rng.nextInt(spec.outputSize());
        }
        return new Batch(n, t, in, x, lengths, s, 1, null, labels);
    }
}
