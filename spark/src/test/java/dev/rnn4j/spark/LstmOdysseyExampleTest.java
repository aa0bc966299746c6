package dev.rnn4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rnn4j.examples.programs.ExampleContext;
import dev.rnn4j.examples.programs.Examples;
import dev.rnn4j.runs.report.Report;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lstm-odyssey joins the examples when this module is on the class path, and runs its three sweeps at a tiny scale. */
class LstmOdysseyExampleTest {
    @TempDir
    Path dir;

    @Test
    void runsThreeSweepsAndSaysWhatMatters() throws IOException {
        assertTrue(Examples.names().contains("lstm-odyssey"), Examples.names().toString());
        Report r = Examples.get("lstm-odyssey").run(new ExampleContext(null, dir, false, 1, 0.01));
        for (String task : new String[] {"function-shapes", "remember-first", "adding"}) {
            assertEquals(11, Files.readAllLines(dir.resolve(task).resolve("trials.csv")).size(), "5 cells x 2, a header");
            assertTrue(r.metrics().has(task + "/most_important"), r.metrics().toString());
            SweepSpec kept = SweepSpec.read(dir.resolve(task).resolve(Sweep.SPEC_FILE)); // to rerun it on a cluster
            assertEquals(task, kept.task());
            assertEquals(10, Sweep.of(kept).trials().size());
        }
        String text = Files.readString(dir.resolve("report.md"));
        assertTrue(text.contains("What explains the metric") && text.contains("lstm-cifg"), text);
    }
}
