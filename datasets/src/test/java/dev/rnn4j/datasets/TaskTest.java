package dev.rnn4j.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every task's configuration survives the JSON it is saved as, and its spec fits its data. */
class TaskTest {

    private static List<TaskConfig<?>> tasks(Path corpus) {
        CharTextTask chars = new CharTextTask(() -> "unused: every configuration here names a file");
        return List.of(
                new TaskConfig<>(new FunctionShapesTask(), FunctionShapes.Config.defaults(4).withTest(50, 2, 6)),
                new TaskConfig<>(new SineInverseTask(), new SineInverse.Config(100, 20, 3, 0.16, 0, 10, 4)),
                new TaskConfig<>(new RememberFirstTask(), new RememberFirst.Config(100, 20, 12, 4)),
                new TaskConfig<>(chars, chars.configure(corpus, 8, CharText.Mode.WINDOW, 50, 4)),
                new TaskConfig<>(new AddingTask(), new AddingProblem.Config(100, 20, 10, 4)),
                new TaskConfig<>(new TemporalOrderTask(), new TemporalOrder.Config(100, 20, 10, 12, 4)));
    }

    @Test
    void configurationsRoundTripThroughJsonAndSpecsFitTheData(@TempDir Path dir) throws IOException {
        Path corpus = Files.writeString(dir.resolve("corpus.txt"), "to be or not to be, that is the question. ".repeat(20));
        for (TaskConfig<?> t : tasks(corpus)) {
            TaskConfig<?> back = TaskConfig.fromJson(t.task(), t.toJson());
            assertEquals(t.config(), back.config(), t.name() + ": config after JSON");
            DataSplit data = t.generate();
            ModelSpec spec = t.specFor().setCell(CellType.GRU).setHiddenSize(4).build();
            assertEquals(data.train().inputSize(), spec.inputSize(), t.name() + ": input size");
            assertEquals(data.train().kind(), spec.head(), t.name() + ": head");
            assertEquals(data.train().targetMode(), spec.outputMode(), t.name() + ": output mode");
        }
    }

    @Test
    void charTextConfigurationKeepsItsSavedKeysAndVocabulary(@TempDir Path dir) throws IOException {
        Path corpus = Files.writeString(dir.resolve("c.txt"), "abcabcabd".repeat(30));
        CharTextTask task = new CharTextTask(() -> {
            throw new IllegalArgumentException("no default corpus here");
        });
        CharTextTask.Config c = task.configure(corpus, 5, CharText.Mode.SEQUENCE, 40, 2);
        JsonObject json = task.toJson(c);
        // the keys models saved before the typed tasks carry, so they still load
        for (String key : List.of("text", "seq_length", "mode", "max_sequences", "seed", "characters", "vocabulary")) {
            assertTrue(json.has(key), "saved key " + key + " in " + json);
        }
        assertEquals("sequence", json.get("mode").getAsString());
        assertEquals("abcd", c.vocabulary());
        assertEquals(270, c.characters());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> task.configure(null, 5, CharText.Mode.SEQUENCE, 40, 2));
        assertEquals("no default corpus here", e.getMessage());
    }

    /** The validation text can be read as one stream only when its chunks are all there, in order. */
    @Test
    void charTextSaysWhetherItsValidationChunksAreConsecutive() {
        // validation: the last 30 characters, five chunks of 5 (each needs the character after it)
        String text = "abcdefghij".repeat(30);
        CharText.Config all = new CharText.Config(5, CharText.Mode.SEQUENCE, 5, 0.1, 40, 1);
        assertTrue(CharText.consecutiveValidation(text, all).isPresent());
        assertEquals(CharText.generate(text, all).split().test().size(),
                CharText.consecutiveValidation(text, all).orElseThrow().size(), "generate's validation split");
        CharText.Config cappedConfig = new CharText.Config(5, CharText.Mode.SEQUENCE, 5, 0.1, 3, 1);
        CharText.Data capped = CharText.generate(text, cappedConfig);
        assertEquals(3, capped.split().test().size());
        assertFalse(CharText.consecutiveValidation(text, cappedConfig).isPresent(),
                "evenly spaced chunks do not continue each other");
        assertFalse(CharText.consecutiveValidation(text, new CharText.Config(5, CharText.Mode.WINDOW, 3, 0.1, 40, 1))
                .isPresent(), "windows overlap");
    }

    /**
     * Sine inverse at low noise trains longer on more data by default (chosen on validation seeds, docs/tasks.md);
     * the usual noise keeps the original recipe, and an explicit --train-size or --steps still wins.
     */
    @Test
    void sineInverseAtLowNoiseDefaultsToMoreDataAndSteps() {
        SineInverseTask task = new SineInverseTask();
        SineInverse.Config low = task.configure(TaskOptions.of(java.util.Map.of("noise-variance", "0.0256")), 1);
        assertEquals(1_000_000, low.trainSize());
        assertEquals(300_000, task.recipe(low).steps());
        SineInverse.Config usual = task.configure(TaskOptions.of(java.util.Map.of()), 1);
        assertEquals(20_000, usual.trainSize());
        assertEquals(30_000, task.recipe(usual).steps());
        SineInverse.Config given = task.configure(
                TaskOptions.of(java.util.Map.of("noise-variance", "0.0256", "train-size", "5000")), 1);
        assertEquals(5000, given.trainSize());
    }
}
