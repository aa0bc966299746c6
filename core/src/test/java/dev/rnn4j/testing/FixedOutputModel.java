package dev.rnn4j.testing;

import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.model.State;
import dev.rnn4j.model.StatefulOutput;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;

/**
 * A test double whose output for every sequence of a batch is {@code row} (last-step output, {@code [N, 1, C]}), for
 * code that only reads a model's outputs: ensembles, forecasts from a known network.
 *
 * @param row the C values every sequence gets
 */
public record FixedOutputModel(float[] row) implements Model {

    @Override
    public ModelSpec spec() {
        return null;
    }

    @Override
    public Output forward(Batch batch) {
        float[] values = new float[batch.size() * row.length];
        for (int n = 0; n < batch.size(); n++) {
            System.arraycopy(row, 0, values, n * row.length, row.length);
        }
        return new Output(values, batch.size(), 1, row.length);
    }

    @Override
    public StatefulOutput forward(Batch batch, State initial) {
        throw new UnsupportedOperationException("a fixed-output model has no state");
    }

    @Override
    public Parameters parameters() {
        throw new UnsupportedOperationException("a fixed-output model has no parameters");
    }
}
