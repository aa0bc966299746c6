package dev.rnn4j.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.testing.RepoData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The jar carries the repository's small data sets byte for byte, for programs without a checkout. */
class BundledDataTest {
    @Test
    void theJarCarriesTheRepositorysFiles() throws IOException {
        for (String f : new String[] {"timeseries/sunspots.csv", "timeseries/nile.csv", "text/tinyshakespeare.txt",
            "m4/Hourly-train.csv", "m4/Hourly-test.csv", "m4/Hourly-published.csv",
            "pytorch/function-shapes-lstm.safetensors"}) {
            Path bundled = BundledData.file(f).orElseThrow(() -> new AssertionError(f + " is not bundled"));
            assertArrayEquals(Files.readAllBytes(RepoData.path(f)), Files.readAllBytes(bundled), f);
        }
        assertTrue(BundledData.file("onnx-node-rnn/README.md").isEmpty(), "the test fixtures stay in the repository");
    }
}
