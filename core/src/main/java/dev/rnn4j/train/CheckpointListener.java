package dev.rnn4j.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.io.SavedModel;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
import dev.rnn4j.model.TrainableModel;
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
 * moments) and {@code curve} ({@code [steps, 2]}: loss and gradient norm of every step); in {@code info}, whatever
 * the caller gave plus {@code step}, {@code training_passes}, {@code optimizer_step}, {@code metrics} (the latest
 * evaluation) and {@code evaluations}.
 */
public final class CheckpointListener implements TrainingListener {
    private static final String FIRST = "optimizer-first";
    private static final String SECOND = "optimizer-second";
    private static final String CURVE = "curve";

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
        float[] curve = new float[2 * state.step()];
        for (int s = 0; s < state.step(); s++) {
            curve[2 * s] = state.lossCurve().get(s).floatValue();
            curve[2 * s + 1] = state.gradNorms().get(s).floatValue();
        }
        Map<String, Parameters> extras = Map.of(FIRST, state.optimizer().first(), SECOND, state.optimizer().second(),
                CURVE, new Parameters().put(new Tensor(CURVE, new int[] {state.step(), 2}, curve)));
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
        JsonObject i = saved.info();
        if (!i.has("step") || !i.has("training_passes") || !saved.extras().containsKey(CURVE)) {
            throw new IllegalArgumentException(dir + " holds a model but no training state to resume from");
        }
        int step = i.get("step").getAsInt();
        float[] curve = saved.extras().get(CURVE).get(CURVE).data();
        if (curve.length != 2 * step) {
            throw new IllegalArgumentException("Corrupt checkpoint " + dir + ": " + curve.length / 2
                    + " curve entries for step " + step);
        }
        List<Double> losses = new ArrayList<>(step);
        List<Double> norms = new ArrayList<>(step);
        for (int s = 0; s < step; s++) {
            losses.add((double) curve[2 * s]);
            norms.add((double) curve[2 * s + 1]);
        }
        List<TrainingResult.Evaluation> evals = new ArrayList<>();
        for (JsonElement e : i.getAsJsonArray("evaluations")) {
            JsonObject o = e.getAsJsonObject();
            Map<String, Double> m = new LinkedHashMap<>();
            o.getAsJsonObject("metrics").entrySet().forEach(x -> m.put(x.getKey(), x.getValue().getAsDouble()));
            evals.add(new TrainingResult.Evaluation(o.get("step").getAsInt(), m));
        }
        Optimizer.State opt = new Optimizer.State(i.get("optimizer_step").getAsInt(), saved.extras().get(FIRST),
                saved.extras().get(SECOND));
        return new Checkpoint(saved, new TrainingState(step, i.get("training_passes").getAsLong(), opt, losses, norms,
                evals));
    }

    private static JsonObject json(Map<String, Double> metrics) {
        JsonObject m = new JsonObject();
        metrics.forEach(m::addProperty);
        return m;
    }
}
