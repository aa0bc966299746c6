package dev.rnn4j.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ModelSpecTest {

    @Test
    void jsonRoundTrip() {
        ModelSpec spec = ModelSpec.builder().setCell(CellType.GRU).setInputSize(2).setHiddenSize(7).optNumLayers(2)
                .optDropout(0.25f).setHead(HeadKind.CLASSIFICATION, 3).setOutputMode(OutputMode.EVERY_STEP)
                .optLinearBeforeReset(false).build();
        String json = spec.toJson();
        assertTrue(json.contains("\"linearBeforeReset\": false"), json);
        assertEquals(spec, ModelSpec.fromJson(json));
    }

    @Test
    void invalidValuesAreNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder()
                .setCell(CellType.LSTM).setInputSize(2).setHiddenSize(0).setHead(HeadKind.REGRESSION, 1).build());
        assertEquals("Invalid ModelSpec: hiddenSize must be > 0, got 0", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson(
                "{\"cell\":\"LSTM\",\"inputSize\":2,\"hiddenSize\":4,\"numLayers\":1,\"dropout\":1.5,"
                        + "\"head\":\"REGRESSION\",\"outputSize\":1,\"outputMode\":\"LAST_STEP\"}"));
        assertTrue(e.getMessage().contains("dropout must be in [0, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ModelSpec.fromJson("{not json"));
        assertTrue(e.getMessage().startsWith("Invalid ModelSpec JSON"), e.getMessage());
    }

    @Test
    void mlpNeedsAWindow() {
        assertThrows(IllegalArgumentException.class, () -> ModelSpec.builder().setCell(CellType.MLP).setInputSize(1)
                .setHiddenSize(4).setHead(HeadKind.REGRESSION, 1).build());
    }

    @Test
    void cellNamesParse() {
        assertEquals(CellType.LSTM_PEEPHOLE, CellType.parse("lstm-peephole"));
        assertEquals(CellType.RNN_TANH, CellType.parse("rnn"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CellType.parse("lstn"));
        assertEquals("Unknown cell 'lstn'. Expected one of: rnn, lstm, gru, lstm-peephole, lstm-cifg, mlp",
                e.getMessage());
    }
}
