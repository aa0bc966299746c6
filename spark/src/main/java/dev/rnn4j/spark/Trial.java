package dev.rnn4j.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.rnn4j.cli.Main;
import dev.rnn4j.config.Threads;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One training of a sweep: the swept settings and a seed (the spec's fixed flags come with the spec).
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

    /** The {@code train} command line of this trial, writing into {@code out}, on the native engine. */
    List<String> arguments(SweepSpec spec, Path out) {
        List<String> args = new ArrayList<>(List.of("train", "--task", spec.task(), "--backend", "native", "--seed",
                String.valueOf(seed), "--out", out.toString()));
        Set<String> switches = Main.trainSwitches();
        spec.flags().forEach((k, v) -> flag(args, switches, k, v));
        settings.forEach((k, v) -> flag(args, switches, k, v));
        return args;
    }

    /**
     * Adds {@code --name value}, or for a switch {@code --name} when true and nothing when false ({@code --no-name}
     * for a negatable one, since its default may be on).
     */
    private static void flag(List<String> args, Set<String> switches, String name, String value) {
        if (switches.contains(name)) {
            if (value.equalsIgnoreCase("true")) {
                args.add("--" + name);
            } else if (!value.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("--" + name + " is a switch: true or false, got '" + value + "'");
            } else if (switches.contains("no-" + name)) {
                args.add("--no-" + name);
            }
            return;
        }
        args.add("--" + name);
        args.add(value);
    }

    /**
     * Trains this trial where it runs (a Spark executor, or the driver in local mode) with one engine thread unless
     * {@code rnn4j.threads} says otherwise, and reports it as a row; a trial that fails is a row with its error.
     */
    public TrialResult run(SweepSpec spec) {
        if (System.getProperty(Threads.PROPERTY) == null) {
            System.setProperty(Threads.PROPERTY, "1");
        }
        String host = host();
        long start = System.nanoTime();
        Path out = null;
        try {
            out = Files.createTempDirectory("rnn4j-trial-" + id + "-");
            StringWriter err = new StringWriter();
            int rc = Main.run(new PrintWriter(err, true), arguments(spec, out).toArray(String[]::new));
            double seconds = (System.nanoTime() - start) / 1e9;
            if (rc != 0) {
                return TrialResult.failed(this, lastLine(err.toString(), "exit code " + rc), seconds, host);
            }
            JsonObject m = JsonParser.parseString(Files.readString(out.resolve("metrics.json"))).getAsJsonObject();
            return new TrialResult(id, settings, seed, m.get("test_metric_name").getAsString(),
                    m.get("test_metric").getAsDouble(), m.get("steps").getAsInt(), seconds, TrialResult.OK, "", host);
        } catch (IOException | RuntimeException e) {
            return TrialResult.failed(this, e.toString(), (System.nanoTime() - start) / 1e9, host);
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

    private static String lastLine(String text, String otherwise) {
        List<String> lines = text.strip().lines().toList();
        return lines.isEmpty() ? otherwise : lines.get(lines.size() - 1);
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
