package dev.rnn4j.testing;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.spi.TrainableModel;
import java.util.function.LongPredicate;

/**
 * A test double: an engine's model whose training output holds a NaN on the passes {@code poisoned} selects (pass
 * numbers from 1), as a corrupt batch or an overflow would; everything else is the engine's.
 */
public final class PoisonedModel extends ForwardingModel {
    private final LongPredicate poisoned;

    public PoisonedModel(TrainableModel inner, LongPredicate poisoned) {
        super(inner);
        this.poisoned = poisoned;
    }

    @Override
    public Output forwardTrain(Batch batch) {
        Output out = inner.forwardTrain(batch);
        if (!poisoned.test(inner.trainingPasses())) {
            return out;
        }
        float[] values = out.values().clone();
        values[0] = Float.NaN;
        return new Output(values, out.size(), out.steps(), out.width());
    }
}
