package dev.rnn4j.train;

import dev.rnn4j.io.AtomicFiles;
import dev.rnn4j.spi.TrainableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes the training curve as CSV: {@code step,loss,grad_norm} for every step, then the evaluation
 * metrics as extra columns on the steps where they were computed. The file is rewritten atomically at
 * every evaluation and at the end, so a killed run leaves the curve up to its last evaluation.
 */
public final class CsvCurveListener implements TrainingListener {
    private final Path file;
    private final List<String> evalColumns = new ArrayList<>();
    private final List<double[]> steps = new ArrayList<>();
    private final Map<Integer, Map<String, Double>> evals = new HashMap<>();

    public CsvCurveListener(Path file) {
        this.file = file;
    }

    @Override
    public void onResume(TrainableModel model, TrainingState state) {
        steps.clear();
        evals.clear();
        for (int s = 0; s < state.step(); s++) {
            steps.add(new double[] {s + 1, state.lossCurve().get(s), state.gradNorms().get(s)});
        }
        for (TrainingResult.Evaluation e : state.evaluations()) {
            onEval(model, e.step(), e.metrics());
        }
    }

    @Override
    public void onStep(TrainableModel model, int step, double loss, double gradNorm) {
        steps.add(new double[] {step, loss, gradNorm});
    }

    @Override
    public void onEval(TrainableModel model, int step, Map<String, Double> metrics) {
        for (String k : metrics.keySet()) {
            if (!evalColumns.contains(k)) {
                evalColumns.add(k);
            }
        }
        evals.put(step, metrics);
        write();
    }

    @Override
    public void onEnd(TrainableModel model, TrainingResult result) {
        write();
    }

    private void write() {
        List<String> rows = new ArrayList<>();
        StringBuilder header = new StringBuilder("step,loss,grad_norm");
        evalColumns.forEach(c -> header.append(",eval_").append(c));
        rows.add(header.toString());
        for (double[] s : steps) {
            StringBuilder row = new StringBuilder(String.format(Locale.ROOT, "%d,%.8g,%.6g", (int) s[0], s[1], s[2]));
            Map<String, Double> m = evals.get((int) s[0]);
            for (String c : evalColumns) {
                row.append(',');
                if (m != null && m.containsKey(c)) {
                    row.append(String.format(Locale.ROOT, "%.8g", m.get(c)));
                }
            }
            rows.add(row.toString());
        }
        try {
            AtomicFiles.writeString(file, String.join("\n", rows) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write " + file + ": " + e.getMessage(), e);
        }
    }
}
