package dev.rnn4j.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.spi.Capability;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Each configuration source picks the backend, in priority order; bad names fail with the list. */
class BackendSelectionTest {
    @TempDir
    Path dir;

    private Properties props(String value) {
        Properties p = new Properties();
        if (value != null) {
            p.setProperty(BackendSelection.SYSTEM_PROPERTY, value);
        }
        return p;
    }

    private void propertiesFile(String value) throws IOException {
        Files.writeString(dir.resolve(BackendSelection.PROPERTIES_FILE), "# chosen by file\nbackend = " + value + "\n");
    }

    @Test
    void flagWinsOverEverything() throws IOException {
        propertiesFile("from-file");
        BackendSelection s = BackendSelection.resolve("from-flag", props("from-prop"),
                Map.of("RNN4J_BACKEND", "from-env"), dir);
        assertEquals(new BackendSelection("from-flag", BackendSelection.Source.FLAG), s);
    }

    @Test
    void systemPropertyWinsOverEnvAndFile() throws IOException {
        propertiesFile("from-file");
        BackendSelection s = BackendSelection.resolve(null, props("from-prop"), Map.of("RNN4J_BACKEND", "from-env"), dir);
        assertEquals(new BackendSelection("from-prop", BackendSelection.Source.SYSTEM_PROPERTY), s);
    }

    @Test
    void environmentWinsOverFile() throws IOException {
        propertiesFile("from-file");
        BackendSelection s = BackendSelection.resolve(" ", props(null), Map.of("RNN4J_BACKEND", "from-env"), dir);
        assertEquals(new BackendSelection("from-env", BackendSelection.Source.ENVIRONMENT), s);
    }

    @Test
    void propertiesFileInWorkingDirectory() throws IOException {
        propertiesFile("from-file");
        BackendSelection s = BackendSelection.resolve(null, props(null), Map.of(), dir);
        assertEquals(new BackendSelection("from-file", BackendSelection.Source.PROPERTIES_FILE), s);
    }

    @Test
    void defaultIsNative() {
        BackendSelection s = BackendSelection.resolve(null, props(null), Map.of(), dir);
        assertEquals(new BackendSelection("native", BackendSelection.Source.DEFAULT), s);
    }

    @Test
    void unknownBackendListsTheAvailableOnes() {
        BackendException e = assertThrows(BackendException.class,
                () -> Backends.create("tensorflw", EnumSet.noneOf(Capability.class)));
        assertEquals("Unknown backend 'tensorflw'. Available backends: " + String.join(", ", Backends.names()),
                e.getMessage());
        assertTrue(Backends.names().contains(InferenceOnlyTestProvider.NAME));
    }

    @Test
    void trainingOnAnInferenceOnlyBackendFailsAtStart() {
        BackendException e = assertThrows(BackendException.class,
                () -> Backends.create(InferenceOnlyTestProvider.NAME, EnumSet.of(Capability.TRAINING)));
        assertTrue(e.getMessage().contains("inference-only"), e.getMessage());
        assertEquals(0, InferenceOnlyTestProvider.modulesBuilt(), "the engine must not start");
    }
}
