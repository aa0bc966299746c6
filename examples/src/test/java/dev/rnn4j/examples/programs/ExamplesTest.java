package dev.rnn4j.examples.programs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonParser;
import dev.rnn4j.config.Backends;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.datasets.RememberFirst;
import dev.rnn4j.spi.Backend;
import dev.rnn4j.spi.Capability;
import dev.rnn4j.model.Model;
import dev.rnn4j.train.Metrics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every example runs end to end in a tiny setting; its report, figures and metrics exist and are not empty. */
class ExamplesTest {
    @TempDir
    Path dir;

    static Stream<String> names() {
        return Examples.names().stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void runsAndWritesItsReport(String name) throws IOException {
        Backend backend = Backends.create("native", EnumSet.of(Capability.TRAINING));
        Path out = dir.resolve(name);
        Examples.get(name).run(new ExampleContext(backend, out, false, 1, 0.05));
        String report = Files.readString(out.resolve("report.md"));
        assertTrue(report.startsWith("# "), report);
        assertTrue(JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject().size() > 0);
        Matcher m = Pattern.compile("!\\[[^]]*]\\(([^)]+)\\)").matcher(report);
        int figures = 0;
        while (m.find()) {
            Path png = out.resolve(m.group(1));
            assertTrue(Files.size(png) > 1000, "figure " + png + " exists and is not empty");
            figures++;
        }
        assertTrue(figures >= 1, "the report shows at least one figure");
    }

    @Test
    void analyticWeightsRememberForTenThousandSteps() {
        Backend backend = Backends.create("native", EnumSet.noneOf(Capability.class));
        SequenceDataset d = RememberFirst.dataset(new SplittableRandom(3), 32, 10_000);
        for (var model : List.of(backend.newModel(AnalyticMemory.lstmSpec(), AnalyticMemory.lstm()),
                backend.newModel(AnalyticMemory.gruSpec(), AnalyticMemory.gru()))) {
            try (Model m = model) {
                double mse = Metrics.evaluate(m, d, 32).get(Metrics.MSE);
                assertTrue(mse < 1e-6, m.spec().cell() + " at n = 10000: MSE " + mse);
            }
        }
        assertEquals(2, AnalyticMemory.lstmSpec().hiddenSize());
    }
}
