package dev.rnn4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.spec.CellType;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.ModelSpec;
import dev.rnn4j.spec.OutputMode;
import dev.rnn4j.testing.ModelAssertions;
import dev.rnn4j.testing.TestData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelStoreTest {
    @TempDir
    Path dir;

    private final ModelSpec spec = TestData.spec(CellType.LSTM_PEEPHOLE, 2, OutputMode.EVERY_STEP,
            HeadKind.CLASSIFICATION);

    @Test
    void roundTrip() throws IOException {
        Parameters p = Initializer.initialize(spec, 3);
        JsonObject info = new JsonObject();
        info.addProperty("task", "function-shapes");
        ModelStore.save(dir, spec, p, info);
        SavedModel m = ModelStore.load(dir);
        assertEquals(spec, m.spec());
        assertEquals("function-shapes", m.info().get("task").getAsString());
        ModelAssertions.assertParametersClose(p, m.parameters(), 0, "round trip");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void truncatedParametersFailClearly() throws IOException {
        ModelStore.save(dir, spec, Initializer.initialize(spec, 3), null);
        Path bin = dir.resolve(ModelStore.PARAMETERS_BIN);
        byte[] bytes = Files.readAllBytes(bin);
        Files.write(bin, Arrays.copyOf(bytes, bytes.length / 2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelStore.load(dir));
        assertTrue(e.getMessage().contains("Corrupt model"), e.getMessage());
        IllegalArgumentException e2 = assertThrows(IllegalArgumentException.class,
                () -> ModelStore.decodeParameters(Arrays.copyOf(bytes, bytes.length / 2), "x.bin"));
        assertTrue(e2.getMessage().contains("x.bin is corrupt or truncated"), e2.getMessage());
    }

    @Test
    void parametersThatDoNotMatchTheSpecAreRejected() {
        Parameters other = Initializer.initialize(spec.toBuilder().setHiddenSize(5).build(), 1);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ModelStore.save(dir, spec, other, null));
        assertTrue(e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void notAModelFolder() {
        assertThrows(IOException.class, () -> ModelStore.load(dir.resolve("nothing")));
    }
}
