package dev.rnn4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.io.ModelStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --time-limit} in chunks, each chunk a fresh JVM continuing with {@code --resume}, ends with the same
 * parameters (bit for bit) and the same loss curve as one uninterrupted run.
 */
class FreshJvmResumeTest {

    private static final List<String> FLAGS = List.of("train", "--task", "function-shapes", "--cell", "gru",
            "--hidden", "8", "--layers", "2", "--dropout", "0.2", "--train-size", "128", "--test-size", "32",
            "--steps", "8", "--eval-every", "10", "--seed", "4", "--backend", "native");

    /** Runs the command line in a new JVM; returns its exit code. */
    private static int fresh(Path log, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                Main.class.getName()));
        command.addAll(args);
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return p.waitFor();
    }

    private static JsonObject metrics(Path out) throws IOException {
        return JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
    }

    @Test
    void chunkedRunsInFreshJvmsEndAsOneRun(@TempDir Path dir) throws Exception {
        Path whole = dir.resolve("whole");
        List<String> args = new ArrayList<>(FLAGS);
        args.addAll(List.of("--out", whole.toString()));
        assertEquals(0, fresh(dir.resolve("whole.log"), args), Files.readString(dir.resolve("whole.log")));

        Path chunked = dir.resolve("chunked");
        int chunks = 0;
        String reason = "";
        while (!reason.equals("budget") && chunks < 30) {
            List<String> chunk = new ArrayList<>(FLAGS);
            chunk.addAll(List.of("--time-limit", "0.0001", "--out", chunked.toString()));
            if (chunks > 0) {
                chunk.add("--resume");
            }
            Path log = dir.resolve("chunk" + chunks + ".log");
            assertEquals(0, fresh(log, chunk), Files.readString(log));
            reason = metrics(chunked).get("stop_reason").getAsString();
            chunks++;
        }
        assertTrue(chunks > 1, "the time limit must cut the run at least once (took " + chunks + " chunk)");
        assertEquals("budget", reason, "finished within 30 chunks");
        assertEquals(0.0, ModelStore.load(whole).parameters().maxAbsDiff(ModelStore.load(chunked).parameters()),
                "parameters after " + chunks + " chunks");
        assertEquals(metrics(whole).get("loss_curve"), metrics(chunked).get("loss_curve"));
    }
}
