package dev.rnn4j.spec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each cell's facts, as ONNX's operator definitions and PyTorch's nn.LSTM/nn.GRU documentation state them. */
class CellTypeTest {
    @Test
    void gateOrdersInBothLayouts() {
        assertEquals(List.of("i", "o", "f", "c"), CellType.LSTM.onnxGates());
        assertEquals(List.of("z", "r", "h"), CellType.GRU.onnxGates());
        // PyTorch: weight_ih_l0 is (W_ii|W_if|W_ig|W_io) and (W_ir|W_iz|W_in)
        assertArrayEquals(new int[] {0, 2, 3, 1}, CellType.LSTM.torchOrder());
        assertArrayEquals(new int[] {1, 0, 2}, CellType.GRU.torchOrder());
        assertArrayEquals(new int[] {0}, CellType.RNN_TANH.torchOrder());
        for (CellType c : CellType.values()) {
            assertEquals(c.gates(), c.torchGates().size(), c + ": both layouts have the same blocks");
            assertTrue(c.torchGates().containsAll(c.onnxGates()), c.toString());
        }
    }

    @Test
    void stateAndVariants() {
        for (CellType c : List.of(CellType.LSTM, CellType.LSTM_PEEPHOLE, CellType.LSTM_CIFG)) {
            assertTrue(c.hasCellState());
            assertEquals("LSTM", c.onnxOp());
        }
        assertFalse(CellType.GRU.hasCellState());
        assertTrue(CellType.LSTM_PEEPHOLE.hasPeepholes());
        assertFalse(CellType.LSTM.hasPeepholes());
        assertTrue(CellType.LSTM_CIFG.couplesInputAndForget());
        assertEquals(Map.of("input_forget", 1), CellType.LSTM_CIFG.onnxAttributes(true));
        assertEquals(Map.of("linear_before_reset", 0), CellType.GRU.onnxAttributes(false));
        assertEquals(Map.of(), CellType.RNN_TANH.onnxAttributes(true));
        assertThrows(IllegalStateException.class, CellType.MLP::onnxOp);
    }
}
