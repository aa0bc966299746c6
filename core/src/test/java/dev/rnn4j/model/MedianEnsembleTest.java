package dev.rnn4j.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rnn4j.data.Batch;
import dev.rnn4j.testing.FixedOutputModel;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The median of the members' outputs, value by value; the mean of the middle two for an even count. */
class MedianEnsembleTest {
    private static final Batch ONE = Batch.of(new float[][][] {{{0f}}});

    @Test
    void medianValueByValue() {
        Model a = new FixedOutputModel(new float[] {1, 10, -3});
        Model b = new FixedOutputModel(new float[] {5, 2, -1});
        Model c = new FixedOutputModel(new float[] {3, 100, -2});
        assertArrayEquals(new float[] {3, 10, -2}, new MedianEnsemble(List.of(a, b, c)).forward(ONE).values());
        assertArrayEquals(new float[] {3, 6, -2}, new MedianEnsemble(List.of(a, b)).forward(ONE).values());
        assertArrayEquals(new float[] {1, 10, -3}, new MedianEnsemble(List.of(a)).forward(ONE).values());
        assertThrows(IllegalArgumentException.class, () -> new MedianEnsemble(List.of()));
        assertThrows(UnsupportedOperationException.class, () -> new MedianEnsemble(List.of(a, b)).forward(ONE, null));
    }
}
