package dev.rnn4j.train;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.params.ParameterLayout;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import org.junit.jupiter.api.Test;

/** A model too large for the heap is refused before any work, naming its size and the heap. */
class HeapCheckTest {

    private static ModelSpec lstm(int hidden) {
        return ModelSpec.builder().setCell(CellType.LSTM).setInputSize(1).setHiddenSize(hidden)
                .setHead(HeadKind.REGRESSION, 1).build();
    }

    @Test
    void theParameterCountIsExactAndNeedsNoAllocation() {
        // W [4H, 1], R [4H, H], B [8H], head W [1, H] and b [1]
        assertEquals(4 * 100 + 4 * 100 * 100 + 8 * 100 + 100 + 1, ParameterLayout.scalarCount(lstm(100)));
        assertEquals(4L * 40_000 * 40_000 + 13L * 40_000 + 1, ParameterLayout.scalarCount(lstm(40_000)),
                "beyond an int, counted without allocating 25 GB");
    }

    @Test
    void theNativeEngineNeedsSixCopiesOthersTwo() {
        long bytes = ParameterLayout.scalarCount(lstm(100)) * Float.BYTES;
        assertDoesNotThrow(() -> TrainingSession.requireHeapFor(lstm(100), "native", 6 * bytes));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingSession.requireHeapFor(lstm(100), "native", 6 * bytes - 1));
        assertTrue(e.getMessage().startsWith("the model has 41,301 parameters; training it on native needs about "
                + "1 MB of heap and the JVM may use 1 MB: make the model smaller"), e.getMessage());
        assertDoesNotThrow(() -> TrainingSession.requireHeapFor(lstm(100), "pytorch", 2 * bytes));
        assertThrows(IllegalArgumentException.class, () -> TrainingSession.requireHeapFor(lstm(100), "pytorch",
                2 * bytes - 1));
    }

    @Test
    void aTensorNoArrayHoldsIsRefusedWhateverTheHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainingSession.requireHeapFor(lstm(40_000), "pytorch", Long.MAX_VALUE));
        assertTrue(e.getMessage().contains("one tensor of 6,400,000,000, more than a Java array holds"), e.getMessage());
    }
}
