package dev.rnn4j.train;

import dev.rnn4j.data.Batch;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Evaluation of a model on a data set, over valid positions only.
 *
 * <p>Classification gives {@code loss} (mean cross-entropy), {@code accuracy} (share of correct
 * predictions over all valid positions: every valid step for per-step targets) and, for per-step
 * targets, {@code last_step_accuracy} (only each sequence's last valid step). Regression gives
 * {@code loss} and {@code mse} (the same number: mean squared error per output value).
 */
public final class Metrics {
    public static final String LOSS = "loss";
    public static final String ACCURACY = "accuracy";
    public static final String LAST_STEP_ACCURACY = "last_step_accuracy";
    public static final String MSE = "mse";
    public static final String MAE = "mae";
    /**
     * How many parallel streams a stateful evaluation (training's and {@code eval}'s) cuts the held-out text into: one,
     * so it reads the whole text in order, as generation does. A stateful model depends on how long its state has run
     * (seen on tinyshakespeare: the same checkpoint scored 2.22 nats per character in 32 streams of 35 chunks, 1.63 in
     * 8 streams), so fewer, longer streams measure what a user gets; one stream costs about 8 s there on 2 cores.
     */
    public static final int STATEFUL_STREAMS = 1;

    private Metrics() {
    }

    /** Whether a larger value of the named metric is better. */
    public static boolean higherIsBetter(String metric) {
        return metric.contains("accuracy");
    }

    /** Evaluates {@code model} on all of {@code data} in batches of {@code batchSize}. */
    public static Map<String, Double> evaluate(Model model, SequenceDataset data, int batchSize) {
        Tally tally = new Tally(model.spec().head());
        for (Batch batch : data.batches(batchSize)) {
            tally.add(batch, model.forward(batch));
        }
        return tally.metrics();
    }

    /**
     * Evaluates {@code model} statefully on all of {@code data}, taken as consecutive chunks of one text: cut into
     * {@code streams} parallel streams ({@link SequenceDataset#streamBatches} with every chunk kept), each chunk starts
     * from the state the stream's previous chunk ended with (the first from zeros).
     */
    public static Map<String, Double> evaluateStateful(Model model, SequenceDataset data, int streams) {
        Tally tally = new Tally(model.spec().head());
        State state = null;
        for (int[] rows : data.streamBatches(Math.min(streams, data.size()), true)) {
            Batch batch = data.batch(rows);
            if (state != null && state.size() > rows.length) {
                state = state.firstRows(rows.length); // the last batch: only the streams one chunk longer
            }
            StatefulOutput out = model.forward(batch, state);
            tally.add(batch, out.output());
            state = out.state();
        }
        return tally.metrics();
    }

    /** Sums over batches: loss, correct predictions, positions. */
    private static final class Tally {
        private final HeadKind head;
        private double lossSum;
        private double absSum;
        private long positions;
        private long correct;
        private long lastCorrect;
        private long sequences;

        Tally(HeadKind head) {
            this.head = head;
        }

        void add(Batch batch, Output out) {
            LossResult loss = Losses.compute(head, out, batch);
            long valid = Losses.validPositions(out, batch);
            lossSum += loss.value() * valid;
            positions += valid;
            if (head == HeadKind.REGRESSION) {
                absSum += Losses.mae(out, batch).value() * valid;
            }
            if (head == HeadKind.CLASSIFICATION) {
                for (int n = 0; n < out.size(); n++) {
                    int steps = Losses.validSteps(out, batch, n);
                    for (int s = 0; s < steps; s++) {
                        boolean ok = argmax(out, n, s) == batch.labels()[n * out.steps() + s];
                        if (ok) {
                            correct++;
                        }
                        if (s == steps - 1 && ok) {
                            lastCorrect++;
                        }
                    }
                    sequences++;
                }
            }
        }

        Map<String, Double> metrics() {
            Map<String, Double> m = new LinkedHashMap<>();
            m.put(LOSS, lossSum / positions);
            if (head == HeadKind.CLASSIFICATION) {
                m.put(ACCURACY, (double) correct / positions);
                m.put(LAST_STEP_ACCURACY, (double) lastCorrect / sequences); // equal to accuracy for last-step models
            } else {
                m.put(MSE, lossSum / positions);
                m.put(MAE, absSum / positions);
            }
            return m;
        }
    }

    /** Index of the largest output at (n, s); ties go to the lowest index. */
    public static int argmax(Output out, int n, int s) {
        int best = 0;
        for (int k = 1; k < out.width(); k++) {
            if (out.get(n, s, k) > out.get(n, s, best)) {
                best = k;
            }
        }
        return best;
    }
}
