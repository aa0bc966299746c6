package dev.rnn4j.datasets;

import com.google.gson.annotations.SerializedName;
import dev.rnn4j.data.DataSplit;
import dev.rnn4j.data.Sequence;
import dev.rnn4j.data.SequenceDataset;
import dev.rnn4j.spec.HeadKind;
import dev.rnn4j.spec.OutputMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Character-level language modelling on any text. The first {@code 1 - validationFraction} of the text is the
 * training split, the rest the validation split; the vocabulary is the sorted set of characters (Unicode code
 * points) of the training split, and characters unseen there map to the first entry. Inputs are one-hot over
 * the vocabulary. Two settings:
 * <ul>
 *   <li>{@link Mode#SEQUENCE} (char-rnn): consecutive chunks of {@code seqLength} characters with the next
 *       character as the target at every step (truncated BPTT over chunks);</li>
 *   <li>{@link Mode#WINDOW} (Keras): windows of {@code seqLength} characters, every {@code stride} characters,
 *       predicting the one character after the window.</li>
 * </ul>
 * {@code maxSequences} caps each split (evenly spaced) to bound memory.
 */
public final class CharText {

    /** Which setting. */
    public enum Mode {
        /** char-rnn: the next character at every step of each chunk. */
        @SerializedName("sequence") SEQUENCE,
        /** Keras: one prediction after each window. */
        @SerializedName("window") WINDOW;

        /** {@code sequence} or {@code window}. */
        public static Mode parse(String s) {
            return switch (s) {
                case "sequence" -> SEQUENCE;
                case "window" -> WINDOW;
                default -> throw new IllegalArgumentException("--char-mode must be sequence or window, got '" + s + "'");
            };
        }
    }

    /**
     * @param contiguous cap each split to its first {@code maxSequences} chunks rather than evenly spaced ones, so
     *                   consecutive chunks continue each other (stateful training)
     */
    public record Config(int seqLength, Mode mode, int stride, double validationFraction, int maxSequences, long seed,
                         boolean contiguous) {
        public Config {
            if (seqLength < 1 || stride < 1 || !(validationFraction > 0 && validationFraction < 1) || maxSequences < 1) {
                throw new IllegalArgumentException("invalid char-text configuration: " + this);
            }
        }

        /** Evenly spaced chunks when capped. */
        public Config(int seqLength, Mode mode, int stride, double validationFraction, int maxSequences, long seed) {
            this(seqLength, mode, stride, validationFraction, maxSequences, seed, false);
        }

        public static Config defaults(int seqLength, long seed) {
            return new Config(seqLength, Mode.SEQUENCE, seqLength, 0.1, 20000, seed);
        }
    }

    /** The vocabulary: index to code point and back. */
    public record Vocabulary(int[] codePoints) {
        public int size() {
            return codePoints.length;
        }

        public int index(int codePoint) {
            int i = java.util.Arrays.binarySearch(codePoints, codePoint);
            return i >= 0 ? i : 0;
        }

        public String text(int index) {
            return new String(Character.toChars(codePoints[index]));
        }

        static Vocabulary of(int[] text) {
            TreeSet<Integer> set = new TreeSet<>();
            for (int c : text) {
                set.add(c);
            }
            return new Vocabulary(set.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    /** A split with its vocabulary. */
    public record Data(DataSplit split, Vocabulary vocabulary) {
    }

    /** The text's two parts as code points, and the training part's vocabulary. */
    private record Parts(int[] train, int[] validation, Vocabulary vocabulary) {
    }

    private CharText() {
    }

    /**
     * @throws IllegalArgumentException if the text is too short for one training and one validation sequence
     */
    public static Data generate(String text, Config c) {
        Parts p = parts(text, c);
        Vocabulary v = p.vocabulary();
        return new Data(new DataSplit(dataset(p.train(), v, c), dataset(p.validation(), v, c)), v);
    }

    /**
     * {@link #generate}'s validation split, without building the training split, when its chunks are all of the
     * validation text's in order (sequence mode, not capped), so that each continues the one before it; else empty.
     *
     * @throws IllegalArgumentException if the text is too short for one training and one validation sequence
     */
    public static Optional<SequenceDataset> consecutiveValidation(String text, Config c) {
        Parts p = parts(text, c);
        if (c.mode() != Mode.SEQUENCE || chunkStarts(p.validation().length, c).size() > c.maxSequences()) {
            return Optional.empty();
        }
        return Optional.of(dataset(p.validation(), p.vocabulary(), c));
    }

    private static Parts parts(String text, Config c) {
        int[] cps = text.codePoints().toArray();
        int cut = (int) (cps.length * (1 - c.validationFraction()));
        int[] train = java.util.Arrays.copyOfRange(cps, 0, cut);
        int[] val = java.util.Arrays.copyOfRange(cps, cut, cps.length);
        if (train.length <= c.seqLength() + 1 || val.length <= c.seqLength() + 1) {
            throw new IllegalArgumentException("the text has " + cps.length + " characters: too short for sequences of "
                    + c.seqLength() + " with a " + c.validationFraction() + " validation split");
        }
        return new Parts(train, val, Vocabulary.of(train));
    }

    /** One-hot rows for {@code codePoints[from, from + len)}. */
    public static float[] oneHot(int[] codePoints, int from, int len, Vocabulary v) {
        float[] x = new float[len * v.size()];
        for (int t = 0; t < len; t++) {
            x[t * v.size() + v.index(codePoints[from + t])] = 1f;
        }
        return x;
    }

    /** Where every chunk (or window) of a text of {@code length} characters starts, before any cap. */
    private static List<Integer> chunkStarts(int length, Config c) {
        int step = c.mode() == Mode.SEQUENCE ? c.seqLength() : c.stride();
        List<Integer> starts = new ArrayList<>();
        for (int s = 0; s + c.seqLength() + 1 <= length; s += step) {
            starts.add(s);
        }
        return starts;
    }

    private static SequenceDataset dataset(int[] cps, Vocabulary v, Config c) {
        int len = c.seqLength();
        List<Integer> starts = chunkStarts(cps.length, c);
        if (starts.size() > c.maxSequences() && c.contiguous()) {
            starts = new ArrayList<>(starts.subList(0, c.maxSequences()));
        } else if (starts.size() > c.maxSequences()) {
            List<Integer> kept = new ArrayList<>();
            for (int i = 0; i < c.maxSequences(); i++) {
                kept.add(starts.get((int) ((long) i * starts.size() / c.maxSequences())));
            }
            starts = kept;
        }
        List<Sequence> list = new ArrayList<>(starts.size());
        for (int s : starts) {
            float[] x = oneHot(cps, s, len, v);
            int[] labels;
            if (c.mode() == Mode.SEQUENCE) {
                labels = new int[len];
                for (int t = 0; t < len; t++) {
                    labels[t] = v.index(cps[s + t + 1]);
                }
            } else {
                labels = new int[] {v.index(cps[s + len])};
            }
            list.add(Sequence.classification(x, len, labels));
        }
        return new SequenceDataset(v.size(), HeadKind.CLASSIFICATION, 1,
                c.mode() == Mode.SEQUENCE ? OutputMode.EVERY_STEP : OutputMode.LAST_STEP, list);
    }
}
