package dev.rnn4j.spark;

import com.google.gson.JsonObject;
import dev.rnn4j.runs.TrainingRequest;
import dev.rnn4j.config.Threads;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Map;

/**
 * One training of a sweep: the swept settings and a seed (the spec's fixed settings come with the spec), shipped to
 * an executor as its {@link TrainingRequest}.
 *
 * @param id       a hash of the task, every flag and setting, and the seed (the same trial has the same id in every
 *                 sweep, which is what {@code --resume} matches)
 * @param settings the swept flags' values, in the spec's order
 * @param seed     the training seed
 */
public record Trial(String id, Map<String, String> settings, long seed) implements Serializable {

    /** The trial of {@code settings} and {@code seed} under {@code spec}, with its id. */
    static Trial of(SweepSpec spec, Map<String, String> settings, long seed) {
        String key = spec.task() + "|" + spec.flags() + "|" + settings + "|" + seed;
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return new Trial(HexFormat.of().formatHex(hash, 0, 6), settings, seed);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * This trial's training request: the spec's task and fixed settings, the swept ones and the seed, on the native
     * engine, writing into {@code out}.
     *
     * @throws IllegalArgumentException for a setting the request refuses (the message names it)
     */
    TrainingRequest request(SweepSpec spec, Path out) {
        TrainingRequest.Builder b = TrainingRequest.builder().setTask(spec.task()).optBackend("native").optSeed(seed)
                .setOut(out);
        spec.flags().forEach(b::option);
        settings.forEach(b::option);
        return b.build();
    }

    /**
     * Trains this trial's request (its JSON, {@link TrainingRequest#toJson()}) where it runs (a Spark executor, or the
     * driver in local mode) into a temporary folder, with one engine thread unless {@code rnn4j.threads} says
     * otherwise, and reports it as a row; a trial that fails is a row with its error.
     */
    public TrialResult run(String requestJson) {
        if (System.getProperty(Threads.PROPERTY) == null) {
            System.setProperty(Threads.PROPERTY, "1");
        }
        String host = host();
        long start = System.nanoTime();
        Path out = null;
        try {
            out = Files.createTempDirectory("rnn4j-trial-" + id + "-");
            JsonObject m = TrainingRequest.fromJson(requestJson).withOut(out).run().metrics();
            return new TrialResult(id, settings, seed, m.get("test_metric_name").getAsString(),
                    m.get("test_metric").getAsDouble(), m.get("steps").getAsInt(), (System.nanoTime() - start) / 1e9,
                    TrialResult.OK, "", host);
        } catch (OutOfMemoryError e) { // what filled the heap is unreachable now: a row, not a lost executor
            return TrialResult.failed(this, "out of memory: " + e.getMessage(), (System.nanoTime() - start) / 1e9, host);
        } catch (IOException | RuntimeException e) {
            String message = e.getMessage() == null ? e.toString() : e.getMessage();
            return TrialResult.failed(this, message, (System.nanoTime() - start) / 1e9, host);
        } finally {
            delete(out);
        }
    }

    /** The host and Spark executor this runs in. */
    private static String host() {
        String executor;
        try {
            executor = org.apache.spark.SparkEnv.get() == null ? "none" : org.apache.spark.SparkEnv.get().executorId();
        } catch (RuntimeException | LinkageError e) {
            executor = "none";
        }
        try {
            return InetAddress.getLocalHost().getHostName() + "/executor-" + executor;
        } catch (IOException e) {
            return "unknown/executor-" + executor;
        }
    }

    private static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (var files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
