package dev.rnn4j.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.config.Backends;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.datasets.RememberFirstTask;
import dev.rnn4j.datasets.TaskConfig;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed in the middle of a curriculum phase and started again with {@code resume} ends exactly where the
 * uninterrupted run ends; a checkpoint from other settings is refused.
 */
class TrainingRunResumeTest {
    private final Backend backend = Backends.create("native", EnumSet.of(Capability.TRAINING));
    private final RememberFirstTask task = new RememberFirstTask();

    private TrainingRun run(int length) {
        TaskConfig<RememberFirst.Config> data = new TaskConfig<>(task, new RememberFirst.Config(200, 50, length, 3));
        ModelSpec spec = data.specFor().setCell(CellType.LSTM).setHiddenSize(6).optNumLayers(2).optDropout(0.2f)
                .build();
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(60).optBatchSize(16).optEvalEvery(5)
                .optOptimizer(OptimizerConfig.adam(0.01f)).optSeed(3).build();
        return new TrainingRun(data, spec, config, 1f, 3);
    }

    /** Throws once {@code at} optimizer steps have run in all (counting every phase). */
    private static TrainingListener killAfter(int at) {
        return new TrainingListener() {
            private int steps;

            @Override
            public void onStep(TrainableModel model, int step, double loss, double gradNorm) {
                if (++steps == at) {
                    throw new IllegalStateException("killed");
                }
            }
        };
    }

    @Test
    void resumedRunEndsWhereTheUninterruptedOneEnds(@TempDir Path dir) throws IOException {
        TrainingRun run = run(12);
        assertTrue(run.task().curriculum().size() >= 2, "the recipe has curriculum phases to cross");
        TrainingRun.Outcome whole = run.run(backend, dir.resolve("whole"));

        Path out = dir.resolve("killed");
        // 60 steps over the phases: killed at step 23 in all, in the second phase, after its checkpoint
        assertThrows(IllegalStateException.class, () -> run.run(backend, out, false, List.of(killAfter(23))));
        TrainingRun.Outcome resumed = run.run(backend, out, true);

        ModelAssertions.assertParametersClose(whole.parameters(), resumed.parameters(), 0, "final parameters");
        assertEquals(whole.testMetric(), resumed.testMetric());
        assertEquals(whole.lossCurve().size(), resumed.lossCurve().size());
        for (int s = 0; s < whole.lossCurve().size(); s++) {
            // steps before the checkpoint come back from the float32 curve it saved
            assertEquals(whole.lossCurve().get(s), resumed.lossCurve().get(s), 1e-6 * whole.lossCurve().get(s),
                    "loss at step " + (s + 1));
        }
    }

    @Test
    void checkpointFromOtherSettingsIsRefused(@TempDir Path dir) throws IOException {
        run(12).run(backend, dir);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run(13).run(backend, dir, true));
        assertTrue(e.getMessage().contains("other settings"), e.getMessage());
    }
}
