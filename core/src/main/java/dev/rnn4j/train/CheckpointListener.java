package dev.rnn4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.model.State;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.spec.ModelSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Saves the run at every evaluation into one folder: an ordinary model folder (load it, evaluate it, export it)
 * whose {@code model.json} also carries the training state, so {@link #load} and
 * {@link Trainer#fit(TrainableModel, dev.rnn4j.data.SequenceDataset, dev.rnn4j.data.SequenceDataset, TrainingState)}
 * continue the run exactly. {@link ModelStore} commits each save atomically: a killed run loses at most the work
 * since its last evaluation.
 *
 * <p>Saved: the parameters; the extras {@code optimizer-first} and {@code optimizer-second} (the optimizer's
 * moments); in {@code info}, whatever the caller gave plus {@code step}, {@code training_passes},
 * {@code optimizer_step}, {@code metrics} (the latest evaluation), {@code evaluations}, and {@code loss_curve} and
 * {@code grad_norms} (every step's loss and gradient norm, as exact doubles: a resumed run's curve is the
 * uninterrupted run's, digit for digit). Checkpoints from before kept the curve as a float32 extra {@code curve}
 * ({@code [steps, 2]}); they still load.
 */
public final class CheckpointListener implements TrainingListener {
    private static final String FIRST = "optimizer-first";
    private static final String SECOND = "optimizer-second";
    /** The float32 curve of checkpoints written before the exact one. */
    private static final String CURVE = "curve";
    private static final String LOSS_CURVE = "loss_curve";
    private static final String GRAD_NORMS = "grad_norms";
    private static final String SKIPPED = "skipped_batches";
    /** Stateful training: the state the next batch starts from. */
    private static final String CARRIED = "carried-state";
    /** {@link TrainerConfig#keepBest()}: the best evaluation's parameters, step and metrics. */
    private static final String BEST = "best-parameters";
    private static final String BEST_STEP = "best_step";
    private static final String BEST_METRICS = "best_metrics";

    private final Path dir;
    private final JsonObject info;

    /** A checkpoint read back: the saved model and where its run stood. */
    public record Checkpoint(SavedModel model, TrainingState state) {
    }

    /**
     * @param dir  the checkpoint folder (a normal model folder)
     * @param info saved with every checkpoint (e.g. the task); the training state's fields are added
     */
    public CheckpointListener(Path dir, JsonObject info) {
        this.dir = dir;
        this.info = info.deepCopy();
    }

    @Override
    public void onState(TrainableModel model, TrainingState state) {
        JsonObject i = info.deepCopy();
        i.addProperty("step", state.step());
        i.addProperty("training_passes", state.trainingPasses());
        i.addProperty("optimizer_step", state.optimizer().step());
        List<TrainingResult.Evaluation> evals = state.evaluations();
        if (!evals.isEmpty()) {
            i.add("metrics", json(evals.get(evals.size() - 1).metrics()));
        }
        JsonArray ev = new JsonArray();
        for (TrainingResult.Evaluation e : evals) {
            JsonObject o = new JsonObject();
            o.addProperty("step", e.step());
            o.add("metrics", json(e.metrics()));
            ev.add(o);
        }
        i.add("evaluations", ev);
        i.addProperty(SKIPPED, state.skippedBatches());
        i.add(LOSS_CURVE, doubles(state.lossCurve()));
        i.add(GRAD_NORMS, doubles(state.gradNorms()));
        Map<String, Parameters> extras = new java.util.HashMap<>(Map.of(FIRST, state.optimizer().first(), SECOND,
                state.optimizer().second()));
        if (state.carried() != null) {
            extras.put(CARRIED, carriedTensors(state.carried()));
        }
        if (state.best() != null) {
            extras.put(BEST, state.best().parameters());
            i.addProperty(BEST_STEP, state.best().step());
            i.add(BEST_METRICS, json(state.best().metrics()));
        }
        try {
            ModelStore.save(dir, model.spec(), model.parameters(), i, extras);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads a checkpoint folder written by this listener.
     *
     * @throws IOException              if it is missing or unreadable
     * @throws IllegalArgumentException if it is corrupt or is a plain model folder without training state
     */
    public static Checkpoint load(Path dir) throws IOException {
        SavedModel saved = ModelStore.load(dir);
        try {
            return state(dir, saved);
        } catch (ClassCastException | IllegalStateException | UnsupportedOperationException | NullPointerException
                 | NumberFormatException e) {
            throw new IllegalArgumentException("Corrupt checkpoint " + dir.resolve(ModelStore.MODEL_JSON)
                    + ": its training state is missing a field or has a malformed one (" + e.getMessage() + ")", e);
        }
    }

    private static Checkpoint state(Path dir, SavedModel saved) {
        JsonObject i = saved.info();
        boolean exact = i.has(LOSS_CURVE) && i.has(GRAD_NORMS);
        if (!i.has("step") || !i.has("training_passes") || !exact && !saved.extras().containsKey(CURVE)) {
            throw new IllegalArgumentException(dir + " holds a model but no training state to resume from");
        }
        int step = i.get("step").getAsInt();
        List<Double> losses = new ArrayList<>(step);
        List<Double> norms = new ArrayList<>(step);
        if (exact) {
            i.getAsJsonArray(LOSS_CURVE).forEach(v -> losses.add(v.getAsDouble()));
            i.getAsJsonArray(GRAD_NORMS).forEach(v -> norms.add(v.getAsDouble()));
        } else {
            float[] curve = saved.extras().get(CURVE).get(CURVE).data();
            for (int s = 0; s + 1 < curve.length; s += 2) {
                losses.add((double) curve[s]);
                norms.add((double) curve[s + 1]);
            }
        }
        if (losses.size() != step || norms.size() != step) {
            throw new IllegalArgumentException("Corrupt checkpoint " + dir + ": " + losses.size() + " losses and "
                    + norms.size() + " gradient norms for step " + step);
        }
        List<TrainingResult.Evaluation> evals = new ArrayList<>();
        for (JsonElement e : i.getAsJsonArray("evaluations")) {
            JsonObject o = e.getAsJsonObject();
            evals.add(new TrainingResult.Evaluation(o.get("step").getAsInt(), metrics(o.getAsJsonObject("metrics"))));
        }
        if (!saved.extras().containsKey(FIRST) || !saved.extras().containsKey(SECOND)) {
            throw new IllegalArgumentException("Corrupt checkpoint " + dir + ": the optimizer state files are missing");
        }
        Optimizer.State opt = new Optimizer.State(i.get("optimizer_step").getAsInt(), saved.extras().get(FIRST),
                saved.extras().get(SECOND));
        int skipped = i.has(SKIPPED) ? i.get(SKIPPED).getAsInt() : 0;
        State carried = saved.extras().containsKey(CARRIED) ? carried(saved.spec(), saved.extras().get(CARRIED)) : null;
        TrainingState.Best best = saved.extras().containsKey(BEST) ? new TrainingState.Best(i.get(BEST_STEP).getAsInt(),
                metrics(i.getAsJsonObject(BEST_METRICS)), saved.extras().get(BEST)) : null;
        return new Checkpoint(saved, new TrainingState(step, i.get("training_passes").getAsLong(), opt, losses, norms,
                evals, skipped, carried, best));
    }

    /** The carried state as tensors {@code h.l} (and {@code c.l}), {@code [D, N, H]} each. */
    private static Parameters carriedTensors(State s) {
        Parameters p = new Parameters();
        int[] shape = {s.directions(), s.size(), s.hiddenSize()};
        for (int l = 0; l < s.layers(); l++) {
            p.put(new Tensor("h." + l, shape, s.h(l).clone()));
            if (s.hasCell()) {
                p.put(new Tensor("c." + l, shape, s.c(l).clone()));
            }
        }
        return p;
    }

    private static State carried(ModelSpec spec, Parameters p) {
        float[][] h = new float[spec.numLayers()][];
        float[][] c = spec.cell().hasCellState() ? new float[spec.numLayers()][] : null;
        for (int l = 0; l < h.length; l++) {
            h[l] = p.get("h." + l).data();
            if (c != null) {
                c[l] = p.get("c." + l).data();
            }
        }
        return State.of(spec, h, c);
    }

    private static Map<String, Double> metrics(JsonObject json) {
        Map<String, Double> m = new LinkedHashMap<>();
        json.entrySet().forEach(x -> m.put(x.getKey(), x.getValue().getAsDouble()));
        return m;
    }

    private static JsonArray doubles(List<Double> values) {
        JsonArray a = new JsonArray(values.size());
        values.forEach(a::add);
        return a;
    }

    private static JsonObject json(Map<String, Double> metrics) {
        JsonObject m = new JsonObject();
        metrics.forEach(m::addProperty);
        return m;
    }
}
