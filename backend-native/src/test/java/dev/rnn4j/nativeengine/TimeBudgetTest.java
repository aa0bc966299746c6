package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.config.Backends;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.TestData;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.spi.TrainableModel;
import dev.rnn4j.train.LearningRateSchedule;
import dev.rnn4j.train.OptimizerConfig;
import dev.rnn4j.train.Trainer;
import dev.rnn4j.train.TrainerConfig;
import dev.rnn4j.train.TrainingListener;
import dev.rnn4j.train.TrainingResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A cosine schedule under a time limit with no step count anneals over the steps that fit in the time: the trainer
 * fits the budget at the evaluations after its warm-up steps and the run ends at that budget, not at the clock with
 * the rate still near its start. Evaluations every 40 steps, a multiple of the 20 warm-up steps: the time per step
 * must be measured from one fixed step on (a clock that restarted every 20 steps never fitted a budget at them).
 */
class TimeBudgetTest {

    @Test
    void aCosineUnderATimeLimitGetsAFittedBudget() {
        Backend backend = Backends.create("native", EnumSet.of(Capability.TRAINING));
        ModelSpec spec = ModelSpec.builder().setCell(CellType.LSTM).setInputSize(1).setHiddenSize(8)
                .setHead(HeadKind.REGRESSION, 1).setOutputMode(OutputMode.LAST_STEP).build();
        SequenceDataset data = TestData.firstValueSet(1, 64, 10, 1);
        TrainerConfig config = TrainerConfig.builder().optMaxSteps(Integer.MAX_VALUE).optBatchSize(16).optEvalEvery(40)
                .optOptimizer(OptimizerConfig.adam(1e-2f)).optSchedule(LearningRateSchedule.cosine(0.01))
                .optTimeLimit(Duration.ofMillis(1500)).optSeed(2).build();
        List<Integer> budgets = new ArrayList<>();
        TrainingListener record = new TrainingListener() {
            @Override
            public void onBudget(int maxSteps) {
                budgets.add(maxSteps);
            }
        };
        try (TrainableModel model = backend.newTrainableModel(spec, Initializer.initialize(spec, 2), 2)) {
            TrainingResult result = new Trainer(config, List.of(record)).fit(model, data, data);
            assertFalse(budgets.isEmpty(), "the budget was fitted");
            int last = budgets.get(budgets.size() - 1);
            assertTrue(last < Integer.MAX_VALUE && result.steps() <= last, "ended within the fitted budget " + last
                    + " after " + result.steps() + " steps; budgets " + budgets);
        }
    }
}
