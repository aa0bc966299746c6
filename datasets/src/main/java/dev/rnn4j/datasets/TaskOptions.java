package dev.rnn4j.datasets;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The values given for a task's options ({@link Task#options()}), by name, as text: what {@code train}'s flags, a
 * training request's JSON and a sweep spec hold. The getters parse them; a bad value is an
 * {@link IllegalArgumentException} naming the flag, and an absent one is the caller's default.
 *
 * <pre>{@code
 * TaskOptions o = TaskOptions.of(Map.of("window", "9"));
 * int window = o.integer("window", 3);   // 9
 * }</pre>
 */
public final class TaskOptions {
    private final Map<String, String> values;

    private TaskOptions(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public static TaskOptions of(Map<String, String> values) {
        return new TaskOptions(values);
    }

    public static TaskOptions none() {
        return new TaskOptions(Map.of());
    }

    /** Every value given, by name. */
    public Map<String, String> asMap() {
        return values;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    /** The text given, or {@code null}. */
    public String text(String name) {
        return values.get(name);
    }

    public int integer(String name, int otherwise) {
        return parse(name, otherwise, Integer::parseInt, "a whole number");
    }

    public double number(String name, double otherwise) {
        return parse(name, otherwise, Double::parseDouble, "a number");
    }

    public boolean flag(String name) {
        return parse(name, false, v -> switch (v.toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new NumberFormatException();
        }, "true or false");
    }

    /** A file's absolute path, or {@code null}. */
    public Path path(String name) {
        String v = values.get(name);
        return v == null ? null : Path.of(v).toAbsolutePath();
    }

    /** A comma-separated list, or {@code null}. */
    public List<String> list(String name) {
        String v = values.get(name);
        return v == null ? null : Arrays.stream(v.split(",")).map(String::trim).toList();
    }

    /** {@code {min, max}} from {@code N} or {@code MIN-MAX}, or the defaults when not given. */
    public int[] range(String name, int defaultMin, int defaultMax) {
        String text = values.get(name);
        if (text == null) {
            return new int[] {defaultMin, defaultMax};
        }
        try {
            String[] parts = text.trim().split("-");
            int min = Integer.parseInt(parts[0].trim());
            int max = parts.length == 2 ? Integer.parseInt(parts[1].trim()) : min;
            if (parts.length > 2 || min < 1 || max < min) {
                throw new NumberFormatException();
            }
            return new int[] {min, max};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a length N >= 1 or a range MIN-MAX, got '" + text
                    + "'");
        }
    }

    /** {@code --split TRAIN,VALIDATION,TEST} as the first two fractions (the test gets the rest). */
    public double[] split(String name, double[] otherwise) {
        String text = values.get(name);
        if (text == null) {
            return otherwise.clone();
        }
        try {
            double[] f = Arrays.stream(text.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray();
            if (f.length != 3 || Math.abs(f[0] + f[1] + f[2] - 1) > 1e-9 || f[2] <= 0) {
                throw new NumberFormatException();
            }
            return new double[] {f[0], f[1]};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be three fractions TRAIN,VALIDATION,TEST summing "
                    + "to 1, got '" + text + "'");
        }
    }

    private <T> T parse(String name, T otherwise, Function<String, T> parser, String what) {
        String v = values.get(name);
        if (v == null) {
            return otherwise;
        }
        try {
            return parser.apply(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be " + what + ", got '" + v + "'");
        }
    }

    @Override
    public String toString() {
        return values.toString();
    }
}
