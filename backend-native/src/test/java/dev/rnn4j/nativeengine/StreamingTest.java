package dev.rnn4j.nativeengine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.Rnn4j;
import dev.rnn4j.RnnModel;
import dev.rnn4j.StreamingPredictor;
import dev.rnn4j.data.Batch;
import dev.rnn4j.model.Output;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.TestData;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** {@link StreamingPredictor}: one step per call gives what one call over the whole sequences gives. */
class StreamingTest {

    private static ModelSpec spec(CellType cell) {
        return ModelSpec.builder().setCell(cell).setInputSize(3).setHiddenSize(5).optNumLayers(2)
                .setHead(HeadKind.CLASSIFICATION, 4).setOutputMode(OutputMode.EVERY_STEP).build();
    }

    /** Streams of different lengths (a stream restarted with reset) match whole-sequence outputs within 1e-5. */
    @ParameterizedTest
    @EnumSource(value = CellType.class, names = "MLP", mode = EnumSource.Mode.EXCLUDE)
    void steppingMatchesOneCallOverTheWholeSequences(CellType cell) {
        ModelSpec spec = spec(cell);
        Batch whole = TestData.batch(spec, new int[] {7, 7}, 3);
        Batch restarted = TestData.steps(whole, 4, 7); // what stream 1 sees after its reset
        try (RnnModel model = Rnn4j.model(spec).optSeed(2).optBackend("native").build();
             StreamingPredictor stream = model.stream(2)) {
            Output expected = model.predict(whole);
            Output expectedAfterReset = model.predict(restarted);
            for (int t = 0; t < 7; t++) {
                if (t == 4) {
                    stream.reset(1);
                }
                float[][] x = new float[2][3];
                for (int n = 0; n < 2; n++) {
                    System.arraycopy(whole.inputs(), (n * 7 + t) * 3, x[n], 0, 3);
                }
                float[][] y = stream.step(x);
                for (int c = 0; c < 4; c++) {
                    assertEquals(expected.get(0, t, c), y[0][c], 1e-5, cell + " stream 0 step " + t);
                    float want = t < 4 ? expected.get(1, t, c) : expectedAfterReset.get(1, t - 4, c);
                    assertEquals(want, y[1][c], 1e-5, cell + " stream 1 step " + t);
                }
            }
        }
    }

    @Test
    void misuseIsRefusedClearly() throws Exception {
        ModelSpec spec = spec(CellType.LSTM);
        try (RnnModel model = Rnn4j.model(spec).optSeed(2).optBackend("native").build()) {
            StreamingPredictor stream = model.stream(2);
            IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
                    () -> stream.step(new float[1][3]));
            assertEquals("step expects x of shape [2, 3] (one row per stream), got 1 rows", rows.getMessage());
            IllegalArgumentException width = assertThrows(IllegalArgumentException.class,
                    () -> stream.step(new float[][] {{1, 2, 3}, {1, 2}}));
            assertEquals("step expects x of shape [2, 3], row 1 has 2 values", width.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> stream.reset(2));
            ExecutionException other = assertThrows(ExecutionException.class,
                    () -> CompletableFuture.runAsync(() -> stream.step(new float[2][3])).get());
            assertTrue(other.getCause().getMessage().startsWith("A stream is confined to the thread that first used it"),
                    other.getCause().getMessage());
            stream.close();
            IllegalStateException closed = assertThrows(IllegalStateException.class, () -> stream.step(new float[2][3]));
            assertEquals("This stream is closed", closed.getMessage());
            model.predict(new float[][][] {{{1, 2, 3}}}); // the model stays open
        }
        ModelSpec mlp = ModelSpec.builder().setCell(CellType.MLP).setInputSize(1).setHiddenSize(4).optWindow(3)
                .setHead(HeadKind.REGRESSION, 1).build();
        try (RnnModel model = Rnn4j.model(mlp).optBackend("native").build()) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> model.stream(1));
            assertEquals("The MLP baseline has no recurrent state", e.getMessage());
        }
    }
}
