package dev.rnn4j.io;

import dev.rnn4j.Provenance;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import dev.rnn4j.params.Initializer;
import dev.rnn4j.params.Parameters;
import dev.rnn4j.params.Tensor;
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
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
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
        JsonObject data = new JsonObject();
        data.addProperty("train_size", 12);
        Provenance provenance = Provenance.of("function-shapes", data, 7L, "native");
        ModelStore.save(dir, spec, p, provenance);
        SavedModel m = ModelStore.load(dir);
        assertEquals(spec, m.spec());
        assertEquals("function-shapes", m.info().get("task").getAsString());
        assertEquals(provenance, m.provenance(), "the provenance record comes back whole");
        assertEquals(12, m.provenance().data().get("train_size").getAsInt());
        ModelAssertions.assertParametersClose(p, m.parameters(), 0, "round trip");
        try (var files = Files.list(dir)) {
            assertEquals(2, files.count(), "no temporary files are left behind");
        }
    }

    @Test
    void resavingNeverOverwritesTheFilesTheCommittedModelJsonReferences() throws IOException {
        Parameters first = Initializer.initialize(spec, 1);
        Parameters second = Initializer.initialize(spec, 2);
        Parameters moments = new Parameters().put(new Tensor("m", new int[] {3}, new float[] {1, 2, 3}));
        ModelStore.save(dir, spec, first, null, Map.of("optimizer-first", moments));
        // a save killed after writing its binaries but before model.json: the new files sit beside the old ones
        Files.write(dir.resolve("parameters.alt.bin"), new byte[] {1, 2, 3});
        Files.write(dir.resolve("optimizer-first.alt.bin"), new byte[] {4});
        SavedModel before = ModelStore.load(dir);
        ModelAssertions.assertParametersClose(first, before.parameters(), 0, "the committed model is intact");
        ModelAssertions.assertParametersClose(moments, before.extras().get("optimizer-first"), 0, "extras round trip");

        ModelStore.save(dir, spec, second, null, Map.of("optimizer-first", moments));
        SavedModel after = ModelStore.load(dir);
        ModelAssertions.assertParametersClose(second, after.parameters(), 0, "the new model");
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("model.json", "parameters.alt.bin", "optimizer-first.alt.bin"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()),
                    "the superseded files are deleted");
        }
        ModelStore.save(dir, spec, first, Provenance.unknown());
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("model.json", "parameters.bin"),
                    files.map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
        }
        assertTrue(ModelStore.load(dir).extras().isEmpty());
    }

    @Test
    void truncatedParametersFailClearly() throws IOException {
        ModelStore.save(dir, spec, Initializer.initialize(spec, 3), Provenance.unknown());
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
                () -> ModelStore.save(dir, spec, other, Provenance.unknown()));
        assertTrue(e.getMessage().contains("has shape"), e.getMessage());
    }

    @Test
    void notAModelFolder() {
        assertThrows(IOException.class, () -> ModelStore.load(dir.resolve("nothing")));
    }
}
