package dev.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.data.Batch;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.ModelSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The median of the members' outputs, value by value; the mean of the middle two for an even count. */
class MedianEnsembleTest {
    private record Fixed(float[] values) implements Model {
        @Override
        public ModelSpec spec() {
            return null;
        }

        @Override
        public Output forward(Batch batch) {
            return new Output(values, 1, 1, values.length);
        }

        @Override
        public StatefulOutput forward(Batch batch, State initial) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Parameters parameters() {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void medianValueByValue() {
        Model a = new Fixed(new float[] {1, 10, -3});
        Model b = new Fixed(new float[] {5, 2, -1});
        Model c = new Fixed(new float[] {3, 100, -2});
        assertArrayEquals(new float[] {3, 10, -2}, new MedianEnsemble(List.of(a, b, c)).forward(null).values());
        assertArrayEquals(new float[] {3, 6, -2}, new MedianEnsemble(List.of(a, b)).forward(null).values());
        assertArrayEquals(new float[] {1, 10, -3}, new MedianEnsemble(List.of(a)).forward(null).values());
        assertThrows(IllegalArgumentException.class, () -> new MedianEnsemble(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> new MedianEnsemble(List.of(a, b)).forward(null, null));
    }
}
