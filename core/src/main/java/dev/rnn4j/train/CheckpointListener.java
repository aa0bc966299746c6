package dev.rnn4j.train;

import com.google.gson.JsonObject;
import dev.rnn4j.io.ModelStore;
import dev.rnn4j.spi.TrainableModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Saves the model to a folder at every evaluation, atomically, with the step and the metrics in
 * {@code info}. A killed run loses at most the work since its last evaluation.
 */
public final class CheckpointListener implements TrainingListener {
    private final Path dir;
    private final JsonObject info;

    /**
     * @param dir  the checkpoint folder (a normal model folder)
     * @param info saved with every checkpoint (e.g. the task); {@code step} and {@code metrics} are added
     */
    public CheckpointListener(Path dir, JsonObject info) {
        this.dir = dir;
        this.info = info.deepCopy();
    }

    @Override
    public void onEval(TrainableModel model, int step, Map<String, Double> metrics) {
        JsonObject i = info.deepCopy();
        i.addProperty("step", step);
        JsonObject m = new JsonObject();
        metrics.forEach(m::addProperty);
        i.add("metrics", m);
        try {
            ModelStore.save(dir, model.spec(), model.parameters(), i);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write checkpoint to " + dir + ": " + e.getMessage(), e);
        }
    }
}
