package dev.rnn4j.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.config.Backends;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.datasets.FunctionShapes;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.Metrics;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingResult;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The foundation's convergence check: an LSTM (hidden 100) on function shapes with fixed k and b,
 * trained on 8 points and tested on 4, reaches at least 99% per-step test accuracy, and the same seed
 * gives the same run. The budget (400 steps) is far above what it needs (about 50); the assertion is on
 * accuracy, not time.
 */
class FunctionShapesConvergenceTest {

    private TrainingResult train(Backend backend, DataSplit data) {
        ModelSpec spec = ModelSpec.builder().setCell(CellType.LSTM).setInputSize(2).setHiddenSize(100)
                .setHead(HeadKind.CLASSIFICATION, 3).setOutputMode(OutputMode.EVERY_STEP).build();
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(400).optBatchSize(32).optEvalEvery(25)
                .optOptimizer(OptimizerConfig.adam(3e-3f)).optClipNorm(5).optTarget(Metrics.ACCURACY, 0.99)
                .optSeed(1).build();
        try (TrainableModel model = backend.newTrainableModel(spec, Initializer.initialize(spec, 1), 1)) {
            return new Trainer(config, List.of()).fit(model, data.train(), data.test());
        }
    }

    @Test
    void lstmLearnsFunctionShapesDeterministically() {
        Backend backend = Backends.create("native", EnumSet.of(Capability.TRAINING));
        DataSplit data = FunctionShapes.generate(new FunctionShapes.Config(1000, 500, 8, 8, 4, 4,
                FunctionShapes.Coefficients.FIXED, false, OutputMode.EVERY_STEP, 1));
        TrainingResult first = train(backend, data);
        assertTrue(first.finalMetrics().get(Metrics.ACCURACY) >= 0.99,
                "test accuracy " + first.finalMetrics() + " after " + first.steps() + " steps");
        assertEquals(TrainingResult.StopReason.TARGET_REACHED, first.stopReason());
        TrainingResult second = train(backend, data);
        assertEquals(first.lossCurve(), second.lossCurve(), "same seed, same backend: same loss curve");
        assertEquals(first.finalMetrics(), second.finalMetrics());
    }
}
