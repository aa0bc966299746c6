package dev.rnn4j.datasets;

import dev.rnn4j.data.Batch;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.model.Model;
import dev.rnn4j.model.Output;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.apache.commons.csv.CSVRecord;

/**
 * Classifying whole sequences read from a CSV file in long format: one row per time step, a key column naming the
 * sequence each row belongs to, a label column naming its class (the same on all of a sequence's rows), an optional
 * time column that orders the rows within a sequence, and numeric feature columns.
 *
 * <pre>
 * id,t,x,y,label
 * s1,0,0.10,0.98,sine
 * s1,1,0.20,0.91,sine
 * s2,0,0.10,0.01,parabola
 * </pre>
 *
 * <p>Sequences may have any length (batches pad and mask them). They are split by sequence, stratified by label: each
 * class's sequences, in an order shuffled from the seed, give their first {@code split[0]} (floor) to training, the
 * next {@code split[1]} to validation and the rest to testing. Features are normalised with the training sequences'
 * steps only. The model reads a sequence and classifies it after its last step.
 */
public final class CsvClassify {

    /**
     * The classification set-up, saved with a model.
     *
     * @param csv       the file's absolute path
     * @param id        the column naming each row's sequence
     * @param label     the column naming each sequence's class
     * @param time      the column ordering rows within a sequence (numbers or ISO dates), or null: the file's order
     * @param features  the numeric columns the model reads; null when reading: every column but the key, label and time
     *                  whose first cell is a number
     * @param split     train and validation fractions of each class's sequences (the test gets the rest)
     * @param normalize the features' scaling
     * @param seed      seeds the split
     * @param classes   the class names, sorted (fitted when reading); a class's index is the model's output index
     * @param offsets   per feature: subtracted before scaling, fitted on the training sequences
     * @param scales    per feature: divided by after subtracting
     */
    public record Config(String csv, String id, String label, String time, List<String> features, double[] split,
                         CsvForecast.Normalize normalize, long seed, List<String> classes, double[] offsets,
                         double[] scales) {
        public Config {
            features = features == null ? null : List.copyOf(features);
            classes = classes == null ? null : List.copyOf(classes);
            if (split == null || split.length != 2 || !(split[0] > 0) || !(split[1] > 0) || !(split[0] + split[1] < 1)) {
                throw new IllegalArgumentException("--split must be TRAIN,VALIDATION,TEST fractions, each > 0, summing "
                        + "to 1, got " + Arrays.toString(split));
            }
            if (id == null || label == null || id.equals(label)) {
                throw new IllegalArgumentException("csv-classify needs --id COLUMN and --label COLUMN, two different "
                        + "columns");
            }
            if (features != null && (features.contains(id) || features.contains(label))) {
                throw new IllegalArgumentException("--features must not list the --id or --label column");
            }
        }

        Config withFit(List<String> features, List<String> classes, double[] offsets, double[] scales) {
            return new Config(csv, id, label, time, features, split, normalize, seed, classes, offsets, scales);
        }
    }

    /**
     * One sequence as read.
     *
     * @param id     its key
     * @param label  its class name ({@code null} when the file has no label column: {@code predict})
     * @param line   the file line of its first row
     * @param values its steps in time order, each the features' raw values
     */
    public record Rows(String id, String label, long line, double[][] values) {
    }

    /**
     * The counts of true class (row) against predicted class (column).
     *
     * @param classes the class names
     * @param counts  {@code counts[true][predicted]}
     */
    public record Confusion(List<String> classes, int[][] counts) {

        public int total() {
            return Arrays.stream(counts).flatMapToInt(Arrays::stream).sum();
        }

        public double accuracy() {
            int right = 0;
            for (int k = 0; k < counts.length; k++) {
                right += counts[k][k];
            }
            return (double) right / total();
        }

        /** Of the sequences predicted as class k, the share that are k (NaN when none was predicted k). */
        public double precision(int k) {
            int predicted = 0;
            for (int[] row : counts) {
                predicted += row[k];
            }
            return predicted == 0 ? Double.NaN : (double) counts[k][k] / predicted;
        }

        /** Of the sequences of class k, the share predicted k (NaN when there are none). */
        public double recall(int k) {
            int actual = Arrays.stream(counts[k]).sum();
            return actual == 0 ? Double.NaN : (double) counts[k][k] / actual;
        }
    }

    /**
     * A file read for training: the set-up with its features, classes and normalisation fitted, the sequences in file
     * order, and each split's sequence indices.
     */
    public record Problem(Config config, List<Rows> sequences, int[][] splits) {

        /** Training, validation or test sequences ({@code 0, 1, 2}), normalised, labelled by class index. */
        public SequenceDataset dataset(int split) {
            List<Sequence> list = new ArrayList<>();
            for (int i : splits[split]) {
                Rows r = sequences.get(i);
                list.add(Sequence.classification(inputs(config, r), r.values().length,
                        new int[] {config.classes().indexOf(r.label())}));
            }
            return new SequenceDataset(config.features().size(), HeadKind.CLASSIFICATION, config.classes().size(),
                    OutputMode.LAST_STEP, list);
        }

        /** The confusion matrix of {@code model} on split {@code split}. */
        public Confusion confusion(Model model, int split) {
            int c = config.classes().size();
            int[][] counts = new int[c][c];
            List<Rows> rows = Arrays.stream(splits[split]).mapToObj(sequences::get).toList();
            double[][] p = probabilities(config, model, rows);
            for (int i = 0; i < rows.size(); i++) {
                counts[config.classes().indexOf(rows.get(i).label())][argmax(p[i])]++;
            }
            return new Confusion(config.classes(), counts);
        }

        /** The most frequent class among the training sequences (the first in class order on a tie). */
        public int majority() {
            int[] n = new int[config.classes().size()];
            for (int i : splits[0]) {
                n[config.classes().indexOf(sequences.get(i).label())]++;
            }
            return argmax(Arrays.stream(n).asDoubleStream().toArray());
        }

        /** The share of split {@code split}'s sequences whose class is {@link #majority()}. */
        public double majorityAccuracy(int split) {
            String majority = config.classes().get(majority());
            return Arrays.stream(splits[split]).filter(i -> sequences.get(i).label().equals(majority)).count()
                    / (double) splits[split].length;
        }
    }

    private CsvClassify() {
    }

    /**
     * Reads the file for training: finds the features (when not given), the classes, the stratified split and the
     * normalisation.
     *
     * @throws IllegalArgumentException naming the file, line and column of any problem
     */
    public static Problem read(Config config) {
        Path file = Path.of(config.csv());
        List<String> features = config.features() != null ? config.features() : numericColumns(config, file);
        Config c = config.withFit(features, null, null, null);
        List<Rows> sequences = rows(c, file, true);
        List<String> classes = List.copyOf(new TreeSet<>(sequences.stream().map(Rows::label).toList()));
        if (classes.size() < 2) {
            throw new IllegalArgumentException(file + ": column '" + config.label() + "' has one class ("
                    + classes.get(0) + "); classification needs at least two");
        }
        int[][] splits = split(file, config, sequences, classes);
        double[][] fit = fit(c, sequences, splits[0]);
        return new Problem(c.withFit(features, classes, fit[0], fit[1]), sequences, splits);
    }

    /**
     * Reads the sequences of {@code file} with a trained model's set-up (its features and time column; the label
     * column only when the file has one), for {@code predict}.
     */
    public static List<Rows> readForModel(Config config, Path file) {
        return rows(config, file, false);
    }

    /** The model's class probabilities (softmax of its outputs) for each of {@code rows}, {@code [N][classes]}. */
    public static double[][] probabilities(Config config, Model model, List<Rows> rows) {
        double[][] p = new double[rows.size()][];
        int batchSize = 256;
        for (int from = 0; from < rows.size(); from += batchSize) {
            List<Rows> part = rows.subList(from, Math.min(rows.size(), from + batchSize));
            float[][][] seqs = new float[part.size()][][];
            for (int i = 0; i < seqs.length; i++) {
                float[] x = inputs(config, part.get(i));
                int f = config.features().size();
                seqs[i] = new float[x.length / f][];
                for (int t = 0; t < seqs[i].length; t++) {
                    seqs[i][t] = Arrays.copyOfRange(x, t * f, (t + 1) * f);
                }
            }
            Output out = model.forward(Batch.of(seqs));
            for (int i = 0; i < seqs.length; i++) {
                p[from + i] = softmax(out, i);
            }
        }
        return p;
    }

    private static double[] softmax(Output out, int n) {
        double[] p = new double[out.width()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < p.length; k++) {
            max = Math.max(max, out.get(n, out.steps() - 1, k));
        }
        double sum = 0;
        for (int k = 0; k < p.length; k++) {
            p[k] = Math.exp(out.get(n, out.steps() - 1, k) - max);
            sum += p[k];
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** The index of the largest value (the first on a tie). */
    public static int argmax(double[] v) {
        int best = 0;
        for (int k = 1; k < v.length; k++) {
            if (v[k] > v[best]) {
                best = k;
            }
        }
        return best;
    }

    /** A sequence's normalised values, step-major. */
    private static float[] inputs(Config config, Rows r) {
        int f = config.features().size();
        float[] x = new float[r.values().length * f];
        for (int t = 0; t < r.values().length; t++) {
            for (int j = 0; j < f; j++) {
                x[t * f + j] = (float) ((r.values()[t][j] - config.offsets()[j]) / config.scales()[j]);
            }
        }
        return x;
    }

    /** Each class's sequences shuffled from the seed and cut by the fractions; every split must get some. */
    private static int[][] split(Path file, Config config, List<Rows> sequences, List<String> classes) {
        SplittableRandom rng = new SplittableRandom(config.seed());
        List<List<Integer>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (String k : classes) {
            List<Integer> members = new ArrayList<>();
            for (int i = 0; i < sequences.size(); i++) {
                if (sequences.get(i).label().equals(k)) {
                    members.add(i);
                }
            }
            for (int i = members.size() - 1; i > 0; i--) { // Fisher-Yates
                int j = rng.nextInt(i + 1);
                members.set(j, members.set(i, members.get(j)));
            }
            int train = (int) Math.floor(members.size() * config.split()[0]);
            int validation = (int) Math.floor(members.size() * config.split()[1]);
            parts.get(0).addAll(members.subList(0, train));
            parts.get(1).addAll(members.subList(train, train + validation));
            parts.get(2).addAll(members.subList(train + validation, members.size()));
        }
        if (parts.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT, "%s has %d sequences: too few for "
                    + "--split %s (train %d, validation %d, test %d sequences; each needs at least one)", file,
                    sequences.size(), Arrays.toString(config.split()), parts.get(0).size(), parts.get(1).size(),
                    parts.get(2).size()));
        }
        return parts.stream().map(p -> p.stream().sorted().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }

    /** Offsets and scales per feature from every step of the training sequences. */
    private static double[][] fit(Config config, List<Rows> sequences, int[] train) {
        int f = config.features().size();
        double[] offsets = new double[f];
        double[] scales = new double[f];
        for (int j = 0; j < f; j++) {
            final int column = j;
            double[] v = Arrays.stream(train).mapToObj(sequences::get).flatMap(r -> Arrays.stream(r.values()))
                    .mapToDouble(step -> step[column]).toArray();
            double[] fitted = config.normalize().fit(v);
            offsets[j] = fitted[0];
            scales[j] = fitted[1];
        }
        return new double[][] {offsets, scales};
    }

    /** The columns other than key, label and time whose first cell parses as a number. */
    private static List<String> numericColumns(Config config, Path file) {
        return CsvSeries.parse(file, (parser, header) -> {
            CsvSeries.requireColumns(file, header, needed(config, true, List.of()));
            var it = parser.iterator();
            if (!it.hasNext()) {
                throw new IllegalArgumentException(file + " has a header but no rows");
            }
            CSVRecord first = it.next();
            List<String> numeric = new ArrayList<>();
            for (String c : header) {
                if (c.equals(config.id()) || c.equals(config.label()) || c.equals(config.time())) {
                    continue;
                }
                try {
                    Double.parseDouble(first.isSet(c) ? first.get(c) : "");
                    numeric.add(c);
                } catch (NumberFormatException notNumeric) {
                    // a text column: not a feature
                }
            }
            if (numeric.isEmpty()) {
                throw new IllegalArgumentException(file + " has no numeric column besides '" + config.id() + "' and '"
                        + config.label() + "' to read; its columns: " + String.join(", ", header));
            }
            return numeric;
        });
    }

    /** The columns a file must have: the key, the label when {@code needLabel}, the time column, {@code features}. */
    private static List<String> needed(Config config, boolean needLabel, List<String> features) {
        List<String> wanted = new ArrayList<>(List.of(config.id()));
        if (needLabel) {
            wanted.add(config.label());
        }
        if (config.time() != null) {
            wanted.add(config.time());
        }
        wanted.addAll(features);
        return wanted;
    }

    /** One row as read: its sequence, label, time key, values and line. */
    private record Row(String id, String label, double time, double[] values, long line) {
    }

    /** The file's sequences in order of first appearance, each in time order. */
    private static List<Rows> rows(Config config, Path file, boolean needLabel) {
        Map<String, List<Row>> byId = new LinkedHashMap<>();
        boolean hasLabel = CsvSeries.parse(file, (parser, header) -> {
            CsvSeries.requireColumns(file, header, needed(config, needLabel, config.features()));
            boolean labelled = header.contains(config.label());
            for (CSVRecord record : parser) {
                long line = CsvSeries.requireWhole(file, parser, record, header);
                String id = record.get(config.id());
                if (id.isEmpty()) {
                    throw new IllegalArgumentException(file + ": line " + line + ", column '" + config.id()
                            + "' is empty: every row needs its sequence's key");
                }
                double[] v = new double[config.features().size()];
                for (int j = 0; j < v.length; j++) {
                    String column = config.features().get(j);
                    String cell = record.get(column);
                    if (cell.isEmpty()) {
                        throw new IllegalArgumentException(file + ": line " + line + ", column '" + column
                                + "' is empty; every step of a sequence needs every feature");
                    }
                    v[j] = CsvSeries.number(file, line, column, cell);
                }
                double time = config.time() == null ? 0 : timeKey(file, line, config.time(), record.get(config.time()));
                String label = labelled ? record.get(config.label()) : null;
                if (labelled && label.isEmpty()) {
                    throw new IllegalArgumentException(file + ": line " + line + ", column '" + config.label()
                            + "' is empty: every row needs its sequence's class");
                }
                byId.computeIfAbsent(id, k -> new ArrayList<>()).add(new Row(id, label, time, v, line));
            }
            return labelled;
        });
        if (byId.isEmpty()) {
            throw new IllegalArgumentException(file + " has a header but no rows");
        }
        List<Rows> out = new ArrayList<>();
        for (List<Row> rows : byId.values()) {
            Row first = rows.get(0);
            for (Row r : rows) {
                if (hasLabel && !r.label().equals(first.label())) {
                    throw new IllegalArgumentException(file + ": sequence '" + first.id() + "' has two labels: '"
                            + first.label() + "' (line " + first.line() + ") and '" + r.label() + "' (line " + r.line()
                            + ")");
                }
            }
            List<Row> ordered = new ArrayList<>(rows);
            if (config.time() != null) {
                ordered.sort(Comparator.comparingDouble(Row::time)); // stable: the file's order among equal times
                for (int i = 1; i < ordered.size(); i++) {
                    if (ordered.get(i).time() == ordered.get(i - 1).time()) {
                        throw new IllegalArgumentException(file + ": sequence '" + first.id() + "' has two rows at the "
                                + "same time (lines " + ordered.get(i - 1).line() + " and " + ordered.get(i).line()
                                + ")");
                    }
                }
            }
            out.add(new Rows(first.id(), first.label(), first.line(),
                    ordered.stream().map(Row::values).toArray(double[][]::new)));
        }
        return out;
    }

    /** A time cell as a number: itself, or an ISO date's day ({@link CsvSeries#timeKey}). */
    private static double timeKey(Path file, long line, String column, String cell) {
        double key = CsvSeries.timeKey(cell);
        if (Double.isNaN(key)) {
            throw new IllegalArgumentException(file + ": line " + line + ", column '" + column + "': '" + cell
                    + "' is neither a number nor an ISO date (yyyy-mm-dd), so it cannot order the rows");
        }
        return key;
    }
}
