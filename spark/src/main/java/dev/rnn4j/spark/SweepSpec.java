package dev.rnn4j.spark;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import dev.rnn4j.runs.TrainingRequest;
import dev.rnn4j.runs.Tasks;
import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A sweep: a task, its fixed settings, and a search space over other settings, read from YAML (or JSON, which is YAML)
 * with SnakeYAML. Settings are named by their {@link dev.rnn4j.runs.TrainingRequest} keys (the {@code train} flags
 * without their dashes, the task's own included), and each trial becomes one request:
 *
 * <pre>
 * task: function-shapes            # any train task
 * flags:                           # fixed settings: training-request keys (train flags without dashes)
 *   coefficients: per-sequence
 *   steps: 300
 * space:                           # a list is a grid axis; a string is a distribution
 *   cell: [lstm, gru, rnn]
 *   hidden: int(16, 64)
 *   lr: loguniform(1e-4, 1e-1)
 * trials: 12                       # draws of the distributions per grid point
 * seeds: 2                         # repeats of every point with seeds 1..S (or seeds: [7, 8])
 * </pre>
 *
 * <p>Distributions: {@code loguniform(a, b)}, {@code uniform(a, b)} (real, {@code a < b}), {@code int(a, b)} (whole,
 * both ends included) and {@code choice(x, y, ...)}. Every problem is one {@link IllegalArgumentException} naming the
 * file, the line and the key.
 *
 * @param task   the {@code train} task
 * @param flags  fixed settings by request key, as text
 * @param space  swept settings by request key, in the file's order
 * @param trials random draws of the distributions per grid point (1 when the space has no distribution)
 * @param seeds  the seeds each point is trained with
 */
public record SweepSpec(String task, Map<String, String> flags, Map<String, Axis> space, int trials, List<Long> seeds)
        implements Serializable {

    /** Flags the sweep sets itself for every trial. */
    static final Set<String> RESERVED = Set.of("task", "seed", "out", "backend", "resume");

    /** One swept flag: a list of values (a grid axis) or a distribution to draw from. */
    public sealed interface Axis extends Serializable {
        /** Whether it is drawn (not a grid axis). */
        boolean random();
    }

    /** Every value in turn. */
    public record Grid(List<String> values) implements Axis {
        @Override
        public boolean random() {
            return false;
        }
    }

    /**
     * A distribution: {@code loguniform}, {@code uniform}, {@code int} between {@code low} and {@code high}, or
     * {@code choice} among {@code values}.
     */
    public record Distribution(String kind, double low, double high, List<String> values) implements Axis {
        @Override
        public boolean random() {
            return true;
        }

        /** One draw, as the flag's text. */
        public String draw(SplittableRandom rng) {
            return switch (kind) {
                case "loguniform" -> number(Math.exp(Math.log(low) + rng.nextDouble() * (Math.log(high) - Math.log(low))));
                case "uniform" -> number(low + rng.nextDouble() * (high - low));
                case "int" -> String.valueOf((long) low + rng.nextLong((long) high - (long) low + 1));
                default -> values.get(rng.nextInt(values.size()));
            };
        }

        /** As written in a spec: {@code loguniform(1.0E-4, 0.1)}, {@code int(16, 128)}, {@code choice(a, b)}. */
        public String text() {
            return switch (kind) {
                case "choice" -> "choice(" + String.join(", ", values) + ")";
                case "int" -> "int(" + (long) low + ", " + (long) high + ")";
                default -> kind + "(" + low + ", " + high + ")";
            };
        }

        /** Whether values are spread on a log scale (for figures). */
        public boolean logScale() {
            return kind.equals("loguniform");
        }

        private static String number(double v) {
            return String.format(Locale.ROOT, "%.4g", v);
        }
    }

    /** This spec as JSON, which {@link #parse} reads back to an equal spec (a sweep keeps it beside its results). */
    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("task", task);
        JsonObject fixed = new JsonObject();
        flags.forEach(fixed::addProperty);
        o.add("flags", fixed);
        JsonObject swept = new JsonObject();
        space.forEach((name, axis) -> {
            if (axis instanceof Grid g) {
                JsonArray values = new JsonArray();
                g.values().forEach(values::add);
                swept.add(name, values);
            } else if (axis instanceof Distribution d) {
                swept.addProperty(name, d.text());
            }
        });
        o.add("space", swept);
        o.addProperty("trials", trials);
        JsonArray s = new JsonArray();
        seeds.forEach(s::add);
        o.add("seeds", s);
        return new GsonBuilder().setPrettyPrinting().create().toJson(o) + "\n";
    }

    private static final Pattern CALL = Pattern.compile("\\s*(\\w+)\\s*\\((.*)\\)\\s*");

    /**
     * Reads a spec file.
     *
     * @throws IllegalArgumentException naming the file, line and key of the first problem
     */
    public static SweepSpec read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--spec: no such file " + file);
        }
        Node root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new LoaderOptions()).compose(reader);
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException(file + ", line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: "
                    + e.getProblem());
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + file + ": " + e.getMessage());
        }
        return parse(file.toString(), root);
    }

    /** Parses spec text ({@code source} names it in messages). */
    public static SweepSpec parse(String source, String text) {
        try {
            return parse(source, new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text)));
        } catch (MarkedYAMLException e) {
            throw new IllegalArgumentException(source + ", line " + (e.getProblemMark().getLine() + 1)
                    + ": not valid YAML: " + e.getProblem());
        }
    }

    private static SweepSpec parse(String source, Node root) {
        if (!(root instanceof MappingNode map)) {
            throw new IllegalArgumentException(source + ": a sweep spec is a mapping with the keys task, flags, space, "
                    + "trials and seeds");
        }
        String task = null;
        Set<String> trainFlags = null; // the keys a request of the task takes, once the task is known
        Map<String, String> flags = new LinkedHashMap<>();
        Map<String, Axis> space = new LinkedHashMap<>();
        int trials = 1;
        List<Long> seeds = List.of(1L);
        boolean trialsGiven = false;
        for (NodeTuple t : map.getValue()) {
            if (scalar(source, t.getKeyNode(), "a key").equals("task")) {
                task = scalar(source, t.getValueNode(), "task");
                if (!Tasks.names().contains(task)) {
                    throw error(source, t.getValueNode(), "task", "unknown task '" + task + "'; known: "
                            + String.join(", ", Tasks.names()));
                }
                trainFlags = TrainingRequest.keys(Tasks.get(task));
            }
        }
        if (task == null) {
            throw new IllegalArgumentException(source + ": no 'task' (any train task: " + String.join(", ", Tasks.names())
                    + ")");
        }
        for (NodeTuple t : map.getValue()) {
            String key = scalar(source, t.getKeyNode(), "a key");
            Node value = t.getValueNode();
            switch (key) {
                case "task" -> {
                    // read before the loop, so that flags and space can be checked against the task's keys
                }
                case "flags" -> {
                    for (NodeTuple f : mapping(source, value, "flags").getValue()) {
                        String name = flag(source, f.getKeyNode(), trainFlags);
                        flags.put(name, scalar(source, f.getValueNode(), "flags." + name));
                    }
                }
                case "space" -> {
                    for (NodeTuple f : mapping(source, value, "space").getValue()) {
                        String name = flag(source, f.getKeyNode(), trainFlags);
                        space.put(name, axis(source, f.getValueNode(), "space." + name));
                    }
                }
                case "trials" -> {
                    trials = whole(source, value, "trials");
                    trialsGiven = true;
                }
                case "seeds" -> seeds = seeds(source, value);
                default -> throw error(source, t.getKeyNode(), key, "unknown key; a sweep spec has task, flags, space, "
                        + "trials and seeds");
            }
        }
        if (space.isEmpty()) {
            throw new IllegalArgumentException(source + ": the search space is empty: give 'space' at least one flag, "
                    + "e.g. 'cell: [lstm, gru]' or 'lr: loguniform(1e-4, 1e-1)'");
        }
        for (String name : space.keySet()) {
            if (flags.containsKey(name)) {
                throw new IllegalArgumentException(source + ": '" + name + "' is both a fixed flag and a swept one");
            }
        }
        boolean random = space.values().stream().anyMatch(Axis::random);
        if (trialsGiven && !random && trials != 1) {
            throw new IllegalArgumentException(source + ": 'trials: " + trials + "' draws distributions, but the space "
                    + "has none (only lists, which are all tried)");
        }
        return new SweepSpec(task, flags, space, random ? trials : 1, seeds);
    }

    /** A flag name under flags or space: a train option that the sweep does not set itself. */
    private static String flag(String source, Node node, Set<String> trainFlags) {
        String name = scalar(source, node, "a flag name");
        if (RESERVED.contains(name)) {
            throw error(source, node, name, "the sweep sets --" + name + " itself");
        }
        if (!trainFlags.contains(name)) {
            throw error(source, node, name, "not a setting of this task's training requests (the train flags; see "
                    + "./rnn4j train --help)");
        }
        return name;
    }

    private static Axis axis(String source, Node node, String key) {
        if (node instanceof SequenceNode list) {
            List<String> values = new ArrayList<>();
            for (Node v : list.getValue()) {
                values.add(scalar(source, v, key));
            }
            if (values.isEmpty()) {
                throw error(source, node, key, "an empty list");
            }
            return new Grid(values);
        }
        String text = scalar(source, node, key);
        Matcher m = CALL.matcher(text);
        if (!m.matches()) {
            throw error(source, node, key, "'" + text + "' is neither a list nor a distribution (loguniform(a, b), "
                    + "uniform(a, b), int(a, b), choice(x, y, ...))");
        }
        String kind = m.group(1);
        List<String> args = new ArrayList<>();
        for (String a : m.group(2).split(",")) {
            if (!a.isBlank()) {
                args.add(a.trim());
            }
        }
        if (kind.equals("choice")) {
            if (args.isEmpty()) {
                throw error(source, node, key, "choice() needs at least one value");
            }
            return new Distribution(kind, 0, 0, args);
        }
        if (!List.of("loguniform", "uniform", "int").contains(kind)) {
            throw error(source, node, key, "unknown distribution '" + kind + "'; known: loguniform, uniform, int, choice");
        }
        double low;
        double high;
        try {
            if (args.size() != 2) {
                throw new NumberFormatException();
            }
            low = Double.parseDouble(args.get(0));
            high = Double.parseDouble(args.get(1));
        } catch (NumberFormatException e) {
            throw error(source, node, key, "'" + text + "': " + kind + " takes two numbers, " + kind + "(a, b)");
        }
        if (!(low < high) || kind.equals("loguniform") && !(low > 0)
                || kind.equals("int") && (low != Math.rint(low) || high != Math.rint(high))) {
            throw error(source, node, key, "'" + text + "': needs a < b" + (kind.equals("loguniform") ? ", a > 0"
                    : kind.equals("int") ? ", both whole numbers" : ""));
        }
        return new Distribution(kind, low, high, List.of());
    }

    private static List<Long> seeds(String source, Node node) {
        if (node instanceof SequenceNode list) {
            List<Long> seeds = new ArrayList<>();
            for (Node v : list.getValue()) {
                seeds.add((long) whole(source, v, "seeds"));
            }
            if (seeds.isEmpty() || seeds.stream().distinct().count() != seeds.size()) {
                throw error(source, node, "seeds", "a list of distinct seeds is needed");
            }
            return List.copyOf(seeds);
        }
        int count = whole(source, node, "seeds");
        List<Long> seeds = new ArrayList<>();
        for (long s = 1; s <= count; s++) {
            seeds.add(s);
        }
        return seeds;
    }

    private static int whole(String source, Node node, String key) {
        String text = scalar(source, node, key);
        try {
            int v = Integer.parseInt(text);
            if (v >= 1) {
                return v;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw error(source, node, key, "'" + text + "' is not a whole number >= 1");
    }

    private static MappingNode mapping(String source, Node node, String key) {
        if (node instanceof MappingNode m) {
            return m;
        }
        throw error(source, node, key, "expected a mapping of flag: value");
    }

    private static String scalar(String source, Node node, String key) {
        if (node instanceof ScalarNode s) {
            return s.getValue();
        }
        throw error(source, node, key, "expected a single value");
    }

    private static IllegalArgumentException error(String source, Node node, String key, String problem) {
        return new IllegalArgumentException(source + ", line " + (node.getStartMark().getLine() + 1) + ", '" + key
                + "': " + problem);
    }
}
